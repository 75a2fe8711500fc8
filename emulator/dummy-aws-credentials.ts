/**
 * Points the AWS SDK's credential chain at dummy keys, for runs whose Bedrock calls go to a local upstream:
 * real credentials (profile, session token) must never be signed into requests that leave AWS's endpoints.
 */
export function applyDummyAwsCredentials(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'])
    delete env[name];
  env.AWS_ACCESS_KEY_ID = 'local';
  env.AWS_SECRET_ACCESS_KEY = 'local';
}
