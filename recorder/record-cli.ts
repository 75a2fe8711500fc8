/**
 * `npm run record -- <scenario.json>... [--upstream <url>] [--out <dir>]`
 *
 * Runs each scenario through the real chat engine and writes one fixture per scenario. Without `--upstream`
 * the calls go to Amazon Bedrock with your AWS credentials (fixture source "recorded"); with it they go to
 * that URL instead, e.g. a running emulator (source "synthetic"). See docs/emulator.md.
 */

export {};

// Before any SDK module loads: Node 20 is supported here, the SDK's end-of-support notice is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { relative } = await import('node:path');
const { parseArgs } = await import('node:util');
const { readResourceFixtures } = await import('../seed/seed-resources.ts');
const { applyDummyAwsCredentials } = await import('../emulator/dummy-aws-credentials.ts');
const { recordScenario, writeFixture } = await import('./recorder.ts');
const { REPOSITORY_ROOT, fixturePaths } = await import('../emulator/repository-paths.ts');
const { readScenario } = await import('./scenario.ts');
const { OFFLINE_TARGET, unmetExpectations } = await import('./scenario-runner.ts');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { upstream: { type: 'string' }, out: { type: 'string', default: fixturePaths().bedrock } },
});
if (positionals.length === 0) {
  console.error('Usage: npm run record -- <scenario.json>... [--upstream <url>] [--out <dir>]');
  process.exit(2);
}
if (values.upstream) applyDummyAwsCredentials();

const target = {
  region: process.env.AWS_REGION ?? OFFLINE_TARGET.region,
  modelId: process.env.CHAT_MODEL_ID ?? OFFLINE_TARGET.modelId,
  knowledgeBaseId: process.env.CHAT_KNOWLEDGE_BASE_ID ?? OFFLINE_TARGET.knowledgeBaseId,
  ...(values.upstream ? { endpoint: values.upstream } : {}),
};
console.log(
  `Recording against ${values.upstream ?? `Amazon Bedrock (${target.region})`}, model ${target.modelId}`,
);

let failed = false;
for (const file of positionals) {
  const scenario = readScenario(file);
  const { fixture, turns } = await recordScenario(scenario, {
    target,
    resources: readResourceFixtures(REPOSITORY_ROOT),
  });
  const path = writeFixture(fixture, values.out);
  console.log(
    `${scenario.file} → ${relative(process.cwd(), path)} (${fixture.interactions.length} interactions, ${fixture.source})`,
  );
  for (const [index, turn] of turns.entries()) {
    const tools = turn.frames.flatMap((frame) => (frame.type === 'status' ? [frame.tool] : []));
    const ended = turn.summary.errorCode ?? turn.summary.stopReason;
    console.log(`  turn ${index + 1}: ${ended}${tools.length ? `, tools ${tools.join(', ')}` : ''}`);
  }
  for (const problem of unmetExpectations(scenario, turns)) {
    failed = true;
    console.error(`  not as expected: ${problem}`);
  }
}
process.exit(failed ? 1 : 0);
