/**
 * `npm run fixtures:refresh`: re-records every synthetic fixture from its scenario (fixtures/scenarios) against
 * the scripted model, after a change to the system prompt, the tools or the engine's requests. Fixtures
 * recorded against AWS are left alone. See docs/emulator.md.
 */

export {};

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { relative } = await import('node:path');
const { readResourceFixtures } = await import('../seed/seed-resources.ts');
const { refreshSyntheticFixtures } = await import('./fixture-refresh.ts');
const { loadKnowledgeBase } = await import('../emulator/knowledge-base.ts');
const { applyDummyAwsCredentials } = await import('../emulator/dummy-aws-credentials.ts');
const { REPOSITORY_ROOT, fixturePaths } = await import('../emulator/repository-paths.ts');
const { loadScenarios } = await import('./scenario.ts');

applyDummyAwsCredentials();
const paths = fixturePaths();
const report = await refreshSyntheticFixtures({
  scenarios: loadScenarios(paths.scenarios),
  fixturesDirectory: paths.bedrock,
  knowledgeBase: loadKnowledgeBase(paths.knowledgeBase),
  resources: readResourceFixtures(REPOSITORY_ROOT),
});

const show = (path: string) => relative(process.cwd(), path);
for (const path of report.written) console.log(`written    ${show(path)}`);
for (const path of report.unchanged) console.log(`unchanged  ${show(path)}`);
for (const path of report.skipped) console.log(`skipped    ${show(path)} (recorded against AWS)`);
for (const problem of report.problems) console.error(`problem    ${problem}`);
console.log(
  `${report.written.length} written, ${report.unchanged.length} unchanged, ${report.skipped.length} skipped, ${report.problems.length} problems`,
);
process.exit(report.problems.length > 0 ? 1 : 0);
