import { DEFAULT_FOUNDATION_MODEL, inferenceProfileFor } from './regional-model.ts';

/** What one region's `serverless deploy` needs to know about the others (docs/deploy.md, decision 21). */
export interface RegionDeployment {
  stage: string;
  region: string;
  /** Every region of the deployment, the primary first. */
  regions: readonly string[];
  /** The region whose replica of the table every region writes (decision 21); the primary unless moved. */
  writeRegion?: string;
  /** The primary's user pool, which every other region's `$connect` authorizer trusts. */
  userPool?: { id: string; clientId: string };
  /** The primary's uploads bucket, which every other region's Lambdas use. */
  uploadsBucket?: string;
  /** The other regions' WebSocket URLs, once known: the primary's CSP lets the web app connect to them. */
  otherSocketUrls?: readonly string[];
  /** The options the user gave for `serverless` (e.g. `--param`), passed on unchanged and winning. */
  passThrough: readonly string[];
}

/**
 * The `serverless deploy` arguments for one region. A single region deploys as before (its stack owns the
 * table, the user pool and the web app); with several, every stack reads and writes the write region's
 * replica of the global table (the primary's unless `--write-region` moves it), the first region is the primary, the others sign users in through its user pool, and each region calls the
 * model through its own geography's inference profile unless `--param modelId=…` says otherwise.
 */
export function serverlessDeployArgs(deployment: RegionDeployment): string[] {
  const { stage, region, regions, passThrough } = deployment;
  const base = ['deploy', '--stage', stage, '--region', region];
  if (regions.length <= 1) return [...base, ...passThrough];
  const primary = region === regions[0];
  const given = new Map(
    passThrough.flatMap((token, index) => {
      const separator = token.indexOf('=');
      return passThrough[index - 1] === '--param' && separator > 0
        ? [[token.slice(0, separator), token.slice(separator + 1)] as const]
        : [];
    }),
  );
  const params: Record<string, string> = {
    tableMode: 'global',
    regionRole: primary ? 'primary' : 'secondary',
    writeRegion: deployment.writeRegion ?? (regions[0] as string),
  };
  if (!given.has('modelId'))
    params.modelId = inferenceProfileFor(region, given.get('foundationModelId') ?? DEFAULT_FOUNDATION_MODEL);
  if (primary) {
    const origins = (deployment.otherSocketUrls ?? []).map(originOf);
    if (origins.length > 0) params.extraConnectSources = origins.join(' ');
  } else {
    if (!deployment.userPool || !deployment.uploadsBucket)
      throw new Error(`Region ${region} needs the primary region's user pool and uploads bucket first.`);
    params.cognitoUserPoolId = deployment.userPool.id;
    params.cognitoClientId = deployment.userPool.clientId;
    params.uploadsBucket = deployment.uploadsBucket;
    params.uploadsRegion = regions[0] as string;
  }
  // ACM certificates are regional: of a comma-separated list, each region takes the one issued in it.
  const certificates = given.get('certificateArn');
  const ownPassThrough = certificates?.includes(',')
    ? passThrough.map((token, index) =>
        passThrough[index - 1] === '--param' && token.startsWith('certificateArn=')
          ? `certificateArn=${certificateFor(region, certificates)}`
          : token,
      )
    : passThrough;
  return [
    ...base,
    ...Object.entries(params).flatMap(([key, value]) => ['--param', `${key}=${value}`]),
    ...ownPassThrough,
  ];
}

function certificateFor(region: string, list: string): string {
  const found = list.split(',').find((arn) => arn.trim().split(':')[3] === region);
  if (!found)
    throw new Error(`certificateArn names no certificate in ${region} (ACM certificates are regional).`);
  return found.trim();
}

/** A WebSocket URL's origin, as a CSP source (`wss://host`). */
function originOf(url: string): string {
  const { protocol, host } = new URL(url);
  return `${protocol}//${host}`;
}

/** `VITE_CHAT_WS_URLS` for the web app: every region's endpoint, named, the primary first. */
export function socketUrlsSetting(endpoints: readonly { region: string; url: string }[]): string {
  return endpoints.map(({ region, url }) => `${region}=${url}`).join(',');
}
