import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator, EmulatorMode } from '../emulator/emulator.ts';
import type { AwsBedrockOptions } from '../recorder/aws-bedrock.ts';
import { type DevIssuer, startDevIssuer } from './dev-issuer.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local.ts';
import { LOCAL_REGION } from './local-document-client.ts';
import { findFreePort, type ManagedProcess, startProcess, waitForPort } from './processes.ts';
import { type S3Local, startS3Local } from './s3-local.ts';
import { SetupError } from './setup-error.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const LOCAL_STAGE = 'local';
export const LOCAL_TABLE = `bedrock-ws-chat-${LOCAL_STAGE}`;
export { createLocalDocumentClient, LOCAL_REGION } from './local-document-client.ts';
export const LOCAL_UPLOADS_BUCKET = 'chat-uploads-local';

export interface StackPorts {
  dynamodb: number;
  emulator: number;
  /** The dev token issuer (stands in for Cognito). */
  auth: number;
  /** The S3-compatible server holding attachments. */
  s3: number;
  websocket: number;
  http: number;
  lambda: number;
  /** The web app; its origin is the only one allowed to sign in and open the WebSocket. */
  web: number;
}

export const DEV_PORTS: StackPorts = {
  dynamodb: 8000,
  emulator: 4010,
  auth: 4011,
  s3: 4012,
  websocket: 3001,
  http: 3000,
  lambda: 3002,
  web: 5173,
};

/** A free loopback port for every service (tests and benchmarks, so they never clash with `npm run dev`). */
export async function findFreeStackPorts(): Promise<StackPorts> {
  const entries = await Promise.all(Object.keys(DEV_PORTS).map(async (name) => [name, await findFreePort()]));
  return Object.fromEntries(entries) as StackPorts;
}

/** The origins a browser may show the web app on port `port` under. */
export function webOriginsOf(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export interface StackOptions {
  ports: StackPorts;
  emulator?: {
    mode?: EmulatorMode;
    firstTokenMs?: number;
    tokenMs?: number;
    /** Bedrock fixtures from this folder instead of EMULATOR_FIXTURES or fixtures/bedrock. */
    fixturesDirectory?: string;
    /** Reload the fixtures when a file in their folder changes (`npm run dev`). */
    watchFixtures?: boolean;
  };
  /** Keep DynamoDB Local's data in this folder (`npm run dev`); in memory when omitted (tests). */
  dataDirectory?: string;
  /**
   * Start quickly rather than run fastest (`npm run dev`): handler bundles load their packages from
   * node_modules instead of bundling them, and DynamoDB Local's JVM skips its optimising compiler.
   */
  quickStart?: boolean;
  /**
   * Files whose change rebuilds the handlers and reloads them, running invocations finishing first
   * (`npm run dev`: `src/**\/*.ts`). Test stacks watch an empty folder of their own unless told otherwise.
   */
  watch?: string;
  /** Each service's output lines; omit to keep them quiet (they are still kept for error messages). */
  log?: (service: string, line: string) => void;
  /** Require a token from the dev issuer on $connect (as Cognito does on AWS). */
  auth?: boolean;
  /** Send model and Retrieve calls to real Bedrock (npm run dev -- --bedrock aws), optionally recording them. */
  bedrock?: Omit<AwsBedrockOptions, 'local'>;
  /** Extra environment for the Lambda handlers (e.g. lower limits in tests). */
  handlerEnv?: Record<string, string>;
  /** The AWS region the handlers believe they run in (default us-east-1); the regions simulation sets it. */
  region?: string;
  timeoutMs?: number;
  /** Stops whatever has started and rejects (Ctrl-C while `npm run dev` is starting). */
  signal?: AbortSignal;
}

export interface Stack {
  websocketUrl: string;
  emulatorUrl: string;
  dynamodbEndpoint: string;
  /** The S3-compatible server and bucket holding attachments. */
  s3: Pick<S3Local, 'endpoint' | 'bucket'>;
  /** The DynamoDB Local process this stack started (none when it reused a running one). */
  dynamodbPid?: number;
  tableName: string;
  region: string;
  /** The web origins allowed to sign in and connect (the web app on `ports.web`). */
  webOrigins: string[];
  emulator: Emulator;
  issuer: DevIssuer;
  database: DynamoDbLocal;
  offline: ManagedProcess;
  /** Milliseconds from the start of `startStack` until each part was ready. */
  timings: Record<'dynamodb' | 'emulator' | 'issuer' | 'offline' | 'seeded', number>;
  stop(): Promise<void>;
}

/**
 * The whole backend on this machine: DynamoDB Local, the Bedrock emulator and serverless-offline running the
 * real handlers, with the resource catalogue seeded. Used by `npm run dev` and by the integration tests.
 * Every server listens on 127.0.0.1; `stop()` ends them all. DynamoDB Local starts alongside
 * serverless-offline (local/wait-for-dynamodb.cjs holds the table creation until it answers).
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const { ports } = options;
  const log = options.log;
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const timings: Partial<Stack['timings']> = {};
  const stoppers: Array<() => Promise<void>> = [];
  // Each call waits for the ones before it (an abort and a failure may both ask).
  let stopped = Promise.resolve();
  const stop = () => {
    stopped = stopped.then(async () => {
      for (const stopOne of stoppers.splice(0).reverse()) await stopOne().catch(() => undefined);
    });
    return stopped;
  };
  // Ends a start that failed or was called off. The children run in process groups of their own, so nothing
  // else would stop them if this process ended.
  const halt = new AbortController();
  const abort = () => {
    halt.abort();
    void stop();
  };
  options.signal?.addEventListener('abort', abort, { once: true });
  const checkAborted = () => options.signal?.throwIfAborted();

  const databaseStarting = startDynamoDbLocal({
    port: ports.dynamodb,
    dataDirectory: options.dataDirectory,
    quickStart: options.quickStart,
    onLine: log && ((line) => log('dynamodb', line)),
    signal: halt.signal,
  }).then((database) => {
    stoppers.push(() => database.stop());
    timings.dynamodb = since();
    return database;
  });
  // Awaited below, once serverless-offline is on its way; until then a failure must not go unhandled.
  databaseStarting.catch(() => undefined);

  try {
    // serverless-offline (several seconds of start-up) is spawned first; the heavier modules of the emulator
    // and the seeding load while it boots. It needs only the issuer's keys and the other services' ports.
    const webOrigins = webOriginsOf(ports.web);
    const issuer = await startDevIssuer({ port: ports.auth, allowedOrigins: webOrigins });
    stoppers.push(() => issuer.close());
    timings.issuer = since();

    const s3 = await startS3Local({ port: ports.s3, bucket: LOCAL_UPLOADS_BUCKET });
    stoppers.push(() => s3.stop());

    // `npm run dev` builds into .esbuild as usual; test stacks get their own folder (see serverless.yml).
    const dev = options.watch !== undefined;
    const workFolder = dev ? '.esbuild' : `.esbuild-stacks/${ports.websocket}`;
    stoppers.push(async () => rm(resolve(ROOT, workFolder), { recursive: true, force: true }));

    checkAborted();
    const require = createRequire(import.meta.url);
    const offline = startProcess(
      'offline',
      process.execPath,
      [
        require.resolve('serverless/bin/serverless.js'),
        'offline',
        'start',
        '--stage',
        LOCAL_STAGE,
        '--host',
        '127.0.0.1',
        '--websocketPort',
        String(ports.websocket),
        '--httpPort',
        String(ports.http),
        '--lambdaPort',
        String(ports.lambda),
        // serverless-offline gives handlers the provider's region as AWS_REGION, whatever the environment says.
        ...(options.region ? ['--region', options.region] : []),
      ],
      {
        cwd: ROOT,
        env: offlineEnvironment(process.env, options.region ?? LOCAL_REGION, {
          CHAT_DYNAMODB_ENDPOINT: `http://127.0.0.1:${ports.dynamodb}`,
          CHAT_BEDROCK_ENDPOINT: `http://127.0.0.1:${ports.emulator}`,
          CHAT_MANAGEMENT_ENDPOINT: `http://127.0.0.1:${ports.websocket}`,
          CHAT_ALLOWED_ORIGINS: webOrigins.join(','),
          CHAT_S3_ENDPOINT: s3.endpoint,
          CHAT_UPLOADS_BUCKET: s3.bucket,
          DYNAMODB_LOCAL_PORT: String(ports.dynamodb),
          ESBUILD_WORK_FOLDER: workFolder,
          ESBUILD_WATCH_PATTERN: options.watch ?? `${workFolder}/watched/**/*.ts`,
          ESBUILD_PACKAGES: options.quickStart ? 'external' : 'bundle',
          ...(options.auth
            ? {
                CHAT_AUTH_MODE: 'jwt',
                CHAT_AUTH_ISSUER: issuer.issuer,
                CHAT_AUTH_AUDIENCE: issuer.audience,
                CHAT_AUTH_JWKS: issuer.jwks,
              }
            : { CHAT_AUTH_MODE: 'off' }),
          ...options.handlerEnv,
        }),
        onLine: log && ((line) => log('offline', line)),
      },
    );
    stoppers.push(() => offline.stop());

    const [
      { emulatorOptionsFromEnv },
      { createEmulator },
      { fixturePaths },
      { startEmulatorServer },
      { watchFixtures },
    ] = await Promise.all([
      import('../emulator/config.ts'),
      import('../emulator/emulator.ts'),
      import('../emulator/repository-paths.ts'),
      import('../emulator/server.ts'),
      import('./fixture-watcher.ts'),
    ]);
    const fixturesDirectory =
      options.emulator?.fixturesDirectory ?? process.env.EMULATOR_FIXTURES ?? fixturePaths(ROOT).bedrock;
    const emulator = createEmulator({
      ...emulatorOptionsFromEnv(ROOT, process.env, { ...options.emulator, fixturesDirectory }),
      // Refusals (a strict-mode fixture mismatch, an unknown fault) would otherwise only show at /_emulator/calls.
      onCall: (call) => {
        if (call.detail) log?.('emulator', `${call.operation} refused (${call.source}): ${call.detail}`);
      },
    });
    // With --bedrock aws the handlers still call this local endpoint, which forwards to AWS as the developer.
    // Loaded only then: it brings the Bedrock SDK client, which the emulator's stack does not need.
    const aws = options.bedrock
      ? (await import('../recorder/aws-bedrock.ts')).createAwsBedrockHandlers({
          ...options.bedrock,
          local: emulator,
          onFailed: (line) => log?.('bedrock', line),
        })
      : undefined;
    // Resolved while serverless-offline boots; a missing profile is a setup error, not a failed first answer.
    const credentialsChecked = aws?.checkCredentials().catch((error: Error) => {
      throw new SetupError(
        `--bedrock aws found no AWS credentials (${error.message}). Set AWS_PROFILE (run \`aws sso login\` first if it uses SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
      );
    });
    credentialsChecked?.catch(() => undefined);
    const emulatorServer = await startEmulatorServer({
      emulator,
      port: ports.emulator,
      ...(aws ? { handlers: aws.handlers } : {}),
    });
    stoppers.push(() => emulatorServer.close());
    if (options.emulator?.watchFixtures) {
      const watcher = watchFixtures({
        emulator,
        directory: fixturesDirectory,
        log: log && ((line) => log('emulator', line)),
      });
      stoppers.push(async () => watcher.close());
    }
    timings.emulator = since();

    await credentialsChecked;
    const database = await databaseStarting;
    checkAborted();
    // Bundling ten handlers and starting serverless-offline takes over 90 s when several stacks start at once.
    await waitForPort(ports.websocket, { timeoutMs: options.timeoutMs ?? 180_000, process: offline });
    timings.offline = since();

    const [{ createLocalDocumentClient }, { seedResources }] = await Promise.all([
      import('./local-document-client.ts'),
      import('../seed/seed-resources.ts'),
    ]);
    const documentClient = createLocalDocumentClient(database.endpoint);
    await seedResources({ root: ROOT, tableName: LOCAL_TABLE, client: documentClient });
    documentClient.destroy();
    timings.seeded = since();
    checkAborted();

    return {
      websocketUrl: `ws://127.0.0.1:${ports.websocket}`,
      emulatorUrl: emulatorServer.url,
      dynamodbEndpoint: database.endpoint,
      s3: { endpoint: s3.endpoint, bucket: s3.bucket },
      dynamodbPid: database.process?.pid,
      tableName: LOCAL_TABLE,
      region: options.region ?? LOCAL_REGION,
      webOrigins,
      emulator,
      issuer,
      database,
      offline,
      timings: timings as Stack['timings'],
      stop,
    };
  } catch (error) {
    halt.abort();
    await databaseStarting.catch(() => undefined);
    await stop();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}

/**
 * serverless-offline passes only AWS_* variables (and serverless.yml's environment) to handlers. Dummy
 * credentials keep real ones out of the offline stack: nothing here may reach AWS.
 */
function offlineEnvironment(
  base: NodeJS.ProcessEnv,
  region: string,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_DEFAULT_PROFILE'])
    delete env[name];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: region,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    FORCE_COLOR: '0',
    ...extra,
  };
}
