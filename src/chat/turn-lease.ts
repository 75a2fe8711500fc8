import type { Clock, StoredTurn, TurnLease } from './ports.ts';

/** A run's lease when its deadline is unknown (tests, scripts): longer than any turn may take. */
export const DEFAULT_LEASE_MS = 30_000;

/** A lease for a new run of a turn, held until the run's Lambda deadline. */
export function newLease(
  deps: { clock: Clock; newId?: () => string },
  remainingTimeMs?: () => number,
): TurnLease {
  const runId = (deps.newId ?? crypto.randomUUID.bind(crypto))();
  return { runId, leaseUntil: deps.clock.now() + (remainingTimeMs?.() ?? DEFAULT_LEASE_MS) };
}

/** The item that claims a turn for its user and a run (docs/decisions/0018). */
export function turnClaim(options: {
  sessionId: string;
  turnId: string;
  ownerId: string | undefined;
  lease: TurnLease;
  nowMs: number;
  ttlSeconds: number;
}): StoredTurn {
  return {
    sessionId: options.sessionId,
    turnId: options.turnId,
    ...(options.ownerId === undefined ? {} : { ownerId: options.ownerId }),
    ...options.lease,
    createdAt: options.nowMs,
    expiresAt: Math.floor(options.nowMs / 1000) + options.ttlSeconds,
  };
}

/** Whether a run still holds the turn: its lease has neither been released nor run out. */
export function isHeld(lease: TurnLease, nowMs: number): boolean {
  return lease.leaseUntil > nowMs;
}
