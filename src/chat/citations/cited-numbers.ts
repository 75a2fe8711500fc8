/** `[1]`, `[2, 3]` or `[2][3]`; not a Markdown link's text (`[1](…)`). */
const CITATION = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\](?!\()/g;

/**
 * The passage numbers an answer cites, in the order first cited, each once. Code (fenced blocks and inline
 * spans) is skipped: `items[0]` there is code, not a citation.
 */
export function citedNumbersIn(text: string): number[] {
  const prose = text.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const cited: number[] = [];
  for (const match of prose.matchAll(CITATION)) {
    for (const part of (match[1] ?? '').split(',')) {
      const n = Number(part.trim());
      if (n >= 1 && !cited.includes(n)) cited.push(n);
    }
  }
  return cited;
}
