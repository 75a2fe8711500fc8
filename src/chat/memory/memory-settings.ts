/** Limits of the memories a user keeps across sessions (docs/decisions/0025). */
export interface MemorySettings {
  /** Memories per user; `remember` is refused beyond it. */
  maxMemories: number;
  /** Characters per memory: a short statement, not a document. */
  maxChars: number;
}
