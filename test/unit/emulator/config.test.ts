import { describe, expect, it } from 'vitest';
import { DEV_PACE, emulatorOptionsFromEnv } from '../../../emulator/config.ts';
import { InvalidEmulatorConfigError, UnknownFaultError } from '../../../emulator/errors.ts';
import { REPOSITORY_ROOT } from '../../../emulator/repository-paths.ts';
import { temporaryDirectory } from '../../support/temporary-directory.ts';

describe('emulatorOptionsFromEnv', () => {
  it('defaults to auto mode, the committed fixtures and knowledge base, a human pace and recorded pacing', () => {
    const options = emulatorOptionsFromEnv(REPOSITORY_ROOT, {});

    expect(options).toMatchObject({ mode: 'auto', pace: DEV_PACE, replayPacing: 1 });
    expect(options.fixtures.length).toBeGreaterThanOrEqual(10);
    expect(options.knowledgeBase.chunks.length).toBeGreaterThan(10);
    expect(options.defaultFault).toBeUndefined();
  });

  it('reads every EMULATOR_* variable', () => {
    const empty = temporaryDirectory('no-fixtures-');

    const options = emulatorOptionsFromEnv(REPOSITORY_ROOT, {
      EMULATOR_MODE: 'strict',
      EMULATOR_FIRST_TOKEN_MS: '5',
      EMULATOR_TOKEN_MS: '1',
      EMULATOR_PACING: '0.5',
      EMULATOR_FAULT: 'stream-error=2',
      EMULATOR_FIXTURES: empty,
    });

    expect(options).toMatchObject({
      mode: 'strict',
      pace: { firstTokenMs: 5, tokenMs: 1 },
      replayPacing: 0.5,
      defaultFault: { name: 'stream-error', value: 2 },
      fixtures: [],
    });
  });

  it('lets code override the environment (the test stack’s zero pace beats a developer’s shell)', () => {
    const options = emulatorOptionsFromEnv(
      REPOSITORY_ROOT,
      { EMULATOR_MODE: 'strict', EMULATOR_FIRST_TOKEN_MS: '900' },
      { mode: 'auto', firstTokenMs: 0, tokenMs: 0 },
    );

    expect(options).toMatchObject({ mode: 'auto', pace: { firstTokenMs: 0, tokenMs: 0 } });
  });

  it('treats an empty variable as unset rather than zero', () => {
    expect(emulatorOptionsFromEnv(REPOSITORY_ROOT, { EMULATOR_PACING: '' }).replayPacing).toBe(1);
  });

  it('names every bad variable, and refuses an unknown fault', () => {
    expect(() =>
      emulatorOptionsFromEnv(REPOSITORY_ROOT, { EMULATOR_MODE: 'lenient', EMULATOR_PACING: '-1' }),
    ).toThrow(InvalidEmulatorConfigError);
    expect(() => emulatorOptionsFromEnv(REPOSITORY_ROOT, { EMULATOR_MODE: 'lenient' })).toThrow(
      /EMULATOR_MODE/,
    );
    expect(() => emulatorOptionsFromEnv(REPOSITORY_ROOT, { EMULATOR_FAULT: 'meltdown' })).toThrow(
      UnknownFaultError,
    );
  });
});
