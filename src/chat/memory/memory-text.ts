/** A statement as stored: one line, single spaces, no surrounding whitespace. */
export function normalizeMemoryText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const STOP_WORDS = new Set(
  'a an and are as at be by did do does for from had has have i in is it its me my of on or our that the their this to was we were what when where which who why will with you your'.split(
    ' ',
  ),
);

/** The words of a statement that carry its meaning, lower-cased, for matching a memory to a request. */
export function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOP_WORDS.has(word)));
}

/** Whether `request` names `memory`: one holds the other, or they share most of their content words. */
export function matchesMemory(memory: string, request: string): boolean {
  const [a, b] = [memory.toLowerCase(), request.toLowerCase()];
  if (a.includes(b) || b.includes(a)) return true;
  const [memoryWords, requestWords] = [contentWords(memory), contentWords(request)];
  if (requestWords.size === 0) return false;
  const shared = [...requestWords].filter((word) => memoryWords.has(word)).length;
  return shared / requestWords.size >= 0.6;
}
