import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../emulator/repository-paths.ts';

/**
 * The boundary rules of biome.json (docs/decisions/0011), run by `npm run lint` on the real tree, checked here
 * on a scratch tree of planted files: each forbidden import must be reported, each allowed one must not, so the
 * rules cannot rot into checks that never fail.
 */
const planted: Record<string, { code: string; forbidden: boolean }> = {
  'src/chat/sdk.ts': { code: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", forbidden: true },
  'src/chat/smithy.ts': {
    code: "import { NodeHttpHandler } from '@smithy/node-http-handler';",
    forbidden: true,
  },
  'src/chat/lambda-types.ts': { code: "import type { Context } from 'aws-lambda';", forbidden: true },
  'src/chat/powertools.ts': {
    code: "import { Logger } from '@aws-lambda-powertools/logger';",
    forbidden: true,
  },
  'src/chat/adapter.ts': {
    code: "import { x } from '../adapters/dynamodb/session-store.ts';",
    forbidden: true,
  },
  'src/chat/tools/glue.ts': { code: "import { x } from '../../lambda/route-context.ts';", forbidden: true },
  'src/chat/node.ts': { code: "import { x } from 'node:crypto';", forbidden: true },
  'src/chat/buffer.ts': { code: "export const x = Buffer.byteLength('x');", forbidden: true },
  'src/chat/allowed.ts': {
    code: "import { x } from '../protocol/server-frame.ts';\nimport { y } from './messages.ts';\nimport * as z from 'zod/mini';",
    forbidden: false,
  },
  'src/lambda/emulator.ts': { code: "import { x } from '../../emulator/emulator.ts';", forbidden: true },
  'src/lambda/recorder.ts': { code: "import { x } from '../../recorder/recorder.ts';", forbidden: true },
  'src/adapters/local.ts': { code: "import { x } from '../../local/stack.ts';", forbidden: true },
  'src/handlers/bench.ts': { code: "import { x } from '../../bench/run.ts';", forbidden: true },
  'src/config-infra.ts': { code: "import { x } from '../infra/deploy-args.ts';", forbidden: true },
  'src/lambda/allowed.ts': {
    code: "import { x } from '../adapters/dynamodb/session-store.ts';\nimport { y } from '../chat/turn.ts';\nimport { Logger } from '@aws-lambda-powertools/logger';",
    forbidden: false,
  },
  // Usage analytics is core code too (docs/decisions/0020): figures are computed without AWS.
  'src/analytics/sdk.ts': { code: "import { QueryCommand } from '@aws-sdk/lib-dynamodb';", forbidden: true },
  'src/analytics/glue.ts': { code: "import { x } from '../lambda/observability.ts';", forbidden: true },
  'src/analytics/allowed.ts': {
    code: "import { x } from '../chat/errors.ts';\nimport type { y } from '../protocol/server-frame.ts';",
    forbidden: false,
  },
  'src/protocol/server.ts': { code: "import { x } from '../chat/errors.ts';", forbidden: true },
  'src/protocol/allowed.ts': {
    code: "import { x } from './server-frame.ts';\nimport * as z from 'zod/mini';",
    forbidden: false,
  },
  'web/src/chat/leak.ts': { code: "import type { x } from '../../../src/chat/errors.ts';", forbidden: true },
  'web/src/allowed.ts': {
    code: "import type { x } from '../../src/protocol/server-frame.ts';\nimport { y } from './chat/conversation.ts';",
    forbidden: false,
  },
  'emulator/engine.ts': { code: "import { x } from '../src/chat/run-turn.ts';", forbidden: true },
  'emulator/allowed.ts': { code: "import { x } from './fixtures.ts';", forbidden: false },
  'infra/offline.ts': { code: "import { x } from '../local/stack.ts';", forbidden: true },
  'infra/allowed.ts': {
    code: "import { x } from '../seed/seed-resources.ts';\nimport { y } from '../src/adapters/dynamodb/document-client.ts';",
    forbidden: false,
  },
};

const scratch = mkdtempSync(join(tmpdir(), 'boundaries-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function lintPlantedTree(): Promise<Set<string>> {
  const config = JSON.parse(readFileSync(join(REPOSITORY_ROOT, 'biome.json'), 'utf8'));
  // The rules as they are; only what ties the config to the checkout (schema path, git ignore) goes.
  const { $schema: _schema, vcs: _vcs, files: _files, ...rules } = config;
  writeFileSync(join(scratch, 'biome.json'), JSON.stringify(rules));
  for (const [path, { code }] of Object.entries(planted)) {
    mkdirSync(dirname(join(scratch, path)), { recursive: true });
    writeFileSync(join(scratch, path), `${code}\n`);
  }
  const biome = join(REPOSITORY_ROOT, 'node_modules', '.bin', 'biome');
  const { stdout } = await promisify(execFile)(
    biome,
    ['lint', '--reporter=json', '--max-diagnostics=none', '.'],
    {
      cwd: scratch,
    },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const report = JSON.parse(stdout) as {
    diagnostics: Array<{ category: string; location: { path: string } }>;
  };
  return new Set(
    report.diagnostics
      .filter(
        (d) =>
          d.category === 'lint/style/noRestrictedImports' || d.category === 'lint/style/noRestrictedGlobals',
      )
      .map((d) => d.location.path),
  );
}

describe('the boundary rules in biome.json', () => {
  it('report every planted forbidden import and no allowed one', async () => {
    const flagged = await lintPlantedTree();
    const expected = Object.entries(planted)
      .filter(([, plant]) => plant.forbidden)
      .map(([path]) => path);
    expect([...flagged].sort()).toEqual(expected.sort());
  }, 30_000);
});
