/**
 * `npm run bench`: the handler's own cost, side by side with the reference design. Starts the offline stack on
 * free loopback ports, runs every section, prints the report, writes bench/results/latest.json and
 * docs/benchmarks.md. `npm run bench -- --help` lists the options; `--smoke` runs it all in seconds.
 */

export {};

// Before any SDK module loads: Node 20 is supported here, the SDK's end-of-support notice is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { mkdirSync, writeFileSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { dirname, join, relative } = await import('node:path');
const { ROOT } = await import('../local/stack.ts');
const { parseBenchCommand, USAGE } = await import('./options.ts');
const { renderReport } = await import('./report.ts');
const { runBenchmark } = await import('./run-benchmark.ts');
const { startBenchStack } = await import('./support/bench-stack.ts');

if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
let command: ReturnType<typeof parseBenchCommand>;
try {
  command = parseBenchCommand(process.argv.slice(2), {
    out: join(ROOT, 'bench/results/latest.json'),
    report: join(ROOT, 'docs/benchmarks.md'),
    smokeOut: join(tmpdir(), 'bench-smoke.json'),
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const log = (line: string) => console.error(`bench  ${line}`);
// Cold start builds and loads bundles on its own; every other section runs against the offline stack.
const needsStack = command.options.sections.some((section) => section !== 'coldStart');
if (needsStack) log('starting DynamoDB Local, the Bedrock emulator and serverless-offline…');
const stack = needsStack ? await startBenchStack() : undefined;
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await stack?.stop();
  process.exit(code);
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(130));

try {
  const results = await runBenchmark(stack, command.options, log);
  const report = renderReport(results);
  console.log(`\n${report}`);
  mkdirSync(dirname(command.out), { recursive: true });
  writeFileSync(command.out, `${JSON.stringify(results, null, 2)}\n`);
  log(`results: ${relative(process.cwd(), command.out)}`);
  if (command.report) {
    writeFileSync(command.report, report);
    log(`report: ${relative(process.cwd(), command.report)}`);
  }
  await stop(0);
} catch (error) {
  console.error(error);
  await stop(1);
}
