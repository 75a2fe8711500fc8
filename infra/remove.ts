/**
 * `npm run remove -- --stage <name> [--region <region> | --regions <a,b,…>]`: undoes `npm run deploy`. The
 * other regions' stacks go first, then the primary's (its web and uploads buckets emptied first:
 * CloudFormation cannot delete a bucket with objects in it), then the global table's stack if there is one, every replica with it.
 * A single region's table and user pool go with its stack.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { parseDeployArgs } from './deploy-args.ts';
import { readStackOutputs } from './stack-outputs.ts';
import { removeTableStack, tableStackRegions } from './table-stack.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const args = parseDeployArgs(process.argv.slice(2));
const [primary, ...listed] = args.regions as [string, ...string[]];
const serverless = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
// The table stack knows every region it replicates to, even if fewer were named here.
const tableRegions = await tableStackRegions(args.stage, primary);
const others = [...new Set([...listed, ...(tableRegions ?? [])])].filter((region) => region !== primary);

function removeRegion(region: string) {
  console.log(`Removing ${region}…`);
  const removed = spawnSync(
    process.execPath,
    [serverless, 'remove', '--stage', args.stage, '--region', region, ...args.passThrough],
    { cwd: root, stdio: 'inherit' },
  );
  if (removed.status !== 0) process.exit(removed.status ?? 1);
}

for (const region of others) removeRegion(region);

// CloudFormation cannot delete a bucket with objects in it: the web app's and the uploads' are emptied first.
const { webBucketName, uploadsBucketName } = await readStackOutputs(args.stage, primary);
const s3 = new S3Client({ region: primary });
for (const bucket of [webBucketName, uploadsBucketName].filter(Boolean)) {
  for (let token: string | undefined; ; ) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    const objects = (page.Contents ?? []).map(({ Key }) => ({ Key }));
    if (objects.length > 0)
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    token = page.NextContinuationToken;
    if (!token) break;
  }
}
removeRegion(primary);

if (tableRegions) {
  console.log(`Removing the global table (${tableRegions.join(', ')})…`);
  await removeTableStack(args.stage, primary);
}
