import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../../local/stack.ts';
import { type BenchRig, startBenchRig } from './bench-rig.ts';
import { type HandlerProcess, startHandlerProcess } from './handler-process.ts';
import { measureTurns, mergeMeasurements, type TurnMeasurement, type TurnPlan } from './measure-turns.ts';

/** The chat's sendMessage handler, and the reference design's (bench/baseline/, never shipped). */
export const DESIGNS = {
  ours: resolve(ROOT, 'src/handlers/send-message.ts'),
  reference: resolve(ROOT, 'bench/baseline/send-message.ts'),
} as const;

export type Design = keyof typeof DESIGNS;

/** One design's handler, warm in a process of its own, with its own rig. */
export interface DesignUnderTest {
  design: Design;
  rig: BenchRig;
  handler: HandlerProcess;
  stop(): Promise<void>;
}

export async function startDesignUnderTest(
  design: Design,
  options: Parameters<typeof startBenchRig>[0],
): Promise<DesignUnderTest> {
  const rig = await startBenchRig(options);
  try {
    const handler = await startHandlerProcess({
      module: pathToFileURL(DESIGNS[design]).href,
      functionName: `bench-${design}-sendMessage`,
      env: rig.env,
    });
    return {
      design,
      rig,
      handler,
      async stop() {
        await handler.stop();
        await rig.close();
      },
    };
  } catch (error) {
    await rig.close();
    throw error;
  }
}

/** Starts every design with the same options, runs `use` on them, and stops them whatever happens. */
export async function withEveryDesign<T>(
  options: Parameters<typeof startBenchRig>[0],
  use: (subjects: DesignUnderTest[]) => Promise<T>,
): Promise<T> {
  const subjects: DesignUnderTest[] = [];
  try {
    for (const design of Object.keys(DESIGNS) as Design[]) {
      subjects.push(await startDesignUnderTest(design, options));
    }
    return await use(subjects);
  } finally {
    await Promise.all(subjects.map((subject) => subject.stop()));
  }
}

/**
 * Runs the same plan on both designs in `blocks` alternating rounds (ours, reference, ours, ...), so a burst of
 * noise on this shared machine lands on both rather than on one. Returns each design's pooled measurement.
 */
export async function measureSideBySide(
  subjects: readonly DesignUnderTest[],
  plan: TurnPlan,
  blocks: number,
): Promise<Partial<Record<Design, TurnMeasurement>>> {
  const pooled: Partial<Record<Design, TurnMeasurement>> = {};
  const rounds = Math.max(1, Math.min(blocks, Math.floor(plan.turns / plan.concurrency)));
  for (let round = 0; round < rounds; round++) {
    const turns = Math.floor(plan.turns / rounds) + (round < plan.turns % rounds ? 1 : 0);
    for (const subject of subjects) {
      const measured = await measureTurns(subject.handler, subject.rig, {
        ...plan,
        label: `${plan.label}-${subject.design}-${round}`,
        turns,
      });
      const before = pooled[subject.design];
      pooled[subject.design] = before ? mergeMeasurements(before, measured) : measured;
    }
  }
  return pooled;
}

/** Warms both designs with a few turns, refusing to go on if they fail (the numbers would mean nothing). */
export async function warmUp(subjects: readonly DesignUnderTest[], plan: TurnPlan): Promise<void> {
  for (const subject of subjects) {
    const warm = await measureTurns(subject.handler, subject.rig, {
      ...plan,
      label: `warm-${subject.design}`,
    });
    if (warm.errors > 0) {
      throw new Error(`${subject.design} failed its warm-up turns: ${JSON.stringify(warm.errorCodes)}`);
    }
  }
}
