import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BuildOptions } from 'esbuild';

/** One deployed function as `serverless package` would build it. */
export interface DeployedFunction {
  name: string;
  /** The handler's source file. */
  entry: string;
  /** Its environment on AWS: the provider's, then the function's own. */
  environment: Record<string, string>;
}

export interface DeployConfig {
  functions: DeployedFunction[];
  /** esbuild options exactly as serverless-esbuild passes them (less entry points and output folder). */
  esbuild: BuildOptions;
}

/** Options serverless-esbuild reads itself and removes before calling esbuild (its bundle.js). */
const PLUGIN_ONLY_OPTIONS = [
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
];

type EnvironmentValue = string | number | boolean | Record<string, unknown>;

interface PrintedConfig {
  provider: { environment?: Record<string, EnvironmentValue> };
  functions: Record<string, { handler: string; environment?: Record<string, EnvironmentValue> }>;
  custom?: { esbuild?: Record<string, unknown> };
  resources?: { Resources?: Record<string, { Type: string }> };
}

/**
 * What CloudFormation resolves a `Ref` to, for the resource types handlers read at load time, in the format
 * the handler validates (a Cognito pool id is `<region>_<id>`). Anything else gets a readable placeholder.
 */
const REF_PLACEHOLDERS: Record<string, string> = {
  'AWS::Cognito::UserPool': 'us-east-1_Bench0000',
  'AWS::Cognito::UserPoolClient': 'benchclient0000000000000000',
};

/**
 * The functions and esbuild settings of serverless.yml for a deployed stage, resolved by `serverless print`
 * (params, variables and all), so the benchmark builds what `serverless deploy` would and never drifts from it.
 */
export async function readDeployConfig(root: string, stage: string): Promise<DeployConfig> {
  const require = createRequire(import.meta.url);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [require.resolve('serverless/bin/serverless.js'), 'print', '--stage', stage, '--format', 'json'],
    {
      cwd: root,
      env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', FORCE_COLOR: '0' },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const printed = JSON.parse(stdout) as PrintedConfig;
  const resources = printed.resources?.Resources ?? {};
  return {
    functions: Object.entries(printed.functions).map(([name, fn]) => ({
      name,
      entry: handlerSource(root, fn.handler),
      environment: resolveEnvironment({ ...printed.provider.environment, ...fn.environment }, resources),
    })),
    esbuild: toEsbuildOptions(printed.custom?.esbuild ?? {}),
  };
}

/** The environment as Lambda sees it: every value a string, CloudFormation references resolved. */
function resolveEnvironment(
  environment: Record<string, EnvironmentValue>,
  resources: Record<string, { Type: string }>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => {
      if (typeof value !== 'object') return [name, String(value)];
      const ref = typeof value.Ref === 'string' ? value.Ref : undefined;
      const type = ref === undefined ? undefined : resources[ref]?.Type;
      return [name, (type && REF_PLACEHOLDERS[type]) ?? `bench-placeholder-${ref ?? name}`];
    }),
  );
}

/** What serverless-esbuild does with its options: plugin-only ones dropped, the rest handed to esbuild. */
function toEsbuildOptions(options: Record<string, unknown>): BuildOptions {
  const {
    exclude = ['aws-sdk'],
    external = [],
    outputFileExtension = '.js',
  } = options as { exclude?: string[]; external?: string[]; outputFileExtension?: string };
  const esbuild = Object.fromEntries(
    Object.entries(options).filter(([name]) => !PLUGIN_ONLY_OPTIONS.includes(name)),
  ) as BuildOptions;
  return {
    bundle: true,
    platform: 'node',
    ...esbuild,
    external: [...external, ...(exclude.includes('*') ? [] : exclude)],
    ...(outputFileExtension === '.js' ? {} : { outExtension: { '.js': outputFileExtension } }),
  };
}

/** `src/handlers/send-message.handler` → the file that exports it. */
function handlerSource(root: string, handler: string): string {
  const base = handler.slice(0, handler.lastIndexOf('.'));
  const found = ['.ts', '.mts', '.js', '.mjs']
    .map((extension) => join(root, base + extension))
    .find(existsSync);
  if (!found) throw new Error(`No source file for handler ${handler}`);
  return found;
}
