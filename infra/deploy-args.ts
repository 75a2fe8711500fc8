import { parseArgs } from 'node:util';

/** `--stage <name> [--region <region>]`; anything else is handed to `serverless` unchanged (e.g. `--param`). */
export function parseDeployArgs(argv: string[]) {
  const { values, tokens } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      region: { type: 'string' },
      'seed-resources': { type: 'boolean', default: false },
      'skip-web': { type: 'boolean', default: false },
    },
    strict: false,
    tokens: true,
  });
  const stage = typeof values.stage === 'string' ? values.stage : undefined;
  if (!stage) throw new Error('Name the stage: npm run deploy -- --stage <name>');
  if (stage === 'local') throw new Error('"local" is the offline stage (npm run dev); pick another name.');
  const own = new Set(['stage', 'region', 'seed-resources', 'skip-web']);
  const passThrough = tokens.flatMap((token) => {
    if (token.kind === 'option' && !own.has(token.name))
      return [token.rawName, ...(token.value === undefined ? [] : [token.value])];
    if (token.kind === 'positional') return [token.value];
    return [];
  });
  return {
    stage,
    region:
      (typeof values.region === 'string' ? values.region : undefined) ??
      process.env.AWS_REGION ??
      'us-east-1',
    seedResources: values['seed-resources'] === true,
    skipWeb: values['skip-web'] === true,
    passThrough,
  };
}
