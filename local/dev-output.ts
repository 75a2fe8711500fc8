/**
 * What `npm run dev` prints of its services' output. By default: one line per turn, one line per failed
 * request, warnings and errors, and anything it does not recognise; the start-up chatter of serverless-offline
 * and DynamoDB Local, the per-invocation lines and the handlers' routine JSON logs are left out, and a build
 * error that every handler bundle reports is printed once. `verbose` prints everything as it comes.
 */
export interface DevOutput {
  /** One line of a service's output. */
  line(service: string, text: string): void;
}

type Print = (service: string, text: string) => void;

/** Lines that say nothing a developer acts on, by service. */
const ROUTINE: Record<string, RegExp[]> = {
  offline: [
    /^Running Authorization function for /,
    /^\(λ: \w+\) RequestId: /,
    /^Authorization function returned a successful response/,
    /^received connection$/,
    /^route '/,
    /^Function names exposed for local invocation/,
    /^\s+\* \w+: /,
    /^Offline \[(http for lambda|http for websocket|websocket)\] listening on /,
    /^Starting Offline at stage /,
    /^Configuring Authorization: /,
    /^DynamoDB - created table /,
    /^DynamoDB - Warn - table .* already exists/,
    // serverless-dynamodb's end hook, for a database it did not start (ours): not a problem.
    /^Skipping end: DynamoDB Local is not available/,
    /^Got SIG\w+ signal\. Offline Halting/,
    /^Halting offline server/,
  ],
  dynamodb: [
    /^Initializing DynamoDB Local with the following configuration:/,
    /^(Port|InMemory|Version|DbPath|SharedDb|shouldDelayTransientStatuses|CorsParams):/,
    /^DynamoDB Local listening on /,
  ],
};

/** How long identical build errors count as one build's (each handler bundle reports the same error). */
const SAME_BUILD_MS = 5_000;

interface LogEntry {
  level?: string;
  message?: string;
  routeKey?: string;
  turnId?: string;
  tool?: string;
  code?: string;
  error?: { message?: string; name?: string };
  [key: string]: unknown;
}

export function createDevOutput(options: { verbose: boolean; print: Print; now?: () => number }): DevOutput {
  const { print } = options;
  const now = options.now ?? Date.now;
  const toolsByTurn = new Map<string, string[]>();
  let json: string[] | undefined;
  let errorBlock: { shown: boolean } | undefined;
  const buildErrors = new Map<string, number>();

  function logEntry(entry: LogEntry) {
    const route = entry.routeKey ?? 'request';
    if (entry.message === 'toolUse' && entry.turnId && entry.tool) {
      toolsByTurn.set(entry.turnId, [...(toolsByTurn.get(entry.turnId) ?? []), entry.tool]);
      return;
    }
    if (entry.message === 'turn finished') {
      const tools = entry.turnId ? (toolsByTurn.get(entry.turnId) ?? []) : [];
      if (entry.turnId) toolsByTurn.delete(entry.turnId);
      print('turn', describeTurn(entry, tools));
      return;
    }
    if (entry.message === 'request failed') {
      print(
        'turn',
        `${route} failed: ${entry.code ?? 'error'}${entry.error?.message ? ` (${entry.error.message})` : ''}`,
      );
      return;
    }
    if (entry.level === 'WARN' || entry.level === 'ERROR' || entry.level === 'CRITICAL') {
      const detail = entry.error?.message ? `: ${entry.error.message}` : '';
      print('offline', `${entry.level.toLowerCase()} in ${route}: ${entry.message}${detail}`);
      return;
    }
    if (entry.message?.startsWith('connection refused')) print('offline', entry.message);
  }

  /** esbuild prints `✘ [ERROR] …` then indented context lines and a blank line; one block per bundle. */
  function buildError(service: string, text: string): boolean {
    if (text.startsWith('✘ [ERROR]')) {
      const seen = buildErrors.get(text);
      buildErrors.set(text, now());
      errorBlock = { shown: seen === undefined || now() - seen > SAME_BUILD_MS };
      if (errorBlock.shown) print(service, text);
      return true;
    }
    if (errorBlock && (text.startsWith(' ') || text.trim() === '')) {
      if (errorBlock.shown && text.trim() !== '') print(service, text);
      return true;
    }
    errorBlock = undefined;
    return false;
  }

  return {
    line(service, text) {
      if (options.verbose) return print(service, text);
      // Powertools pretty-prints each log entry (POWERTOOLS_DEV=true offline) over several lines.
      if (json) {
        json.push(text);
        if (text !== '}') return;
        const lines = json;
        json = undefined;
        try {
          return logEntry(JSON.parse(lines.join('\n')) as LogEntry);
        } catch {
          for (const line of lines) print(service, line);
          return;
        }
      }
      if (text === '{') {
        json = [text];
        return;
      }
      if (buildError(service, text)) return;
      if (text.trim() === '' || ROUTINE[service]?.some((pattern) => pattern.test(text))) return;
      print(service, text);
    },
  };
}

function describeTurn(entry: LogEntry, tools: string[]): string {
  const id = String(entry.turnId ?? '').slice(0, 8);
  const seconds = (ms: unknown) => `${(Number(ms) / 1000).toFixed(1)} s`;
  const timings = entry.timings as { firstTokenMs?: number } | undefined;
  const usage = entry.usage as { inputTokens?: number; outputTokens?: number } | undefined;
  const ending =
    entry.outcome === 'failed'
      ? `failed ${entry.errorCode ?? ''}`.trim()
      : `${entry.stopReason ?? entry.outcome}`;
  const tokens = (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
  const parts = [
    `${id}${entry.routeKey === 'resume' ? ' (resumed)' : ''}`,
    ending,
    `${seconds(entry.durationMs)}${timings?.firstTokenMs === undefined ? '' : ` (first token ${seconds(timings.firstTokenMs)})`}`,
    `${entry.modelCalls} model call${entry.modelCalls === 1 ? '' : 's'}`,
    ...(tools.length ? [tools.join(', ')] : []),
    ...(tokens > 0 ? [`${tokens} tokens`] : []),
  ];
  return parts.join('  ');
}
