import { sessionKey } from '../../src/adapters/dynamodb/keys.ts';
import { queryAll } from '../../src/adapters/dynamodb/query-all.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from '../dynamodb-local.ts';
import { findFreePort } from '../processes.ts';
import { createLocalDocumentClient } from '../stack.ts';
import { type Replicator, startReplicator } from './replicator.ts';
import { SCENARIOS, type Scenario, type ScenarioRun, type SimContext } from './scenarios.ts';
import { answered, createSimClient, type SimClient } from './sim-client.ts';
import { type SimRegion, startSimRegion } from './sim-region.ts';

/**
 * Where the regions write the table:
 * - `write-region`: every region reads and writes the first region's replica (decision 21); the second
 *   region's replica is a standby that replication keeps up to date;
 * - `naive`: each region writes its own replica, as a global table allows, and replication keeps the last
 *   writer of each item.
 * Both replicate alike, as a global table in its default mode does: last writer wins per item.
 */
export type Mode = 'write-region' | 'naive';

export const MODE_TITLES: Record<Mode, string> = {
  'write-region': 'one write region (decision 21)',
  naive: 'each region writes its own (naive)',
};

export interface ScenarioResult {
  scenario: string;
  title: string;
  mode: Mode;
  /** Questions asked (a question sent again after a failover counts once). */
  sent: number;
  /** Answers the client saw to the end. */
  completed: number;
  /** Completed answers both regions hold once replication has caught up. */
  stored: number;
  /** Completed answers missing afterwards, in either region. */
  lost: number;
  /** Extra copies of a question in a session's history. */
  duplicated: number;
  /** Sessions whose items differ between the two replicas once replication has caught up. */
  diverged: number;
  /** Item writes the replicator dropped because another region wrote the item later. */
  lwwDrops: number;
  /** `lwwDrops` by kind of item (STATE, TURN, USER, RATE, STATS): which items two regions wrote. */
  lwwDropsByKind: Record<string, number>;
  /** The longest a client took to be served again by another region (kill scenario only). */
  failoverMs?: number;
  errors: string[];
  seconds: number;
}

export interface SimulationOptions {
  short: boolean;
  lagMs: number;
  modes: readonly Mode[];
  /** The scenarios to run (by name), for every mode or per mode; all of them by default. */
  scenarios?: readonly string[] | Partial<Record<Mode, readonly string[]>>;
  progress: (line: string) => void;
  /** Every service's output, for debugging. */
  log?: (service: string, line: string) => void;
}

const FIRST = 'us-east-1';
const SECOND = 'eu-west-1';

/**
 * Two regions on this machine (two serverless-offline stacks, each over its own DynamoDB Local, joined by the
 * replicator), each scenario run in each mode, and what every client saw checked against what both regions
 * hold once replication has caught up.
 */
export async function runRegionsSimulation(options: SimulationOptions): Promise<ScenarioResult[]> {
  const { progress } = options;
  const scenariosOf = (mode: Mode) => {
    const chosen = Array.isArray(options.scenarios)
      ? options.scenarios
      : (options.scenarios as Partial<Record<Mode, readonly string[]>> | undefined)?.[mode];
    return SCENARIOS.filter((scenario) => !chosen || chosen.includes(scenario.name));
  };
  const databases: DynamoDbLocal[] = [];
  const regions: SimRegion[] = [];
  let replicator: Replicator | undefined;
  const results: ScenarioResult[] = [];
  try {
    const started = Date.now();
    progress('Starting DynamoDB Local for each region…');
    const [firstDb, secondDb] = await Promise.all(
      [FIRST, SECOND].map(async () => {
        // Generous: on a busy machine the JVM takes far longer than its usual two seconds to start.
        const database = await startDynamoDbLocal({ port: await findFreePort(), timeoutMs: 180_000 });
        databases.push(database);
        return database;
      }),
    );
    const portOf = (database: DynamoDbLocal | undefined) => Number(new URL(database?.endpoint ?? '').port);

    progress(`Starting the regions' stacks (serverless-offline) for ${options.modes.join(' and ')} mode…`);
    const writeTo = { region: FIRST, dynamodbEndpoint: firstDb?.endpoint ?? '' };
    const wanted = [
      { label: FIRST, region: FIRST, db: firstDb, replica: FIRST, for: 'both' },
      { label: SECOND, region: SECOND, db: secondDb, replica: SECOND, for: 'write-region', writeTo },
      // The naive mode's second region writes its own replica.
      { label: `${SECOND}*`, region: SECOND, db: secondDb, replica: SECOND, for: 'naive' },
    ].filter((spec) => spec.for === 'both' || options.modes.includes(spec.for as Mode));
    const byLabel = new Map<string, SimRegion>();
    await Promise.all(
      wanted.map(async (spec) => {
        const region = await startSimRegion({
          label: spec.label,
          region: spec.region,
          dynamodbPort: portOf(spec.db),
          replica: spec.replica,
          ...(spec.writeTo ? { writeTo: spec.writeTo } : {}),
          log: options.log,
        });
        regions.push(region);
        byLabel.set(spec.label, region);
      }),
    );
    const tableName = regions[0]?.stack.tableName ?? '';
    replicator = await startReplicator({
      replicas: [
        { region: FIRST, endpoint: firstDb?.endpoint ?? '', tableName },
        { region: SECOND, endpoint: secondDb?.endpoint ?? '', tableName },
      ],
      lagMs: options.lagMs,
      onEvent: (line) => options.log?.('replicator', line),
    });
    await replicator.settle({ timeoutMs: 60_000 });
    // Every stack's $connect, getHistory and resume Lambdas run once before the clock starts, so the scenarios (and
    // failover times) measure regions, not cold workers.
    await Promise.all(regions.map(warmUp));
    progress(`Two regions up in ${seconds(started)} s; replication lag ${options.lagMs} ms.`);

    for (const mode of options.modes) {
      const pair = [byLabel.get(FIRST), byLabel.get(mode === 'write-region' ? SECOND : `${SECOND}*`)] as [
        SimRegion,
        SimRegion,
      ];
      for (const scenario of scenariosOf(mode)) {
        progress(`[${mode}] ${scenario.title}…`);
        const result = await runScenario(scenario, mode, {
          regions: pair,
          replicator,
          replicas: [firstDb?.endpoint ?? '', secondDb?.endpoint ?? ''],
          short: options.short,
          progress,
        });
        results.push(result);
        progress(
          `[${mode}] ${scenario.name}: ${result.completed}/${result.sent} answered, ${result.lost} lost, ` +
            `${result.duplicated} duplicated (${result.seconds} s)`,
        );
      }
    }
    return results;
  } finally {
    await replicator?.stop();
    await Promise.allSettled(regions.map((region) => region.stop()));
    await Promise.allSettled(databases.map((database) => database.stop()));
  }
}

async function runScenario(scenario: Scenario, mode: Mode, context: SimContext): Promise<ScenarioResult> {
  const started = Date.now();
  const dropsBefore = context.replicator.stats.dropped;
  const kindsBefore = { ...context.replicator.stats.droppedByKind };
  const run = await scenario.run(context);
  await context.replicator.settle({ timeoutMs: 60_000 });
  const check = await checkStored(context, run);
  const failovers = run.outcomes.flatMap((outcome) => outcome.failovers);
  return {
    scenario: scenario.name,
    title: scenario.title,
    mode,
    sent: run.outcomes.length,
    completed: run.outcomes.filter((outcome) => outcome.completed).length,
    ...check,
    lwwDrops: context.replicator.stats.dropped - dropsBefore,
    lwwDropsByKind: Object.fromEntries(
      Object.entries(context.replicator.stats.droppedByKind)
        .map(([kind, count]) => [kind, count - (kindsBefore[kind] ?? 0)] as const)
        .filter(([, count]) => count > 0),
    ),
    ...(failovers.length > 0 ? { failoverMs: Math.max(...failovers) } : {}),
    errors: run.outcomes.flatMap((outcome) => (outcome.error ? [outcome.error] : [])),
    seconds: seconds(started),
  };
}

/**
 * A session's history, asked again if no answer comes: on an overloaded machine serverless-offline may kill a
 * getHistory Lambda at its timeout, which sends the client nothing.
 */
async function historyOf(client: SimClient, sessionId: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.history(sessionId);
    } catch (error) {
      if (attempt === 3 || !String(error).includes('No answer within')) throw error;
    }
  }
}

async function warmUp(region: SimRegion): Promise<void> {
  const client = await createSimClient([{ label: region.label, url: region.websocketUrl }]);
  try {
    await client.history(crypto.randomUUID()).catch(() => undefined);
    // A failed-over client's first action is a resume: its Lambda is warmed too, or the failover times a cold start.
    await client.resume(crypto.randomUUID(), crypto.randomUUID()).catch(() => undefined);
  } finally {
    client.close();
  }
}

/** Reads every session's history from each region and compares it with what the clients saw answered. */
async function checkStored(context: SimContext, run: ScenarioRun) {
  const histories = await Promise.all(
    context.regions.map(async (region) => {
      const client = await createSimClient([{ label: region.label, url: region.websocketUrl }]);
      try {
        return new Map(
          await Promise.all(run.sessions.map(async (id) => [id, await historyOf(client, id)] as const)),
        );
      } finally {
        client.close();
      }
    }),
  );
  let stored = 0;
  let lost = 0;
  for (const outcome of run.outcomes.filter((o) => o.completed)) {
    const everywhere = histories.every((byId) => {
      const history = byId.get(outcome.sessionId);
      return history !== undefined && answered(history, outcome.question);
    });
    if (everywhere) stored++;
    else lost++;
  }
  let duplicated = 0;
  const diverged = await divergedSessions(context, run.sessions, tableName(context));
  for (const sessionId of run.sessions) {
    const [first] = histories.map((byId) => byId.get(sessionId));
    const questions = (first?.messages ?? []).filter((m) => m.role === 'user').map((m) => m.text);
    duplicated += questions.length - new Set(questions).size;
  }
  return { stored, lost, duplicated, diverged };
}

const tableName = (context: SimContext) => context.regions[0].stack.tableName;

/** Sessions whose items (session, turns, branches) are not the same in both replicas. */
async function divergedSessions(context: SimContext, sessions: readonly string[], table: string) {
  const clients = context.replicas.map((endpoint) => createLocalDocumentClient(endpoint));
  try {
    let diverged = 0;
    for (const sessionId of sessions) {
      const [first, second] = await Promise.all(
        clients.map(async (client) => {
          const items = await queryAll(
            { client, tableName: table },
            {
              KeyConditionExpression: 'PK = :pk',
              ExpressionAttributeValues: { ':pk': sessionKey(sessionId).PK },
              ConsistentRead: true,
            },
          );
          return JSON.stringify(items.map(sortedKeys));
        }),
      );
      if (first !== second) diverged++;
    }
    return diverged;
  } finally {
    for (const client of clients) client.destroy();
  }
}

function sortedKeys(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)));
}

const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;
