import type { StoredTurn } from './ports.ts';

/** Whether `userId` may stop or resume this turn: it is theirs, or it has no owner (auth is off). */
export function mayUseTurn(turn: Pick<StoredTurn, 'ownerId'>, userId: string | undefined): boolean {
  return turn.ownerId === undefined || turn.ownerId === userId;
}
