import { describe, expect, it } from 'vitest';
import { parseKbSyncArgs } from '../../../../infra/kb-sync/kb-sync-args.ts';

describe('parseKbSyncArgs', () => {
  it('takes a folder and a stage, the region from the environment by default', () => {
    expect(parseKbSyncArgs(['docs/', '--stage', 'dev'], { AWS_REGION: 'eu-west-1' })).toEqual({
      help: false,
      folder: 'docs/',
      region: 'eu-west-1',
      target: { kind: 'stage', stage: 'dev' },
    });
  });

  it('takes explicit ids instead of a stage, all three together', () => {
    expect(
      parseKbSyncArgs(
        ['kb', '--kb-id', 'KB1', '--data-source-id', 'DS1', '--bucket', 'b', '--region', 'us-west-2'],
        {},
      ),
    ).toMatchObject({
      region: 'us-west-2',
      target: { kind: 'explicit', knowledgeBaseId: 'KB1', dataSourceId: 'DS1', bucket: 'b' },
    });
    expect(() => parseKbSyncArgs(['kb', '--kb-id', 'KB1'], {})).toThrow(/together/);
    expect(() => parseKbSyncArgs(['kb', '--stage', 'dev', '--bucket', 'b'], {})).toThrow(/either --stage/);
  });

  it('needs exactly one folder', () => {
    expect(() => parseKbSyncArgs(['--stage', 'dev'], {})).toThrow(/one folder/);
    expect(() => parseKbSyncArgs(['a', 'b', '--stage', 'dev'], {})).toThrow(/one folder/);
  });
});
