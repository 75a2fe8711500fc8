/**
 * `npm run emulator`: the Bedrock emulator alone on http://127.0.0.1:4010 (EMULATOR_PORT), configured by the
 * EMULATOR_* variables (docs/emulator.md). Point an SDK client's `endpoint` at it. Ctrl-C stops it.
 */

export {};

const { emulatorOptionsFromEnv } = await import('./config.ts');
const { createEmulator } = await import('./emulator.ts');
const { REPOSITORY_ROOT } = await import('./repository-paths.ts');
const { startEmulatorServer } = await import('./server.ts');

const emulator = createEmulator(emulatorOptionsFromEnv(REPOSITORY_ROOT));
const server = await startEmulatorServer({ emulator, port: Number(process.env.EMULATOR_PORT ?? 4010) });
const { mode, fixtures } = emulator.options;
console.log(
  `Bedrock emulator on ${server.url} (${mode} mode, ${fixtures.length} fixtures); calls at ${server.url}/_emulator/calls`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
