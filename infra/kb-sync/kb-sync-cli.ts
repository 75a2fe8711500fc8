/** `npm run kb:sync -- <folder> …`: see kb-sync-args.ts and docs/deploy.md. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { readOutputs } from '../stack-outputs.ts';
import { createBedrockAgentIngestionJobs } from './bedrock-agent-ingestion.ts';
import { KB_SYNC_HELP, parseKbSyncArgs } from './kb-sync-args.ts';
import { createS3DocumentStore } from './s3-document-store.ts';
import { formatStatistics, type LocalDocument, syncKnowledgeBase } from './sync-knowledge-base.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

try {
  const args = parseKbSyncArgs(process.argv.slice(2));
  if (args.help) {
    console.log(KB_SYNC_HELP);
    process.exit(0);
  }
  let target = args.target.kind === 'explicit' ? args.target : undefined;
  if (args.target.kind === 'stage') {
    const outputs = (await readOutputs(args.target.stage, args.region)) ?? {};
    const [knowledgeBaseId, dataSourceId, bucket] = [
      outputs.KnowledgeBaseId,
      outputs.KnowledgeBaseDataSourceId,
      outputs.KnowledgeBaseBucketName,
    ];
    if (!knowledgeBaseId || !dataSourceId || !bucket) {
      throw new Error(
        `Stage ${args.target.stage} has no knowledge base of its own: deploy it with --knowledge-base s3-vectors (docs/deploy.md).`,
      );
    }
    target = { kind: 'explicit', knowledgeBaseId, dataSourceId, bucket };
  }
  if (!target) throw new Error(KB_SYNC_HELP);

  const s3 = new S3Client({ region: args.region });
  const documents: LocalDocument[] = readdirSync(args.folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { key: relative(args.folder, path).split(sep).join('/'), body: readFileSync(path) };
    })
    .sort((a, b) => a.key.localeCompare(b.key));
  console.error(
    `kb:sync  ${documents.length} files → s3://${target.bucket}, knowledge base ${target.knowledgeBaseId}`,
  );
  const report = await syncKnowledgeBase({
    documents,
    store: createS3DocumentStore({ client: s3, bucket: target.bucket }),
    jobs: createBedrockAgentIngestionJobs({
      region: args.region,
      knowledgeBaseId: target.knowledgeBaseId,
      dataSourceId: target.dataSourceId,
      credentials: () => s3.config.credentials(),
    }),
    onProgress: (line) => console.error(`kb:sync  ${line}`),
  });
  console.log(`Ingestion job ${report.job.ingestionJobId} COMPLETE: ${report.uploaded} files uploaded, ${report.deleted} deleted.
${formatStatistics(report.job.statistics)}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
