/**
 * Milliseconds on a clock every thread of this process shares: `performance.now()` is relative to each
 * thread's own start, `timeOrigin + now()` is not. Worker timestamps are further corrected by the measured
 * offset (see handler-thread.ts), so a frame's arrival and its invocation's start compare exactly.
 */
export const now = (): number => performance.timeOrigin + performance.now();
