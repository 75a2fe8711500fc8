import { AGENTS_GROUP } from '../../protocol/handoff-frames.ts';
import { NotAnAgentError } from '../errors.ts';

/**
 * Throws unless the caller is a signed-in member of the `agents` group, and returns their user id.
 * Groups come from the verified token (`cognito:groups`), never from the frame.
 */
export function assertAgent(userId: string | undefined, groups: readonly string[]): string {
  if (userId === undefined || !groups.includes(AGENTS_GROUP)) throw new NotAnAgentError();
  return userId;
}
