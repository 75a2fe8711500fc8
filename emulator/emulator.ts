import { type ConverseBody, type Operation, type RetrieveBody, turnTextOf } from './bedrock-types.ts';
import { checkConverseRequest } from './converse-checks.ts';
import { InvalidPacingError } from './errors.ts';
import { applyFault, type Fault, parseFault, selectFault } from './faults.ts';
import { createFixtureIndex, normaliseRequest } from './fixture-index.ts';
import { planFromInteraction } from './fixture-replay.ts';
import type { Fixture } from './fixtures.ts';
import { createGuardrailSet, type GuardrailSet } from './guardrails.ts';
import type { LocalKnowledgeBase } from './knowledge-base.ts';
import { createModelCatalogue, type ModelCatalogue } from './models/model-catalogue.ts';
import { createPromptCache } from './prompt-cache.ts';
import { DEFAULT_REGION, type SignatureCheck } from './request-signature.ts';
import {
  bedrockErrorPlan,
  errorPlan,
  type JsonPlan,
  type ResponseOutcome,
  type ResponsePlan,
  toResponse,
} from './response-plan.ts';
import { answerRetrieve } from './retrieve-answer.ts';
import { scriptedPlan } from './scripted-plan.ts';
import type { ScriptedPace } from './scripted-response.ts';

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
  /** The models and inference profiles it answers for (default: emulator/models/model-catalogue.json). */
  catalogue?: ModelCatalogue;
  /** Guardrails a request may name in `guardrailConfig` (default: none). */
  guardrails?: GuardrailSet;
  /** Milliseconds since the epoch; prompt-cache entries expire by it. */
  clock?: () => number;
  /** Told of every request as it is answered (`npm run dev` prints the ones the emulator refused). */
  onCall?: (call: EmulatorCall) => void;
}

export interface EmulatorRequest {
  operation: Operation;
  /** Model id (Converse*) or knowledge base id (Retrieve), URL-decoded. */
  target: string;
  body: unknown;
  headers: Headers;
  /**
   * The request's credentials as the HTTP edge found them (handlers.ts); a refused one is answered with AWS's
   * 403. Absent for calls made in code, which are served in the default region.
   */
  signature?: SignatureCheck;
}

/** One request as the emulator saw and answered it; tests read these to count model calls. */
export interface EmulatorCall {
  id: number;
  operation: Operation;
  target: string;
  /** `fixture:<name>#<n>`, `scripted`, `knowledge-base`, `validation`, `auth`, `unmatched` or `bad-request`. */
  source: string;
  status: number;
  fault?: string;
  /** Why the emulator answered with an error of its own: the fixture mismatch, the unknown fault. */
  detail?: string;
  /** The question of the turn (last user text), or the query of a Retrieve, to tell tests' calls apart. */
  turnText: string;
  messages: number;
  /** The text of each system block, in order (model calls only): what the model was told besides the messages. */
  system?: string[];
  outcome: 'streaming' | ResponseOutcome;
  startedAt: number;
  finishedAt?: number;
}

export interface Emulator {
  handle(request: EmulatorRequest): Promise<Response>;
  calls(): EmulatorCall[];
  resetCalls(): void;
  /** Answers from these fixtures from now on (the fixture folder changed). */
  replaceFixtures(fixtures: Fixture[]): void;
  readonly options: EmulatorOptions;
}

interface Answer {
  plan: ResponsePlan;
  source: string;
  /** Multiplier on the plan's delays. */
  pacing: number;
  fault?: Fault;
  detail?: string;
}

const MAX_LOGGED_CALLS = 10_000;

export function createEmulator(options: EmulatorOptions): Emulator {
  let index = createFixtureIndex(options.fixtures);
  const catalogue = options.catalogue ?? createModelCatalogue();
  const guardrails = options.guardrails ?? createGuardrailSet([]);
  const promptCache = createPromptCache(options.clock);
  let log: EmulatorCall[] = [];
  let nextId = 1;

  /** A fixture if one matches; else Bedrock's validation, then (auto, scripted) the scripted model. */
  function answer(request: EmulatorRequest, turnText: string): Answer {
    const body = (request.body ?? {}) as ConverseBody & RetrieveBody;
    const faultHeader = request.headers.get('x-emulator-fault');
    const pacingOverride = parsePacing(request.headers.get('x-emulator-pacing'));
    const faulty = (plan: ResponsePlan, source: string, pacing: number, fault: Fault | undefined): Answer =>
      fault
        ? { plan: applyFault(plan, fault, request.operation), source, pacing, fault }
        : { plan, source, pacing };

    const signature = request.signature;
    if (signature && !signature.ok) {
      const plan: JsonPlan = {
        kind: 'json',
        status: signature.status,
        headers: { 'content-type': 'application/json', 'x-amzn-errortype': signature.errorType },
        body: JSON.stringify(signature.body),
      };
      return { plan, source: 'auth', pacing: 1, detail: Object.values(signature.body).join(' ') };
    }

    let mismatch = '';
    if (options.mode !== 'scripted') {
      const match = index.match(normaliseRequest(request.operation, request.target, body));
      if (match.matched) {
        // A fixture replays what was recorded: the question's #fault directive already shaped the recording.
        const fault = selectFault({
          header: faultHeader,
          fixtureFault: match.fixture.fault === undefined ? undefined : parseFault(match.fixture.fault),
          serverDefault: options.defaultFault,
        });
        const source = `fixture:${match.fixture.name}#${match.index + 1}`;
        return faulty(
          planFromInteraction(match.interaction),
          source,
          pacingOverride ?? options.replayPacing,
          fault,
        );
      }
      mismatch = match.explanation;
    }

    const refused = (status: number, errorType: string, message: string, namespaced: boolean): Answer => ({
      plan: namespaced ? bedrockErrorPlan(status, errorType, message) : errorPlan(status, errorType, message),
      source: 'validation',
      pacing: 1,
    });
    const unmatched = (): Answer => ({
      plan: errorPlan(400, 'EmulatorFixtureMismatch', mismatch),
      source: 'unmatched',
      pacing: 1,
      detail: mismatch,
    });
    const pacing = pacingOverride ?? 1;

    if (request.operation === 'Retrieve') {
      const retrieved = answerRetrieve(request.target, body, options.knowledgeBase);
      if (!retrieved.ok) {
        const { status, errorType, message } = retrieved.error;
        return refused(status, errorType, message, false);
      }
      if (options.mode === 'strict') return unmatched();
      const fault = selectFault({ header: faultHeader, serverDefault: options.defaultFault });
      const plan: JsonPlan = {
        kind: 'json',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: retrieved.body,
      };
      return faulty(plan, 'knowledge-base', pacing, fault);
    }

    const checked = checkConverseRequest(request.operation, request.target, body, {
      region: signature?.ok ? signature.region : DEFAULT_REGION,
      catalogue,
      guardrails,
    });
    if (!checked.ok) {
      const { status, errorType, message } = checked.error;
      return refused(status, errorType, message, true);
    }
    if (options.mode === 'strict') return unmatched();

    const fault = selectFault({
      header: faultHeader,
      directiveText: turnText,
      serverDefault: options.defaultFault,
    });
    const scripted = scriptedPlan(request.operation, body, checked, {
      knowledgeBase: options.knowledgeBase,
      promptCache,
      pace: paceFor(turnText, options.pace),
    });
    return faulty(scripted, 'scripted', pacing, fault);
  }

  /** A request the emulator cannot act on (unknown fault, bad pacing) is refused, saying why. */
  function answerOrRefuse(request: EmulatorRequest, turnText: string): Answer {
    try {
      return answer(request, turnText);
    } catch (error) {
      const { name, message } = error as Error;
      return { plan: errorPlan(400, name, message), source: 'bad-request', pacing: 1, detail: message };
    }
  }

  return {
    options,
    async handle(request) {
      const body = (request.body ?? {}) as ConverseBody & RetrieveBody;
      const turnText =
        request.operation === 'Retrieve' ? (body.retrievalQuery?.text ?? '') : turnTextOf(body);
      const chosen = answerOrRefuse(request, turnText);
      const call: EmulatorCall = {
        id: nextId++,
        operation: request.operation,
        target: request.target,
        source: chosen.source,
        status: chosen.plan.status,
        ...(chosen.fault ? { fault: chosen.fault.name } : {}),
        ...(chosen.detail ? { detail: chosen.detail } : {}),
        turnText,
        messages: (body.messages ?? []).length,
        ...(body.system
          ? { system: body.system.flatMap((block) => (block.text === undefined ? [] : [block.text])) }
          : {}),
        outcome: 'streaming',
        startedAt: Date.now(),
      };
      log.push(call);
      if (log.length > MAX_LOGGED_CALLS) log = log.slice(-MAX_LOGGED_CALLS);
      options.onCall?.(call);
      return toResponse(chosen.plan, {
        pacing: chosen.pacing,
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
    replaceFixtures(fixtures) {
      index = createFixtureIndex(fixtures);
      options.fixtures = fixtures;
    },
  };
}

/** `x-emulator-pacing: 0` replays a fixture at full speed, `1` at its recorded pace, `2` twice as slow. */
function parsePacing(header: string | null): number | undefined {
  if (header === null) return undefined;
  const pacing = Number(header);
  if (header.trim() === '' || !Number.isFinite(pacing) || pacing < 0) {
    throw new InvalidPacingError(`x-emulator-pacing must be a number of at least 0, not "${header}".`);
  }
  return pacing;
}

/** `#pace:<ms>` in the question sets the scripted model's time per token (and before the first) for that turn. */
function paceFor(turnText: string, fallback: ScriptedPace): ScriptedPace {
  const directive = /#pace:(\d{1,5})/.exec(turnText);
  if (!directive) return fallback;
  const ms = Number(directive[1]);
  return { firstTokenMs: ms, tokenMs: ms };
}
