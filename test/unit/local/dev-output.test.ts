import { describe, expect, it } from 'vitest';
import { createDevOutput } from '../../../local/dev-output.ts';

/** Feeds lines as a service printed them and returns what `npm run dev` shows. */
function shown(
  lines: Array<[service: string, text: string]>,
  options: { verbose?: boolean; now?: () => number } = {},
) {
  const printed: string[] = [];
  const output = createDevOutput({
    verbose: options.verbose ?? false,
    print: (service, text) => printed.push(`${service}: ${text}`),
    now: options.now,
  });
  for (const [service, text] of lines) output.line(service, text);
  return printed;
}

/** A Powertools log entry as POWERTOOLS_DEV=true prints it: pretty JSON over several lines. */
const pretty = (entry: Record<string, unknown>): Array<[string, string]> =>
  JSON.stringify(entry, null, 4)
    .split('\n')
    .map((line) => ['offline', line]);

const TURN = '9f1e2d3c-0000-4000-8000-000000000000';

describe('the dev terminal', () => {
  it('shows a turn as one line: its id, how it ended, time, model calls, tools and tokens', () => {
    const lines = [
      ['offline', 'Running Authorization function for $connect (λ: authorize)'],
      ['offline', '(λ: authorize) RequestId: 1  Duration: 12.00 ms  Billed Duration: 13 ms'],
      ['offline', 'received connection'],
      ...pretty({
        level: 'INFO',
        message: 'toolUse',
        turnId: TURN,
        tool: 'kb_lookup',
        routeKey: 'sendMessage',
      }),
      ...pretty({
        level: 'INFO',
        message: 'turn finished',
        routeKey: 'sendMessage',
        turnId: TURN,
        outcome: 'completed',
        stopReason: 'end_turn',
        modelCalls: 2,
        toolCalls: 1,
        usage: { inputTokens: 1116, outputTokens: 68 },
        timings: { readyMs: 20, firstTextMs: 900, firstTokenMs: 1052.5 },
        durationMs: 2525,
      }),
      ['offline', '(λ: sendMessage) RequestId: 2  Duration: 2805.40 ms  Billed Duration: 2806 ms'],
    ] as Array<[string, string]>;

    expect(shown(lines)).toEqual([
      'turn: 9f1e2d3c  end_turn  2.5 s (first token 1.1 s)  2 model calls  kb_lookup  1184 tokens',
    ]);
  });

  it('names the error code of a failed turn and of a refused request', () => {
    const lines = [
      ...pretty({
        level: 'INFO',
        message: 'turn finished',
        routeKey: 'sendMessage',
        turnId: TURN,
        outcome: 'failed',
        errorCode: 'MODEL_FIXTURE_MISMATCH',
        modelCalls: 1,
        toolCalls: 0,
        usage: { inputTokens: 0, outputTokens: 0 },
        timings: { readyMs: 20 },
        durationMs: 310,
      }),
      ...pretty({ level: 'INFO', message: 'request failed', routeKey: 'getHistory', code: 'FORBIDDEN' }),
    ];

    expect(shown(lines)).toEqual([
      'turn: 9f1e2d3c  failed MODEL_FIXTURE_MISMATCH  0.3 s  1 model call',
      'turn: getHistory failed: FORBIDDEN',
    ]);
  });

  it('shows warnings and errors, and lines it does not know, as they come', () => {
    const lines: Array<[string, string]> = [
      ...pretty({
        level: 'WARN',
        message: 'per-user usage not recorded',
        routeKey: 'sendMessage',
        error: { message: 'boom' },
      }),
      [
        'offline',
        'WebSocket 42 closed on a malformed frame: Invalid WebSocket frame: invalid UTF-8 sequence',
      ],
      ['offline', 'Handlers reloaded: 2 idle stopped, 1 running finish first'],
    ];

    expect(shown(lines)).toEqual([
      'offline: warn in sendMessage: per-user usage not recorded: boom',
      'offline: WebSocket 42 closed on a malformed frame: Invalid WebSocket frame: invalid UTF-8 sequence',
      'offline: Handlers reloaded: 2 idle stopped, 1 running finish first',
    ]);
  });

  it('prints a build error once although every handler bundle reports it', () => {
    const block: Array<[string, string]> = [
      ['offline', '✘ [ERROR] Unexpected ";"'],
      ['offline', ''],
      ['offline', '    src/chat/pricing.ts:15:10:'],
      ['offline', '      15 │ const x = ;'],
      ['offline', ''],
    ];
    const lines = [
      ...block,
      ...block,
      ...block,
      ...block,
      ...block,
      ['offline', '× Bundle error, waiting for a file change to reload...'],
    ] as Array<[string, string]>;

    expect(shown(lines)).toEqual([
      'offline: ✘ [ERROR] Unexpected ";"',
      'offline:     src/chat/pricing.ts:15:10:',
      'offline:       15 │ const x = ;',
      'offline: × Bundle error, waiting for a file change to reload...',
    ]);
  });

  it('prints the same error again when a later build still has it', () => {
    let now = 0;
    const error: [string, string] = ['offline', '✘ [ERROR] Unexpected ";"'];
    const printed = shown([error, error], { now: () => (now += 10_000) });

    expect(printed).toEqual(['offline: ✘ [ERROR] Unexpected ";"', 'offline: ✘ [ERROR] Unexpected ";"']);
  });

  it('hides the start-up and shutdown chatter of serverless-offline and DynamoDB Local', () => {
    const lines: Array<[string, string]> = [
      ['dynamodb', 'Initializing DynamoDB Local with the following configuration:'],
      ['dynamodb', 'Port:\t8000'],
      ['dynamodb', 'DynamoDB Local listening on 127.0.0.1'],
      ['offline', 'DynamoDB - created table bedrock-ws-chat-local'],
      ['offline', 'Starting Offline at stage local (us-east-1)'],
      ['offline', "route 'sendMessage (λ: sendMessage)'"],
      ['offline', 'Offline [websocket] listening on ws://127.0.0.1:3001'],
      ['offline', 'Skipping end: DynamoDB Local is not available for stage: local'],
    ];

    expect(shown(lines)).toEqual([]);
    expect(shown(lines, { verbose: true })).toHaveLength(lines.length);
  });
});
