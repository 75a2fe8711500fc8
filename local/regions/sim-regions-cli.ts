/**
 * `npm run sim:regions [-- --short] [--lag <ms>] [--modes write-region,naive] [--scenarios steady,concurrent,partition,kill] [--verbose]`
 *
 * Two regions of the chat on this machine, joined by a replicator that behaves like a DynamoDB global table,
 * and four scenarios run against the design of decision 21 and against the naive one. Prints a line per step,
 * then a table, then the totals: the last line is the chosen design's `N turns, M lost`. Exits 1 if the chosen
 * design lost a completed turn.
 */
import { parseArgs } from 'node:util';
import { formatResults, totalsOf } from './report.ts';
import { MODE_TITLES, type Mode, runRegionsSimulation } from './run-simulation.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    lag: { type: 'string', default: '300' },
    modes: { type: 'string', default: 'write-region,naive' },
    scenarios: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(
    'npm run sim:regions -- [--short] [--lag <ms>] [--modes write-region,naive] [--scenarios steady,concurrent,partition,kill] [--verbose]',
  );
  process.exit(0);
}
const modes = values.modes.split(',').map((m) => m.trim()) as Mode[];
for (const mode of modes) {
  if (!(mode in MODE_TITLES)) throw new Error(`Unknown mode "${mode}": use write-region and/or naive.`);
}

const started = Date.now();
const results = await runRegionsSimulation({
  short: values.short,
  lagMs: Number(values.lag),
  modes,
  scenarios: values.scenarios?.split(',').map((s) => s.trim()),
  progress: (line) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${line}`),
  log: values.verbose ? (service, line) => console.log(`        ${service}: ${line}`) : undefined,
});

console.log(`\n${formatResults(results)}\n`);
for (const result of results.filter((r) => r.errors.length > 0)) {
  console.log(`${result.scenario} (${result.mode}): ${result.errors.length} failed: ${result.errors[0]}`);
}
if (modes.includes('naive')) console.log(`${MODE_TITLES.naive}: ${totalsOf(results, 'naive')}`);
const chosen = modes.includes('write-region') ? 'write-region' : 'naive';
console.log(totalsOf(results, chosen));
process.exit(results.some((r) => r.mode === 'write-region' && r.lost > 0) ? 1 : 0);
