import { parseArgs } from 'node:util';

export const KNOWLEDGE_BASE_STORES = ['s3-vectors', 'opensearch-serverless'] as const;

/**
 * `--stage <name> [--region <region> | --regions <a,b,…> [--write-region <one of them>]] [--knowledge-base <store> [--knowledge-base-admin <arn>]]`;
 * anything else is handed to `serverless` unchanged (e.g. `--param`). `--knowledge-base` becomes
 * `--param knowledgeBaseStore=…`. With several regions the first is the primary: it holds the user pool, the web
 * app and the table's write replica (decision 21).
 */
export function parseDeployArgs(argv: string[]) {
  const { values, tokens } = parseArgs({
    args: argv,
    options: {
      stage: { type: 'string' },
      region: { type: 'string' },
      regions: { type: 'string' },
      'write-region': { type: 'string' },
      'seed-resources': { type: 'boolean', default: false },
      'skip-web': { type: 'boolean', default: false },
      'knowledge-base': { type: 'string' },
      'knowledge-base-admin': { type: 'string' },
    },
    strict: false,
    tokens: true,
  });
  const stage = typeof values.stage === 'string' ? values.stage : undefined;
  if (!stage) throw new Error('Name the stage: npm run deploy -- --stage <name>');
  if (stage === 'local') throw new Error('"local" is the offline stage (npm run dev); pick another name.');
  const own = new Set([
    'stage',
    'region',
    'regions',
    'write-region',
    'seed-resources',
    'skip-web',
    'knowledge-base',
    'knowledge-base-admin',
  ]);
  const passThrough = tokens.flatMap((token) => {
    if (token.kind === 'option' && !own.has(token.name))
      return [token.rawName, ...(token.value === undefined ? [] : [token.value])];
    if (token.kind === 'positional') return [token.value];
    return [];
  });
  const store = values['knowledge-base'];
  const admin = values['knowledge-base-admin'];
  const knowledgeBaseParams: string[] = [];
  if (store !== undefined) {
    if (typeof store !== 'string' || !(KNOWLEDGE_BASE_STORES as readonly string[]).includes(store)) {
      throw new Error(`--knowledge-base is one of ${KNOWLEDGE_BASE_STORES.join(', ')}.`);
    }
    if (passThrough.some((token) => token.startsWith('knowledgeBaseId='))) {
      throw new Error(
        'Either an existing knowledge base (--param knowledgeBaseId=…) or --knowledge-base, not both.',
      );
    }
    if (store === 'opensearch-serverless' && (typeof admin !== 'string' || !admin.startsWith('arn:'))) {
      throw new Error(
        '--knowledge-base opensearch-serverless needs --knowledge-base-admin <arn>: the role or user deploying, which creates the index.',
      );
    }
    knowledgeBaseParams.push('--param', `knowledgeBaseStore=${store}`);
    if (typeof admin === 'string') knowledgeBaseParams.push('--param', `knowledgeBaseAdminArn=${admin}`);
  } else if (admin !== undefined) {
    throw new Error('--knowledge-base-admin goes with --knowledge-base opensearch-serverless.');
  }
  const region = typeof values.region === 'string' ? values.region : undefined;
  const listed = typeof values.regions === 'string' ? values.regions : undefined;
  if (region && listed) throw new Error('Give either --region or --regions, not both.');
  const regions = listed
    ? listed
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '')
    : [region ?? process.env.AWS_REGION ?? 'us-east-1'];
  for (const name of regions) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(name)) throw new Error(`"${name}" is not an AWS region name.`);
  }
  if (new Set(regions).size !== regions.length) throw new Error('A region is listed twice in --regions.');
  const writeRegion = typeof values['write-region'] === 'string' ? values['write-region'] : undefined;
  if (writeRegion !== undefined && !regions.includes(writeRegion))
    throw new Error(`--write-region ${writeRegion} is not one of --regions (${regions.join(', ')}).`);
  return {
    stage,
    /** The primary region (the only one, unless --regions names several). */
    region: regions[0] as string,
    regions,
    /** Where every region writes the table (decision 21): the primary unless moved (a region evacuated). */
    writeRegion: writeRegion ?? (regions[0] as string),
    seedResources: values['seed-resources'] === true,
    skipWeb: values['skip-web'] === true,
    knowledgeBase: typeof store === 'string' ? store : undefined,
    passThrough: [...knowledgeBaseParams, ...passThrough],
  };
}
