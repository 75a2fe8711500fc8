import type { StopReason } from './server-frame.ts';

/** Stop reasons that cut an answer short; the session records which turn they hit (`history.interruptedTurn`). */
export const INTERRUPTED_STOP_REASONS: ReadonlySet<StopReason> = new Set([
  'timeout',
  'cancelled',
  'client_gone',
]);

/** Interrupted answers that `resume` continues (a cancelled one was stopped on purpose). */
export const RESUMABLE_STOP_REASONS: ReadonlySet<StopReason> = new Set(['timeout', 'client_gone']);
