import { DEFAULT_FOUNDATION_MODEL, inferenceProfileFor } from '../../infra/regional-model.ts';
import { findFreeStackPorts, type Stack, startStack } from '../stack.ts';
import { startTcpProxy, type TcpProxy } from '../tcp-proxy.ts';

/**
 * One simulated AWS region: the real handlers under serverless-offline (its own process, emulator and dev
 * issuer) over a DynamoDB Local that stands for the region's replica of the global table. Clients reach it
 * through a TCP proxy, so the region can be cut off and brought back without restarting anything.
 */
export interface SimRegion {
  /** What the region is shown as (e.g. "eu-west-1"). */
  label: string;
  /** The AWS region its handlers believe they run in: whose items they write. */
  region: string;
  /** Where clients connect (through the proxy). */
  websocketUrl: string;
  /** The region's own replica (DynamoDB Local), as the replicator names it. */
  replica: string;
  stack: Stack;
  /**
   * A region outage as its users see it: every connection dropped, new ones refused, and its Lambdas frozen
   * mid-turn (SIGSTOP), so a turn running there neither finishes nor saves until `revive`.
   */
  kill(): void;
  revive(): void;
  stop(): Promise<void>;
}

/** Handler settings for the simulation: no rate limit in the way, a window that holds whole sessions. */
export const SIM_HANDLER_ENV = {
  CHAT_RATE_LIMIT_PER_MINUTE: '100000',
  CHAT_WINDOW_MESSAGES: '200',
  // A resume waits this long for a run the client left; a run in a dead region never answers it.
  CHAT_RESUME_WAIT_MS: '1500',
};

export async function startSimRegion(options: {
  label: string;
  region: string;
  /** The region's DynamoDB Local, already running (the replicator joins it to the other regions'). */
  dynamodbPort: number;
  replica: string;
  /**
   * The write region's replica, when this region writes there (decision 21): its handlers' table client goes
   * to that DynamoDB Local and names that region, as a Lambda's does on AWS with CHAT_WRITE_REGION.
   */
  writeTo?: { region: string; dynamodbEndpoint: string };
  /** More handler settings (e.g. the web origins an end-to-end test serves the app from). */
  handlerEnv?: Record<string, string>;
  log?: (service: string, line: string) => void;
}): Promise<SimRegion> {
  const ports = { ...(await findFreeStackPorts()), dynamodb: options.dynamodbPort };
  const writeTo: Record<string, string> = options.writeTo
    ? { CHAT_WRITE_REGION: options.writeTo.region, CHAT_DYNAMODB_ENDPOINT: options.writeTo.dynamodbEndpoint }
    : {};
  const stack = await startStack({
    ports,
    region: options.region,
    emulator: { mode: 'auto', firstTokenMs: 0, tokenMs: 0 },
    // Bedrock refuses another geography's inference profile (the emulator too): eu-west-1 uses the eu. one.
    handlerEnv: {
      ...SIM_HANDLER_ENV,
      CHAT_MODEL_ID: inferenceProfileFor(options.region, DEFAULT_FOUNDATION_MODEL),
      ...writeTo,
      ...options.handlerEnv,
    },
    log: options.log,
    timeoutMs: 180_000,
  });
  let proxy: TcpProxy;
  try {
    proxy = await startTcpProxy({ targetPort: ports.websocket });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  let frozen = false;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-stack.offline.pid, name);
    } catch {
      // already gone
    }
  };
  return {
    label: options.label,
    region: options.region,
    websocketUrl: `ws://127.0.0.1:${proxy.port}`,
    replica: options.replica,
    stack,
    kill() {
      proxy.cut();
      signal('SIGSTOP');
      frozen = true;
    },
    revive() {
      if (frozen) signal('SIGCONT');
      frozen = false;
      proxy.restore();
    },
    async stop() {
      if (frozen) signal('SIGCONT');
      await proxy.close();
      await stack.stop();
    },
  };
}
