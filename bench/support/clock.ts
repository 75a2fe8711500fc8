/**
 * Milliseconds on a clock that processes on this machine share: `performance.now()` counts from each process's
 * own start, `timeOrigin + now()` does not. A handler process's timestamps are further corrected by the
 * measured offset (see handler-process.ts), so a frame's arrival and its invocation's start compare exactly.
 */
export const now = (): number => performance.timeOrigin + performance.now();
