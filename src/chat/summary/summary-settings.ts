/** How the rolling summary folds old turns (docs/decisions/0025). */
export interface SummarySettings {
  /** Newest whole turns kept verbatim when the window overflows; the older ones are folded. */
  keepTurns: number;
  /** Longest summary kept, in characters; its oldest lines go first. */
  maxChars: number;
  /** A summary call gets at most this long, and is not started with less time left before the deadline. */
  timeoutMs: number;
}
