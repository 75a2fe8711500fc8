/**
 * `npm run deploy -- --stage <name> [--region <region> | --regions <a,b,…>] [--seed-resources] [--skip-web]
 *   [--knowledge-base s3-vectors|opensearch-serverless [--knowledge-base-admin <arn>]] [--param key=value…]`
 *
 * Deploys the backend with `serverless deploy`, then builds the web app against it and publishes it to S3 +
 * CloudFront, and prints the URLs. With `--regions`, the table becomes a global table (its own stack in the
 * first region, infra/table-stack.ts), every region gets the WebSocket API and Lambdas, the first one also
 * the user pool and the web app, which is told every region's endpoint (decision 21, docs/deploy.md).
 * Needs AWS credentials (the usual chain: env, profile, SSO).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { seedResources } from '../seed/seed-resources.ts';
import { createDocumentClient } from '../src/adapters/dynamodb/document-client.ts';
import { parseDeployArgs } from './deploy-args.ts';
import { publishWeb } from './publish-web.ts';
import { type RegionDeployment, serverlessDeployArgs, socketUrlsSetting } from './region-deploy-plan.ts';
import { readSocketUrl, readStackOutputs } from './stack-outputs.ts';
import { deployTableStack, tableStackRegions } from './table-stack.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const args = parseDeployArgs(process.argv.slice(2));
const [primary, ...others] = args.regions as [string, ...string[]];
const serverless = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');

function deployRegion(
  region: string,
  others: Pick<RegionDeployment, 'userPool' | 'uploadsBucket' | 'otherSocketUrls'>,
) {
  const argv = serverlessDeployArgs({ ...args, region, ...others });
  console.log(`Deploying ${region}…`);
  const deployed = spawnSync(process.execPath, [serverless, ...argv], { cwd: root, stdio: 'inherit' });
  if (deployed.status !== 0) process.exit(deployed.status ?? 1);
}

if (others.length > 0) {
  // A stage deployed to one region owns its table; turning it into a global table would replace it.
  const single = await readSocketUrl(args.stage, primary).catch(() => undefined);
  if (single && !(await tableStackRegions(args.stage, primary)))
    throw new Error(
      `Stage "${args.stage}" is deployed to ${primary} alone, with its own table: deploy several regions to a new stage.`,
    );
  console.log(`Creating or updating the global table in ${args.regions.join(', ')}…`);
  await deployTableStack(args.stage, args.regions);
}

// The primary first (its user pool signs users in everywhere), with the other regions' endpoints if they
// exist already, so its CSP lets the web app reach them; on a first deployment it is updated once they do.
const knownUrls = await Promise.all(
  others.map((region) => readSocketUrl(args.stage, region).catch(() => undefined)),
);
const allKnown = knownUrls.every((url) => url !== undefined);
deployRegion(primary, { otherSocketUrls: allKnown ? (knownUrls as string[]) : [] });
const stack = await readStackOutputs(args.stage, primary);
const userPool = { id: stack.userPoolId, clientId: stack.userPoolClientId };
const endpoints = [{ region: primary, url: stack.webSocketUrl }];
for (const region of others) {
  deployRegion(region, { userPool, uploadsBucket: stack.uploadsBucketName });
  const url = await readSocketUrl(args.stage, region);
  if (!url) throw new Error(`The stack in ${region} has no WebSocketUrl output.`);
  endpoints.push({ region, url });
}
if (others.length > 0 && !allKnown) {
  console.log(`Letting the web app in ${primary} reach the other regions…`);
  deployRegion(primary, { otherSocketUrls: endpoints.slice(1).map((e) => e.url) });
}

if (!args.skipWeb) {
  console.log('Building and publishing the web app…');
  await publishWeb(root, stack, primary, others.length > 0 ? socketUrlsSetting(endpoints) : undefined);
}
if (args.seedResources) {
  // On a global table the seeded items replicate to every region.
  const client = createDocumentClient({ region: primary });
  const count = await seedResources({ root, tableName: stack.tableName, client });
  console.log(`Seeded ${count} demo resources from fixtures/resources.json.`);
}

const regionsFlag = others.length > 0 ? `--regions ${args.regions.join(',')}` : `--region ${primary}`;
console.log(`
  Deployed stage "${args.stage}" to ${args.regions.join(', ')}

  Web app        ${stack.webUrl}
${endpoints.map((e) => `  WebSocket API  ${e.url}  (${e.region})`).join('\n')}
  Sign-in        https://${stack.authDomain}  (Cognito user pool ${stack.userPoolId})

  Create a user:  aws cognito-idp admin-create-user --region ${primary} --user-pool-id ${stack.userPoolId} \\
                    --username you@example.com --user-attributes Name=email,Value=you@example.com Name=email_verified,Value=true
  Remove it all:  npm run remove -- --stage ${args.stage} ${regionsFlag}
`);
if (args.knowledgeBase) {
  console.log(`  Knowledge base (${args.knowledgeBase}) created and empty. Fill it:
                  npm run kb:sync -- fixtures/knowledge-base --stage ${args.stage} --region ${primary}
`);
}
