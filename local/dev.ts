/**
 * `npm run dev`: the whole chat on this machine, no AWS account. Starts DynamoDB Local, the Bedrock emulator,
 * serverless-offline and the web app, prints their URLs and opens the chat. Ctrl-C stops everything.
 *
 *   npm run dev -- --fresh           start with an empty database (chats are kept in .dev-data/ between runs)
 *   npm run dev -- --verbose         print every line of every service (by default: one line per turn, and problems)
 *   npm run dev -- --bedrock aws     model and Retrieve calls go to real Bedrock as you (CHAT_BEDROCK=aws)
 *        [--record <dir>]            ...and every conversation is saved as a fixture in <dir> (CHAT_BEDROCK_RECORD)
 *
 * Ports can be moved with DYNAMODB_LOCAL_PORT, EMULATOR_PORT, AUTH_PORT, WS_PORT, HTTP_PORT, LAMBDA_PORT and
 * WEB_PORT.
 */

export {};

// Before any SDK module loads: Node 20 is supported here, the SDK's end-of-support notice is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = 'npm run dev [-- --fresh] [--verbose] [--bedrock aws [--record <dir>]]';
const { flags, values, problem } = parseArguments(process.argv.slice(2));
if (flags.has('--help')) {
  console.log(`${USAGE}   (see the top of local/dev.ts or the README)`);
  process.exit(0);
}
if (problem) {
  console.error(`${problem} Usage: ${USAGE}`);
  process.exit(1);
}

const started = performance.now();
// Ctrl-C at any moment, even while starting, stops everything started so far (the children run detached).
const starting = new AbortController();
let stopRunning: ((signal: string) => Promise<void>) | undefined;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => (stopRunning ? void stopRunning(signal) : starting.abort()));
}

const [
  { rm },
  { join, relative },
  { canConnect },
  { DEV_PORTS, LOCAL_REGION, ROOT, startStack },
  { SetupError },
  { createDevOutput },
  { checkConfiguredModel, configuredModelId },
] = await Promise.all([
  import('node:fs/promises'),
  import('node:path'),
  import('./processes.ts'),
  import('./stack.ts'),
  import('./setup-error.ts'),
  import('./dev-output.ts'),
  import('../emulator/models/configured-model.ts'),
]);
// Vite loads while the stack starts; it is only needed once the ports are known to be free.
const viteLoading = import('vite');

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const SERVICE_COLORS: Record<string, number> = {
  dynamodb: 34,
  offline: 35,
  emulator: 36,
  bedrock: 96,
  web: 32,
  turn: 33,
};
const print = (service: string, line: string) =>
  console.log(`${paint(SERVICE_COLORS[service] ?? 37, service.padEnd(8))} ${line}`);
const output = createDevOutput({ verbose: flags.has('--verbose'), print });
const fail = (message: string): never => {
  console.error(paint(31, message));
  process.exit(1);
};

// `--bedrock aws` (or CHAT_BEDROCK=aws): model and Retrieve calls go to real Bedrock as you, the rest stays local.
const recordTo = values.get('--record') ?? process.env.CHAT_BEDROCK_RECORD;
const bedrock =
  (values.get('--bedrock') ?? process.env.CHAT_BEDROCK) === 'aws'
    ? {
        region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? LOCAL_REGION,
        ...(process.env.CHAT_KNOWLEDGE_BASE_ID
          ? { knowledgeBaseId: process.env.CHAT_KNOWLEDGE_BASE_ID }
          : {}),
        ...(recordTo ? { recordTo, onWritten: (path: string) => print('bedrock', `saved ${path}`) } : {}),
      }
    : undefined;
if (values.has('--record') && !bedrock) fail('--record saves what real Bedrock answers: add --bedrock aws.');

// A model Bedrock would refuse fails every answer: say so now, in one line, instead.
const model = checkConfiguredModel(configuredModelId(ROOT), bedrock?.region ?? LOCAL_REGION);
if (!model.ok) fail(`serverless.yml: ${model.line}`);

const portFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = {
  dynamodb: portFrom('DYNAMODB_LOCAL_PORT', DEV_PORTS.dynamodb),
  emulator: portFrom('EMULATOR_PORT', DEV_PORTS.emulator),
  auth: portFrom('AUTH_PORT', DEV_PORTS.auth),
  websocket: portFrom('WS_PORT', DEV_PORTS.websocket),
  http: portFrom('HTTP_PORT', DEV_PORTS.http),
  lambda: portFrom('LAMBDA_PORT', DEV_PORTS.lambda),
  web: portFrom('WEB_PORT', DEV_PORTS.web),
  s3: portFrom('S3_PORT', DEV_PORTS.s3),
};

// DynamoDB Local's port is checked by startStack: one already running there is reused.
const variables = {
  emulator: 'EMULATOR_PORT',
  auth: 'AUTH_PORT',
  websocket: 'WS_PORT',
  http: 'HTTP_PORT',
  lambda: 'LAMBDA_PORT',
  web: 'WEB_PORT',
  s3: 'S3_PORT',
} as const;
for (const [name, variable] of Object.entries(variables) as Array<[keyof typeof variables, string]>) {
  if (await canConnect('127.0.0.1', ports[name])) {
    fail(
      `Port ${ports[name]} (${name}) is already in use. Is another \`npm run dev\` running? Stop it, or set ${variable}.`,
    );
  }
}

const dataDirectory = join(ROOT, '.dev-data', 'dynamodb');
if (flags.has('--fresh')) await rm(dataDirectory, { recursive: true, force: true });

print('dev', 'starting DynamoDB Local, the Bedrock emulator, serverless-offline and the web app…');
const websocketUrl = `ws://127.0.0.1:${ports.websocket}`;
const webStarting = viteLoading.then(async ({ createServer }) => {
  const server = await createServer({
    configFile: `${ROOT}/web/vite.config.ts`,
    server: { port: ports.web, strictPort: true, open: false },
    define: {
      'import.meta.env.VITE_CHAT_WS_URL': JSON.stringify(websocketUrl),
      'import.meta.env.VITE_AUTH_MODE': JSON.stringify('dev'),
      'import.meta.env.VITE_DEV_AUTH_URL': JSON.stringify(`http://127.0.0.1:${ports.auth}`),
      // Attachments are posted to the local S3-compatible server (the page's CSP allows its origin).
      'import.meta.env.VITE_UPLOADS_URL': JSON.stringify(`http://127.0.0.1:${ports.s3}`),
    },
    logLevel: 'warn',
  });
  await server.listen();
  return { server, readyMs: Math.round(performance.now() - started) };
});
// A failure is reported where it is awaited, below.
webStarting.catch(() => undefined);

let stack: Awaited<ReturnType<typeof startStack>>;
try {
  stack = await startStack({
    ports,
    log: output.line,
    watch: 'src/**/*.ts',
    dataDirectory,
    quickStart: true,
    emulator: { watchFixtures: true },
    auth: true,
    signal: starting.signal,
    ...(bedrock ? { bedrock } : {}),
  });
} catch (error) {
  await webStarting.then(({ server }) => server.close()).catch(() => undefined);
  if (starting.signal.aborted) {
    print('dev', 'stopped while starting; nothing is left listening.');
    process.exit(130);
  }
  if (error instanceof SetupError) fail(error.message);
  throw error;
}
const { server: web, readyMs: webReadyMs } = await webStarting;
const webUrl = `http://127.0.0.1:${ports.web}/`;
if (!process.env.CI && process.env.BROWSER !== 'none') web.openBrowser();

const database = stack.database.reused
  ? `already running here, reused: its data is its own${flags.has('--fresh') ? ' (--fresh cannot reset it)' : ''}`
  : `data in ${relative(ROOT, dataDirectory)}/; \`npm run dev -- --fresh\` starts empty`;
const answering = bedrock
  ? `AWS ${bedrock.region} as you${bedrock.recordTo ? `, recording to ${bedrock.recordTo}` : ''}`
  : `emulator: ${stack.emulator.options.mode} mode`;
const { timings } = stack;
const phases = `DynamoDB Local ${timings.dynamodb} ms, serverless-offline ${timings.offline} ms, seeded ${timings.seeded} ms, web app ${webReadyMs} ms`;

console.log(`
  ${paint(1, 'Chat is running offline')} (${((performance.now() - started) / 1000).toFixed(1)} s: ${phases})

  Chat            ${paint(32, webUrl)}
  WebSocket API   ${stack.websocketUrl}
  Bedrock         ${stack.emulatorUrl}  (${answering}, model ${model.line}, calls at /_emulator/calls)
  DynamoDB Local  ${stack.dynamodbEndpoint}  (table ${stack.tableName}; ${database})
  Attachments     ${stack.s3.endpoint}  (s3rver, bucket ${stack.s3.bucket})
  Sign-in         ${stack.issuer.url}/token?user=<name>  (dev issuer standing in for Cognito; ?user=<name> on the chat URL)

  Try: "How do I reset my password?", "What time is it in Tokyo?", "Where is the billing-api?"
  One line per turn below; \`npm run dev -- --verbose\` shows every log line. Press Ctrl-C to stop.
`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  print('dev', `${signal}: stopping…`);
  await web.close();
  await stack.stop();
  print('dev', 'stopped; nothing is left listening.');
  process.exit(0);
}
stopRunning = stop;
// Ctrl-C pressed after the stack was up but before this point.
if (starting.signal.aborted) void stop('SIGINT');
void stack.offline.exited.then((code) => {
  if (!stopping) {
    print('dev', `serverless-offline exited (${code}); stopping.`);
    void stop('exit');
  }
});

/** `--fresh`, `--verbose`, `--help` stand alone; `--bedrock` and `--record` take the next argument. */
function parseArguments(argv: string[]) {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  let problem: string | undefined;
  for (let at = 0; at < argv.length && !problem; at++) {
    const arg = argv[at] as string;
    if (arg === '--fresh' || arg === '--verbose' || arg === '--help') flags.add(arg);
    else if (arg === '--bedrock' || arg === '--record') {
      const value = argv[++at];
      if (value === undefined || value.startsWith('--')) problem = `${arg} needs a value.`;
      else if (arg === '--bedrock' && value !== 'aws' && value !== 'emulator')
        problem = `--bedrock ${value}: use aws (real Bedrock as you) or emulator (the default).`;
      else values.set(arg, value);
    } else problem = `Unknown option ${arg}.`;
  }
  return { flags, values, problem };
}
