import type { StackInfo } from '../test/support/stack-info.ts';
import type { BenchOptions } from './options.ts';
import type { BenchResults } from './results.ts';
import { measureColdStart } from './scenarios/cold-start.ts';
import { measureEmulatorFirstEvent } from './scenarios/emulator-first-event.ts';
import { measureHandlerOverhead } from './scenarios/handler-overhead.ts';
import { measureLongConversation } from './scenarios/long-conversation.ts';
import { measureOfflineLatency } from './scenarios/offline-latency.ts';
import { compareWithReference } from './scenarios/reference-comparison.ts';
import { measureScale } from './scenarios/scale.ts';
import { measureStopLatency } from './scenarios/stop-latency.ts';
import { measureWindowGrowth } from './scenarios/window-growth.ts';
import { describeMachine, loadAverage } from './support/machine.ts';
import { evaluateTargets } from './targets.ts';

/**
 * Runs the selected sections against a running offline stack (its DynamoDB Local serves the in-process runs
 * too), one after another so they never compete for the two cores. Cold start goes first, on a quiet machine;
 * it alone needs no stack.
 */
export async function runBenchmark(
  stack: StackInfo | undefined,
  options: BenchOptions,
  log: (line: string) => void = () => {},
): Promise<BenchResults> {
  const startedAt = new Date();
  const machine = describeMachine();
  const run = options.sections;
  const timed = async <T>(name: string, section: () => Promise<T>): Promise<T> => {
    log(`${name}…`);
    const started = performance.now();
    const result = await section();
    log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };

  const sections: Omit<BenchResults, 'format' | 'version' | 'meta' | 'targets'> = {};
  const running = () => {
    if (!stack) throw new Error('this section needs the offline stack');
    return stack;
  };
  if (run.includes('coldStart')) {
    sections.coldStart = await timed('cold start', () => measureColdStart(options.coldStart));
  }
  if (run.includes('overhead')) {
    sections.handlerOverhead = await timed('handler overhead', () =>
      measureHandlerOverhead(running(), options.overhead),
    );
  }
  if (run.includes('comparison')) {
    sections.comparison = await timed('reference design', () =>
      compareWithReference(running(), options.comparison),
    );
  }
  if (run.includes('offline')) {
    sections.offline = await timed('offline stack', () => measureOfflineLatency(running(), options.offline));
  }
  if (run.includes('scale')) {
    const scale = await timed('scale', () => measureScale(running(), options.scale));
    const windowGrowth = await timed('window growth', () => measureWindowGrowth(running(), options.window));
    sections.scale = { ...scale, windowGrowth: windowGrowth.rows };
  }
  if (run.includes('emulator')) {
    sections.emulator = await timed('emulator first event', () =>
      measureEmulatorFirstEvent(options.emulator),
    );
  }
  if (run.includes('stop')) {
    sections.stop = await timed('stop', () => measureStopLatency(running(), options.stop));
  }
  if (run.includes('conversation')) {
    sections.conversation = await timed('long conversation', () =>
      measureLongConversation(running(), options.conversation),
    );
  }

  const finishedAt = new Date();
  return {
    format: 'bench-results',
    version: 1,
    meta: {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      durationS: Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10,
      mode: options.mode,
      machine,
      loadAverageAtEnd: loadAverage(),
      options,
    },
    targets: evaluateTargets(sections),
    ...sections,
  };
}
