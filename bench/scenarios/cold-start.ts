import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { ROOT } from '../../local/stack.ts';
import { readDeployConfig } from '../support/deploy-config.ts';
import { median, round } from '../support/stats.ts';

export interface ColdStartRow {
  handler: string;
  /** The minified .mjs, as it goes into the deployment zip. */
  bundleBytes: number;
  /** The same, deflated as in the zip. */
  zippedBytes: number;
  loads: number;
  /** Median time to import the bundle in a fresh Node process (after Node itself has booted). */
  loadMsMedian: number | null;
  loadMsMax: number | null;
  /** Median resident memory of that process right after the import. */
  rssMbMedian: number | null;
}

export interface ColdStartResult {
  stage: string;
  esbuild: Record<string, unknown>;
  /** A fresh Node process that loads nothing, for comparison. */
  bareNode: { bootedMsMedian: number | null; rssMbMedian: number | null };
  handlers: ColdStartRow[];
}

interface LoadSample {
  bootedMs: number;
  loadMs: number;
  rssBytes: number;
}

const STAGE = 'bench';

/**
 * Builds every function's bundle as `serverless deploy` would for a non-local stage (minified), then imports
 * each one `loads` times, each time in a fresh `node` process, one process at a time.
 */
export async function measureColdStart(options: { loads: number }): Promise<ColdStartResult> {
  const config = await readDeployConfig(ROOT, STAGE);
  const outdir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    // One esbuild call for every entry: without code splitting each bundle is what a build of its own makes.
    const { metafile } = await build({
      ...config.esbuild,
      // serverless runs esbuild from the service folder: relative options (the alias) resolve from there.
      absWorkingDir: ROOT,
      entryPoints: config.functions.map((fn) => fn.entry),
      outdir,
      logLevel: 'silent',
      metafile: true,
    });
    const bundles = new Map(
      Object.entries(metafile.outputs).flatMap(([file, output]) =>
        output.entryPoint ? [[resolve(output.entryPoint), resolve(file)]] : [],
      ),
    );
    const handlers: ColdStartRow[] = [];
    for (const fn of config.functions) {
      const bundle = bundles.get(fn.entry);
      if (!bundle) throw new Error(`esbuild wrote no bundle for ${fn.name}`);
      const bytes = readFileSync(bundle);
      const samples = await loadRepeatedly(bundle, handlerEnvironment(fn.environment), options.loads);
      handlers.push({
        handler: fn.name,
        bundleBytes: bytes.length,
        zippedBytes: deflateRawSync(bytes, { level: 9 }).length,
        loads: samples.length,
        loadMsMedian: median(samples.map((sample) => sample.loadMs)),
        loadMsMax: round(Math.max(...samples.map((sample) => sample.loadMs))),
        rssMbMedian: median(samples.map((sample) => sample.rssBytes / 2 ** 20)),
      });
    }
    const bare = await loadRepeatedly(undefined, handlerEnvironment({}), options.loads);
    return {
      stage: STAGE,
      esbuild: config.esbuild as Record<string, unknown>,
      bareNode: {
        bootedMsMedian: median(bare.map((sample) => sample.bootedMs)),
        rssMbMedian: median(bare.map((sample) => sample.rssBytes / 2 ** 20)),
      },
      handlers,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** What Lambda gives the handler: its configured environment, a region and (dummy) credentials. */
function handlerEnvironment(environment: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...environment,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

async function loadRepeatedly(
  bundle: string | undefined,
  env: NodeJS.ProcessEnv,
  times: number,
): Promise<LoadSample[]> {
  const loader = new URL('../support/load-bundle.mjs', import.meta.url).pathname;
  const samples: LoadSample[] = [];
  for (let run = 0; run < times; run++) {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [loader, ...(bundle ? [bundle] : [])], {
        env,
        timeout: 30_000,
      });
      samples.push(JSON.parse(stdout) as LoadSample);
    } catch (error) {
      // A minified bundle's stack trace quotes the whole line: keep only the error itself.
      const stderr = String((error as { stderr?: string }).stderr ?? error);
      const reason = stderr.split('\n').filter((line) => /^\S*Error\b|^\w+ \[\w*Error\]/.test(line));
      throw new Error(
        `Loading ${bundle ?? 'nothing'} in a fresh node failed: ${reason.join('; ') || stderr.slice(-500)}`,
      );
    }
  }
  return samples;
}
