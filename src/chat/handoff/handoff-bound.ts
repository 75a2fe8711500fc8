import type { HandoffEvent } from '../../protocol/handoff-frames.ts';
import { jsonBytes } from '../window.ts';

/**
 * The most what was said in one open handoff (the user's and the agent's messages, as stored: JSON) may add up
 * to (docs/decisions/0026, addendum). It keeps the open item and its archive under a quarter of DynamoDB's
 * 400 KB item limit, makes the turn it is folded into on release fit what one turn may store (TURN_BYTES,
 * 96 KiB), and lets the `handoff` frame that carries it after a history fit one WebSocket message (128 KB).
 */
export const MAX_HANDOFF_MESSAGE_BYTES = 64 * 1024;

/** The events that are words said while a person has (or is about to have) the conversation. */
export const isHandoffMessage = (event: HandoffEvent): boolean =>
  (event.kind === 'userMessage' || event.kind === 'agentMessage') && event.text !== undefined;

/** What one event counts against the bound: its size as stored (JSON). Other events count nothing. */
export const handoffMessageBytes = (event: HandoffEvent): number =>
  isHandoffMessage(event) ? jsonBytes(event) : 0;

/** What the messages of a handoff count together. */
export const handoffMessagesBytes = (events: readonly HandoffEvent[]): number =>
  events.reduce((sum, event) => sum + handoffMessageBytes(event), 0);

/** Whether `event` may still be added to a handoff holding `events`. */
export const fitsHandoff = (events: readonly HandoffEvent[], event: HandoffEvent): boolean =>
  handoffMessagesBytes(events) + handoffMessageBytes(event) <= MAX_HANDOFF_MESSAGE_BYTES;
