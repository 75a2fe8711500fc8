import { fromEnv } from '@aws-sdk/credential-provider-env';

/*
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (serverless.yml, custom.esbuild.alias;
 * docs/decisions/0016). Every handler gets its credentials in environment variables: Lambda sets the role's
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, and the offline stack sets dummy ones. The
 * default chain's other links (profiles, SSO, STS web identity, IMDS) are never used there, yet put about
 * 100 KB of code and their nested clients into every bundle.
 */

/** The SDK clients' default credential provider, in the chain's signature: credentials from the environment. */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
