/** Word-sized pieces with their leading space, as models stream them: "Hello", " world", "!". */
export function toTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** About four characters a token: how the emulator estimates input and tool-input tokens. */
export function estimateTokens(value: unknown): number {
  return Math.ceil(JSON.stringify(value).length / 4);
}
