import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../../local/stack.ts';

export type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };
export interface Template {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs?: Record<string, { Condition?: string; Value: unknown }>;
}

let packages = 0;

/**
 * `serverless package` without AWS credentials, as `npm run deploy` would deploy to `region` with `params`
 * (`--param key=value`): the CloudFormation template. Builds in a folder of its own and removes it.
 */
export async function packageTemplate(options: {
  stage: string;
  region?: string;
  params?: Record<string, string>;
}): Promise<Template> {
  const outDir = mkdtempSync(join(tmpdir(), 'chat-package-'));
  const workFolder = `.esbuild-package-${process.pid}-${++packages}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
    ESBUILD_WORK_FOLDER: workFolder,
  };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[name];
  const params = Object.entries(options.params ?? {}).flatMap(([key, value]) => [
    '--param',
    `${key}=${value}`,
  ]);
  try {
    await promisify(execFile)(
      process.execPath,
      [
        createRequire(import.meta.url).resolve('serverless/bin/serverless.js'),
        'package',
        '--stage',
        options.stage,
        ...(options.region ? ['--region', options.region] : []),
        ...params,
        '--package',
        outDir,
      ],
      { cwd: ROOT, env, timeout: 240_000 },
    );
    return JSON.parse(readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'));
  } finally {
    rmSync(outDir, { recursive: true, force: true });
    rmSync(join(ROOT, workFolder), { recursive: true, force: true });
  }
}

/**
 * Whether a template condition holds. serverless has already put the params in, so the conditions this
 * project writes compare literals: `Fn::Equals`, `Fn::Not` of strings.
 */
export function conditionHolds(template: Template, name: string): boolean {
  const evaluate = (expression: unknown): boolean => {
    const node = expression as Record<string, unknown>;
    if ('Condition' in node) return conditionHolds(template, String(node.Condition));
    if ('Fn::Not' in node) return !evaluate((node['Fn::Not'] as unknown[])[0]);
    if ('Fn::Equals' in node) {
      const [left, right] = node['Fn::Equals'] as unknown[];
      if (typeof left !== 'string' || typeof right !== 'string')
        throw new Error(`condition ${name} compares something other than literals`);
      return left === right;
    }
    throw new Error(`condition ${name}: unsupported ${JSON.stringify(expression)}`);
  };
  const expression = template.Conditions?.[name];
  if (expression === undefined) throw new Error(`no condition ${name} in the template`);
  return evaluate(expression);
}

/** The resources CloudFormation would create from the template: those without a condition or whose holds. */
export function createdResources(template: Template): Record<string, Resource> {
  return Object.fromEntries(
    Object.entries(template.Resources).filter(
      ([, resource]) => resource.Condition === undefined || conditionHolds(template, resource.Condition),
    ),
  );
}

/** A `Fn::Join` of strings, `Ref`s, `Fn::GetAtt`s and `Fn::If`s, with each reference and condition given. */
export function resolveJoin(
  value: unknown,
  refs: Record<string, string>,
  conditions: Record<string, boolean> = {},
): string {
  const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const resolve = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const choice = (part as { 'Fn::If'?: [string, unknown, unknown] })['Fn::If'];
    if (choice) {
      const [condition, then, otherwise] = choice;
      if (!(condition in conditions)) throw new Error(`no value given for condition ${condition}`);
      return resolve(conditions[condition] ? then : otherwise);
    }
    const attribute = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
    const name = attribute ? attribute.join('.') : (part as { Ref: string }).Ref;
    if (!(name in refs)) throw new Error(`no value given for Ref ${name}`);
    return refs[name] as string;
  };
  return parts.map(resolve).join(separator);
}
