import { parseArgs } from 'node:util';

export const KB_SYNC_HELP = `npm run kb:sync -- <folder> --stage <name> [--region <region>]
npm run kb:sync -- <folder> --kb-id <id> --data-source-id <id> --bucket <name> [--region <region>]

Uploads the folder's documents and their <file>.metadata.json sidecars to the knowledge base's bucket (and
deletes what is no longer in the folder), runs an ingestion job, waits for it and prints its statistics.
With --stage, the ids come from the outputs of a stack deployed with --knowledge-base (docs/deploy.md).`;

export type KbSyncTarget =
  | { kind: 'stage'; stage: string }
  | { kind: 'explicit'; knowledgeBaseId: string; dataSourceId: string; bucket: string };

export function parseKbSyncArgs(argv: string[], env: NodeJS.ProcessEnv = process.env) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stage: { type: 'string' },
      region: { type: 'string' },
      'kb-id': { type: 'string' },
      'data-source-id': { type: 'string' },
      bucket: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const region = values.region ?? env.AWS_REGION ?? 'us-east-1';
  if (values.help) return { help: true as const };
  const [folder, ...extra] = positionals;
  if (!folder || extra.length > 0) throw new Error(`Name one folder.\n\n${KB_SYNC_HELP}`);
  const explicit = [values['kb-id'], values['data-source-id'], values.bucket];
  let target: KbSyncTarget;
  if (values.stage && explicit.every((value) => value === undefined)) {
    target = { kind: 'stage', stage: values.stage };
  } else if (!values.stage && explicit.every((value) => typeof value === 'string' && value !== '')) {
    target = {
      kind: 'explicit',
      knowledgeBaseId: values['kb-id'] as string,
      dataSourceId: values['data-source-id'] as string,
      bucket: values.bucket as string,
    };
  } else {
    throw new Error(
      `Give either --stage, or --kb-id, --data-source-id and --bucket together.\n\n${KB_SYNC_HELP}`,
    );
  }
  return { help: false as const, folder, region, target };
}
