import type { Operation } from './bedrock-types.ts';
import { UnknownFaultError } from './errors.ts';
import { exceptionHeaders } from './event-stream.ts';
import { bedrockErrorPlan, type ResponsePlan, type StreamPlan } from './response-plan.ts';

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

/** "stall", "slow-first-token=5000" → Fault. Unknown names and bad values throw, so a typo never does nothing. */
export function parseFault(spec: string): Fault {
  const [name = '', value, ...extra] = spec.trim().split('=');
  if (!FAULT_NAMES.includes(name as FaultName)) {
    throw new UnknownFaultError(`Unknown emulator fault "${name}". Known faults: ${FAULT_NAMES.join(', ')}.`);
  }
  if (extra.length > 0 || (value !== undefined && !/^\d{1,7}$/.test(value))) {
    throw new UnknownFaultError(
      `The value of fault "${spec.trim()}" must be a whole number, e.g. ${name}=3.`,
    );
  }
  return { name: name as FaultName, ...(value === undefined ? {} : { value: Number(value) }) };
}

/**
 * The fault for one request, first found wins: the `x-emulator-fault` header (tests calling the SDK directly);
 * then, for a scripted answer, a `#fault:` directive in the question (tests over the whole stack, dev sessions),
 * or, for a replayed fixture, its `fault` field; then the server default (`EMULATOR_FAULT`).
 */
export function selectFault(sources: {
  header?: string | null;
  directiveText?: string;
  fixtureFault?: Fault;
  serverDefault?: Fault;
}): Fault | undefined {
  if (sources.header) return parseFault(sources.header);
  const directive = sources.directiveText ? DIRECTIVE.exec(sources.directiveText) : null;
  if (directive) return parseFault(directive[2] ? `${directive[1]}=${directive[2]}` : `${directive[1]}`);
  return sources.fixtureFault ?? sources.serverDefault;
}

/**
 * Rewrites a good answer into the faulty one, shaped exactly as Bedrock sends each failure. Stream faults only
 * touch ConverseStream, so a session-wide `EMULATOR_FAULT=stream-error` leaves knowledge-base lookups working.
 */
export function applyFault(plan: ResponsePlan, fault: Fault, operation: Operation): ResponsePlan {
  switch (fault.name) {
    case 'throttle':
      return bedrockErrorPlan(
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
      );
    case 'unavailable':
      return bedrockErrorPlan(
        503,
        'ServiceUnavailableException',
        'Bedrock is unable to process your request.',
      );
    case 'validation':
      return bedrockErrorPlan(
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
      return plan.kind === 'stream' && operation === 'ConverseStream' ? breakStream(plan, fault) : plan;
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
