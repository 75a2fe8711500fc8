import type { Operation } from './bedrock-types.ts';
import { exceptionHeaders } from './event-stream.ts';
import { errorPlan, type ResponsePlan, type StreamPlan } from './response-plan.ts';

export const FAULT_NAMES = [
  'throttle',
  'unavailable',
  'validation',
  'stream-throttle',
  'stream-error',
  'stall',
  'slow-first-token',
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

export interface Fault {
  name: FaultName;
  /** For slow-first-token: the extra wait in ms (default 3000). For stream faults: deltas sent first (default 3). */
  value?: number;
}

/** `#fault:<name>[=<n>]` in the user's question selects a fault for that turn (handy in `npm run dev`). */
const DIRECTIVE = /#fault:([a-z-]+)(?:=(\d+))?/;

/** "stall", "slow-first-token=5000" → Fault. Unknown names throw, so a typo never silently does nothing. */
export function parseFault(spec: string): Fault {
  const [name, value] = spec.trim().split('=');
  if (!FAULT_NAMES.includes(name as FaultName)) {
    throw new Error(`Unknown emulator fault "${name}". Known faults: ${FAULT_NAMES.join(', ')}.`);
  }
  return { name: name as FaultName, ...(value ? { value: Number(value) } : {}) };
}

/**
 * The fault for one request, first found wins: the `x-emulator-fault` header (tests calling the SDK directly),
 * a `#fault:` directive in the question (tests over the whole stack, dev sessions), the server default
 * (`EMULATOR_FAULT`).
 */
export function selectFault(sources: {
  header?: string | null;
  turnText?: string;
  serverDefault?: Fault;
}): Fault | undefined {
  if (sources.header) return parseFault(sources.header);
  const directive = sources.turnText ? DIRECTIVE.exec(sources.turnText) : null;
  if (directive)
    return parseFault(directive[2] ? `${directive[1]}=${directive[2]}` : (directive[1] as string));
  return sources.serverDefault;
}

/** Rewrites a good answer into the faulty one, shaped exactly as Bedrock sends each failure. */
export function applyFault(plan: ResponsePlan, fault: Fault, operation: Operation): ResponsePlan {
  switch (fault.name) {
    case 'throttle':
      return errorPlan(429, 'ThrottlingException', 'Too many requests, please wait before trying again.');
    case 'unavailable':
      return errorPlan(503, 'ServiceUnavailableException', 'Bedrock is unable to process your request.');
    case 'validation':
      return errorPlan(
        400,
        'ValidationException',
        'The model rejected the request (emulated validation fault).',
      );
    case 'slow-first-token': {
      const extra = fault.value ?? 3000;
      if (plan.kind === 'json') return { ...plan, delayMs: (plan.delayMs ?? 0) + extra };
      const [first, ...rest] = plan.frames;
      return first ? { ...plan, frames: [{ ...first, delayMs: first.delayMs + extra }, ...rest] } : plan;
    }
    case 'stream-throttle':
    case 'stream-error':
    case 'stall':
      if (plan.kind !== 'stream' || operation !== 'ConverseStream') {
        return errorPlan(424, 'ModelErrorException', `Emulated ${fault.name} on a non-streaming call.`);
      }
      return breakStream(plan, fault);
  }
}

function breakStream(plan: StreamPlan, fault: Fault): StreamPlan {
  const keepDeltas = fault.value ?? 3;
  const kept: StreamPlan['frames'] = [];
  let deltas = 0;
  for (const planned of plan.frames) {
    if (planned.frame.headers[':event-type'] === 'contentBlockDelta' && deltas++ >= keepDeltas) break;
    if (planned.frame.headers[':event-type'] === 'messageStop') break;
    kept.push(planned);
  }
  if (fault.name === 'stall') return { ...plan, frames: kept, stall: true };
  const [exception, payload] =
    fault.name === 'stream-throttle'
      ? ['throttlingException', { message: 'Too many tokens, please wait before trying again.' }]
      : [
          'modelStreamErrorException',
          {
            message: 'Model stream error (emulated).',
            originalStatusCode: 500,
            originalMessage: 'Internal model error',
          },
        ];
  return {
    ...plan,
    frames: [
      ...kept,
      {
        delayMs: 0,
        frame: { headers: exceptionHeaders(exception as string), payload: JSON.stringify(payload) },
      },
    ],
  };
}
