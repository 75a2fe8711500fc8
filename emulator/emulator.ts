import { type ConverseBody, type Operation, type RetrieveBody, turnTextOf } from './bedrock-types.ts';
import { applyFault, type Fault, selectFault } from './faults.ts';
import { createFixtureIndex, type Fixture, normaliseRequest, planFromInteraction } from './fixtures.ts';
import type { LocalKnowledgeBase } from './knowledge-base.ts';
import { errorPlan, jsonPlan, type ResponseOutcome, type ResponsePlan, toResponse } from './response-plan.ts';
import { scriptReply } from './scripted-model.ts';
import { type ScriptedPace, toConversePlan, toStreamPlan } from './scripted-response.ts';
import { validateConverseBody } from './validation.ts';

/**
 * auto: replay a matching fixture, else answer with the scripted model (dev default).
 * strict: replay a matching fixture, else fail naming the closest fixture (regression tests).
 * scripted: always the scripted model.
 */
export type EmulatorMode = 'auto' | 'strict' | 'scripted';

export interface EmulatorOptions {
  mode: EmulatorMode;
  fixtures: Fixture[];
  knowledgeBase: LocalKnowledgeBase;
  /** Pace of the scripted model. */
  pace: ScriptedPace;
  /** Multiplier on recorded delays: 1 keeps a fixture's original pacing, 0 sends it as fast as possible. */
  replayPacing: number;
  /** A fault applied to every request without one of its own (EMULATOR_FAULT). */
  defaultFault?: Fault;
}

export interface EmulatorRequest {
  operation: Operation;
  /** Model id (Converse*) or knowledge base id (Retrieve), URL-decoded. */
  target: string;
  body: unknown;
  headers: Headers;
}

/** One request as the emulator saw and answered it; tests read these to count model calls. */
export interface EmulatorCall {
  id: number;
  operation: Operation;
  target: string;
  /** `fixture:<name>#<n>`, `scripted`, `knowledge-base`, `validation`, `unmatched` or `bad-request`. */
  source: string;
  status: number;
  fault?: string;
  /** The question of the turn (last user text), to tell concurrent tests' calls apart. */
  turnText: string;
  messages: number;
  outcome: 'streaming' | ResponseOutcome;
  startedAt: number;
  finishedAt?: number;
}

export interface Emulator {
  handle(request: EmulatorRequest): Promise<Response>;
  calls(): EmulatorCall[];
  resetCalls(): void;
  readonly options: EmulatorOptions;
}

const MAX_LOGGED_CALLS = 10_000;

export function createEmulator(options: EmulatorOptions): Emulator {
  const index = createFixtureIndex(options.fixtures);
  let log: EmulatorCall[] = [];
  let nextId = 1;

  function plan(
    request: EmulatorRequest,
    turnText: string,
  ): { plan: ResponsePlan; source: string; pacing: number; fault?: Fault } {
    const body = (request.body ?? {}) as ConverseBody & RetrieveBody;
    if (request.operation !== 'Retrieve') {
      const invalid = validateConverseBody(body);
      if (invalid)
        return { plan: errorPlan(400, 'ValidationException', invalid), source: 'validation', pacing: 1 };
    }

    let fault: Fault | undefined;
    try {
      fault = selectFault({
        header: request.headers.get('x-emulator-fault'),
        turnText: request.operation === 'Retrieve' ? undefined : turnText,
        serverDefault: options.defaultFault,
      });
    } catch (error) {
      return {
        plan: errorPlan(400, 'EmulatorConfigurationError', (error as Error).message),
        source: 'bad-request',
        pacing: 1,
      };
    }
    const headerPacing = request.headers.get('x-emulator-pacing');
    const withFault = (result: { plan: ResponsePlan; source: string; pacing: number }) =>
      fault ? { ...result, plan: applyFault(result.plan, fault, request.operation), fault } : result;

    if (options.mode !== 'scripted') {
      const match = index.match(normaliseRequest(request.operation, request.target, body));
      if (match.matched) {
        return withFault({
          plan: planFromInteraction(match.interaction),
          source: `fixture:${match.fixture.name}#${match.index + 1}`,
          pacing: headerPacing === null ? options.replayPacing : Number(headerPacing),
        });
      }
      if (options.mode === 'strict') {
        return {
          plan: errorPlan(400, 'EmulatorFixtureMismatch', match.explanation),
          source: 'unmatched',
          pacing: 1,
        };
      }
    }

    const pacing = headerPacing === null ? 1 : Number(headerPacing);
    if (request.operation === 'Retrieve') {
      return withFault({ plan: retrievePlan(body, options.knowledgeBase), source: 'knowledge-base', pacing });
    }
    const reply = scriptReply(body, options.knowledgeBase);
    const pace = paceFor(turnText, options.pace);
    const scripted =
      request.operation === 'ConverseStream'
        ? toStreamPlan(reply, body, pace)
        : toConversePlan(reply, body, pace);
    return withFault({ plan: scripted, source: 'scripted', pacing });
  }

  return {
    options,
    async handle(request) {
      const turnText =
        request.operation === 'Retrieve' ? '' : turnTextOf((request.body ?? {}) as ConverseBody);
      const chosen = plan(request, turnText);
      const call: EmulatorCall = {
        id: nextId++,
        operation: request.operation,
        target: request.target,
        source: chosen.source,
        status: chosen.plan.status,
        ...(chosen.fault ? { fault: chosen.fault.name } : {}),
        turnText,
        messages: ((request.body as ConverseBody | undefined)?.messages ?? []).length,
        outcome: 'streaming',
        startedAt: Date.now(),
      };
      log.push(call);
      if (log.length > MAX_LOGGED_CALLS) log = log.slice(-MAX_LOGGED_CALLS);
      return toResponse(chosen.plan, {
        pacing: Number.isFinite(chosen.pacing) ? chosen.pacing : 1,
        onFinish: (outcome) => {
          call.outcome = outcome;
          call.finishedAt = Date.now();
        },
      });
    },
    calls: () => [...log],
    resetCalls: () => {
      log = [];
    },
  };
}

/** `#pace:<ms>` in the question sets the scripted model's time per token (and before the first) for that turn. */
function paceFor(turnText: string, fallback: ScriptedPace): ScriptedPace {
  const directive = /#pace:(\d{1,5})/.exec(turnText);
  if (!directive) return fallback;
  const ms = Number(directive[1]);
  return { firstTokenMs: ms, tokenMs: ms };
}

/** Retrieve answered from the local knowledge base, in the shape Bedrock Knowledge Bases returns. */
function retrievePlan(body: RetrieveBody, knowledgeBase: LocalKnowledgeBase): ResponsePlan {
  const query = body.retrievalQuery?.text;
  if (!query || query.trim() === '') {
    return errorPlan(
      400,
      'ValidationException',
      '1 validation error detected: retrievalQuery.text must not be empty',
    );
  }
  const limit = body.retrievalConfiguration?.vectorSearchConfiguration?.numberOfResults ?? 5;
  const retrievalResults = knowledgeBase.search(query, limit).map((chunk) => ({
    content: { text: chunk.text, type: 'TEXT' },
    location: { type: 'S3', s3Location: { uri: chunk.uri } },
    score: Number(chunk.score.toFixed(6)),
    metadata: {
      'x-amz-bedrock-kb-source-uri': chunk.uri,
      'x-amz-bedrock-kb-chunk-id': chunk.id,
      'x-amz-bedrock-kb-data-source-id': 'LOCALDS001',
    },
  }));
  return jsonPlan({ retrievalResults });
}
