/**
 * `npm run deploy -- --stage <name> [--region <region>] [--seed-resources] [--skip-web]
 *   [--knowledge-base s3-vectors|opensearch-serverless [--knowledge-base-admin <arn>]] [--param key=value…]`
 *
 * Deploys the backend with `serverless deploy`, then builds the web app against it and publishes it to S3 +
 * CloudFront, and prints the URLs. Needs AWS credentials (the usual chain: env, profile, SSO).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { seedResources } from '../seed/seed-resources.ts';
import { createDocumentClient } from '../src/adapters/dynamodb/document-client.ts';
import { parseDeployArgs } from './deploy-args.ts';
import { publishWeb } from './publish-web.ts';
import { readStackOutputs } from './stack-outputs.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = fileURLToPath(new URL('..', import.meta.url));
const args = parseDeployArgs(process.argv.slice(2));

const serverless = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');
const deployed = spawnSync(
  process.execPath,
  [serverless, 'deploy', '--stage', args.stage, '--region', args.region, ...args.passThrough],
  { cwd: root, stdio: 'inherit' },
);
if (deployed.status !== 0) process.exit(deployed.status ?? 1);

const stack = await readStackOutputs(args.stage, args.region);
if (!args.skipWeb) {
  console.log('Building and publishing the web app…');
  await publishWeb(root, stack, args.region);
}
if (args.seedResources) {
  const client = createDocumentClient({ region: args.region });
  const count = await seedResources({ root, tableName: stack.tableName, client });
  console.log(`Seeded ${count} demo resources from fixtures/resources.json.`);
}

console.log(`
  Deployed stage "${args.stage}" to ${args.region}

  Web app        ${stack.webUrl}
  WebSocket API  ${stack.webSocketUrl}
  Sign-in        https://${stack.authDomain}  (Cognito user pool ${stack.userPoolId})

  Create a user:  aws cognito-idp admin-create-user --region ${args.region} --user-pool-id ${stack.userPoolId} \\
                    --username you@example.com --user-attributes Name=email,Value=you@example.com Name=email_verified,Value=true
  Remove it all:  npm run remove -- --stage ${args.stage} --region ${args.region}
`);
if (args.knowledgeBase) {
  console.log(`  Knowledge base (${args.knowledgeBase}) created and empty. Fill it:
                  npm run kb:sync -- fixtures/knowledge-base --stage ${args.stage} --region ${args.region}
`);
}
