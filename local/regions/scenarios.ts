import type { Replicator } from './replicator.ts';
import { createSimClient, type SimClient, type TurnOutcome } from './sim-client.ts';
import type { SimRegion } from './sim-region.ts';

/** Two regions and the replication between them, as one scenario sees them. */
export interface SimContext {
  /** The region most clients start in, and the one that fails or is cut off. */
  regions: readonly [SimRegion, SimRegion];
  replicator: Replicator;
  /** Both replicas' DynamoDB Local endpoints, the first region's first. */
  replicas: readonly [string, string];
  /** Fewer clients and turns (the version `npm test` runs). */
  short: boolean;
  progress(line: string): void;
}

/** What a scenario did: every question asked and the sessions to check afterwards. */
export interface ScenarioRun {
  outcomes: TurnOutcome[];
  sessions: string[];
}

export interface Scenario {
  name: string;
  title: string;
  run(context: SimContext): Promise<ScenarioRun>;
}

/** A short scripted answer; the emulator answers with exactly this many words. */
const QUICK = '#tokens:6';
/** An answer that streams for about two seconds, long enough to lose a region in the middle of it. */
const LONG = '#tokens:40 #pace:50';

/** A client that prefers `home` and fails over to the other region. */
async function clientIn(context: SimContext, home: 0 | 1): Promise<SimClient> {
  const order = home === 0 ? context.regions : [context.regions[1], context.regions[0]];
  return createSimClient(order.map((region) => ({ label: region.label, url: region.websocketUrl })));
}

const question = (scenario: string, who: string, n: number, directives = QUICK) =>
  `[${scenario} ${who} #${n}] ${directives}`;

/** Each client keeps to its own region and its own session: the control, nothing is written twice. */
const steadySplit: Scenario = {
  name: 'steady',
  title: 'steady traffic split across regions',
  async run(context) {
    const clients = context.short ? 4 : 8;
    const turns = context.short ? 3 : 6;
    const outcomes: TurnOutcome[] = [];
    const sessions: string[] = [];
    await Promise.all(
      Array.from({ length: clients }, async (_, index) => {
        const client = await clientIn(context, (index % 2) as 0 | 1);
        const sessionId = crypto.randomUUID();
        sessions.push(sessionId);
        for (let n = 0; n < turns; n++) {
          outcomes.push(await client.ask(sessionId, question('steady', `c${index}`, n)));
        }
        client.close();
      }),
    );
    return { outcomes, sessions };
  },
};

/** One session, a client in each region, both asking at the same moment, round after round. */
const concurrentTurns: Scenario = {
  name: 'concurrent',
  title: 'concurrent turns on one session in both regions',
  async run(context) {
    const sessionCount = context.short ? 2 : 4;
    const rounds = context.short ? 3 : 5;
    const outcomes: TurnOutcome[] = [];
    const sessions: string[] = [];
    await Promise.all(
      Array.from({ length: sessionCount }, async (_, index) => {
        const sessionId = crypto.randomUUID();
        sessions.push(sessionId);
        const pair = [await clientIn(context, 0), await clientIn(context, 1)];
        for (let round = 0; round < rounds; round++) {
          outcomes.push(
            ...(await Promise.all(
              pair.map((client, side) =>
                client.ask(sessionId, question('concurrent', `s${index}r${side}`, round)),
              ),
            )),
          );
        }
        for (const client of pair) client.close();
      }),
    );
    return { outcomes, sessions };
  },
};

/** Replication stops while both regions go on answering the same sessions in turn; then it heals. */
const partitionHeals: Scenario = {
  name: 'partition',
  title: 'a partition that heals',
  async run(context) {
    const [a, b] = context.regions;
    const sessionCount = context.short ? 2 : 4;
    const turns = context.short ? 4 : 8;
    const outcomes: TurnOutcome[] = [];
    const sessions: string[] = [];
    context.replicator.partition(a.replica, b.replica);
    context.progress(`  replication ${a.label} <-> ${b.label} cut`);
    try {
      await Promise.all(
        Array.from({ length: sessionCount }, async (_, index) => {
          const sessionId = crypto.randomUUID();
          sessions.push(sessionId);
          const pair = [await clientIn(context, 0), await clientIn(context, 1)];
          for (let n = 0; n < turns; n++) {
            const client = pair[n % 2] as SimClient;
            outcomes.push(await client.ask(sessionId, question('partition', `s${index}`, n)));
          }
          for (const client of pair) client.close();
        }),
      );
    } finally {
      context.replicator.heal(a.replica, b.replica);
      context.progress(`  replication ${a.label} <-> ${b.label} healed`);
    }
    return { outcomes, sessions };
  },
};

/**
 * Clients of the second region are in the middle of an answer (the previous one just finished) when the region
 * dies; they move to the first region and pick their turns up. The first region's own clients carry on. Then
 * the dead region comes back and replication catches up.
 */
const regionKilled: Scenario = {
  name: 'kill',
  title: 'a region killed mid-turn, clients fail over',
  async run(context) {
    const [, doomed] = context.regions;
    const doomedClients = context.short ? 2 : 4;
    const survivorClients = 2;
    const outcomes: TurnOutcome[] = [];
    const sessions: string[] = [];
    let startedLong = 0;
    let killed!: () => void;
    const allStarted = new Promise<void>((resolve) => {
      killed = resolve;
    });

    const doomedRuns = Array.from({ length: doomedClients }, async (_, index) => {
      const client = await clientIn(context, 1);
      const sessionId = crypto.randomUUID();
      sessions.push(sessionId);
      for (let n = 0; n < 2; n++)
        outcomes.push(await client.ask(sessionId, question('kill', `d${index}`, n)));
      const started = client.answerStarted();
      const long = client.ask(sessionId, question('kill', `d${index}`, 2, LONG));
      await started;
      if (++startedLong === doomedClients) killed();
      outcomes.push(await long);
      outcomes.push(await client.ask(sessionId, question('kill', `d${index}`, 3)));
      client.close();
    });
    const survivorRuns = Array.from({ length: survivorClients }, async (_, index) => {
      const client = await clientIn(context, 0);
      const sessionId = crypto.randomUUID();
      sessions.push(sessionId);
      for (let n = 0; n < 4; n++)
        outcomes.push(await client.ask(sessionId, question('kill', `s${index}`, n)));
      client.close();
    });

    // Every doomed client is mid-answer (or, should one have failed, give up waiting after 30 s).
    await Promise.race([allStarted, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    doomed.kill();
    context.replicator.isolate(doomed.replica);
    context.progress(`  ${doomed.label} killed mid-answer (${doomedClients} answers streaming)`);
    try {
      await Promise.all([...doomedRuns, ...survivorRuns]);
    } finally {
      doomed.revive();
      context.replicator.rejoin(doomed.replica);
      context.progress(`  ${doomed.label} back; replication catching up`);
    }
    return { outcomes, sessions };
  },
};

export const SCENARIOS: readonly Scenario[] = [steadySplit, concurrentTurns, partitionHeals, regionKilled];
