/**
 * `npm run dev`: the whole chat on this machine, no AWS account. Starts DynamoDB Local, the Bedrock emulator,
 * serverless-offline and the web app, prints their URLs and opens the chat. Ctrl-C stops everything.
 *
 * Ports can be moved with DYNAMODB_LOCAL_PORT, EMULATOR_PORT, WS_PORT and WEB_PORT.
 */

export {};

// Before any SDK module loads: Node 20 is supported here, the SDK's end-of-support notice is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { checkConfiguredModel, configuredModelId } = await import('../emulator/models/configured-model.ts');
const { canConnect } = await import('./processes.ts');
const { DEV_PORTS, LOCAL_REGION, ROOT, startStack } = await import('./stack.ts');
const { createServer } = await import('vite');

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const SERVICE_COLORS: Record<string, number> = { dynamodb: 34, offline: 35, emulator: 36, web: 32 };
const log = (service: string, line: string) =>
  console.log(`${paint(SERVICE_COLORS[service] ?? 37, service.padEnd(8))} ${line}`);

const portFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
// `--bedrock aws` (or CHAT_BEDROCK=aws): model and Retrieve calls go to real Bedrock as you, the rest stays local.
const flag = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const awsRegion = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? LOCAL_REGION;
const recordTo = flag('--record') ?? process.env.CHAT_BEDROCK_RECORD;
const bedrock =
  (flag('--bedrock') ?? process.env.CHAT_BEDROCK) === 'aws'
    ? {
        region: awsRegion,
        ...(process.env.CHAT_KNOWLEDGE_BASE_ID
          ? { knowledgeBaseId: process.env.CHAT_KNOWLEDGE_BASE_ID }
          : {}),
        ...(recordTo ? { recordTo, onWritten: (path: string) => log('bedrock', `saved ${path}`) } : {}),
      }
    : undefined;
const ports = {
  ...DEV_PORTS,
  dynamodb: portFrom('DYNAMODB_LOCAL_PORT', DEV_PORTS.dynamodb),
  emulator: portFrom('EMULATOR_PORT', DEV_PORTS.emulator),
  websocket: portFrom('WS_PORT', DEV_PORTS.websocket),
};
const webPort = portFrom('WEB_PORT', 5173);

for (const [name, port] of [
  ['emulator', ports.emulator],
  ['websocket', ports.websocket],
  ['web', webPort],
] as const) {
  if (await canConnect('127.0.0.1', port)) {
    console.error(
      `Port ${port} (${name}) is already in use. Is another \`npm run dev\` running? Stop it or set another port.`,
    );
    process.exit(1);
  }
}

// A model Bedrock would refuse fails every answer: say so now, in one line, instead.
const model = checkConfiguredModel(configuredModelId(ROOT), bedrock?.region ?? LOCAL_REGION);
if (!model.ok) {
  console.error(`serverless.yml: ${model.line}`);
  process.exit(1);
}

const started = performance.now();
log('dev', 'starting DynamoDB Local, the Bedrock emulator and serverless-offline…');
const stack = await startStack({
  ports,
  log,
  reloadHandler: true,
  auth: true,
  ...(bedrock ? { bedrock } : {}),
});

const web = await createServer({
  configFile: `${ROOT}/web/vite.config.ts`,
  server: { port: webPort, strictPort: true, open: !process.env.CI && process.env.BROWSER !== 'none' },
  define: {
    'import.meta.env.VITE_CHAT_WS_URL': JSON.stringify(stack.websocketUrl),
    'import.meta.env.VITE_AUTH_MODE': JSON.stringify('dev'),
    'import.meta.env.VITE_DEV_AUTH_URL': JSON.stringify(stack.issuer.url),
  },
  logLevel: 'warn',
});
await web.listen();
const webUrl = `http://127.0.0.1:${webPort}/`;

console.log(`
  ${paint(1, 'Chat is running offline')} (${((performance.now() - started) / 1000).toFixed(1)} s)

  Chat            ${paint(32, webUrl)}
  WebSocket API   ${stack.websocketUrl}
  Bedrock         ${stack.emulatorUrl}  (${bedrock ? `AWS ${bedrock.region} as you${bedrock.recordTo ? `, recording to ${bedrock.recordTo}` : ''}` : `emulator: ${stack.emulator.options.mode} mode`}, model ${model.line}, calls at /_emulator/calls)
  DynamoDB Local  ${stack.dynamodbEndpoint}  (table ${stack.tableName})
  Sign-in         ${stack.issuer.url}/token?user=<name>  (dev issuer standing in for Cognito; ?user=<name> on the chat URL)

  Try: "How do I reset my password?", "What time is it in Tokyo?", "Where is the billing-api?"
  Press Ctrl-C to stop.
`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log('dev', `${signal}: stopping…`);
  await web.close();
  await stack.stop();
  log('dev', 'stopped; nothing is left listening.');
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
void stack.offline.exited.then((code) => {
  if (!stopping) {
    log('dev', `serverless-offline exited (${code}); stopping.`);
    void stop('exit');
  }
});
