/**
 * `npm run remove -- --stage <name> [--region <region>]`: empties the web bucket (CloudFormation cannot
 * delete a bucket with objects in it), then `serverless remove`. The table and user pool go with the stack.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseDeployArgs } from './deploy-args.ts';
import { readStackOutputs } from './stack-outputs.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const args = parseDeployArgs(process.argv.slice(2));

const { webBucketName } = await readStackOutputs(args.stage, args.region);
const s3 = new S3Client({ region: args.region });
for (let token: string | undefined; ; ) {
  const page = await s3.send(new ListObjectsV2Command({ Bucket: webBucketName, ContinuationToken: token }));
  const objects = (page.Contents ?? []).map(({ Key }) => ({ Key }));
  if (objects.length > 0)
    await s3.send(new DeleteObjectsCommand({ Bucket: webBucketName, Delete: { Objects: objects } }));
  token = page.NextContinuationToken;
  if (!token) break;
}

const serverless = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
const removed = spawnSync(
  process.execPath,
  [serverless, 'remove', '--stage', args.stage, '--region', args.region, ...args.passThrough],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(removed.status ?? 1);
