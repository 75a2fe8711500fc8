import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local token issuer for `npm run dev` and the tests, standing in for Amazon Cognito: RS256 JWTs from a
 * key made at start-up. The $connect authorizer verifies them with aws-jwt-verify given this issuer's
 * public keys (CHAT_AUTH_JWKS), exactly as it verifies Cognito's on AWS.
 *
 * HTTP (127.0.0.1 only): GET /token?user=<name>[&groups=<a,b>][&lifetime=<seconds>] → {token, userId,
 * expiresAt}, an ID token as Cognito's (`token_use: "id"`, `exp`, `cognito:groups`; `groups=admins` opens the
 * admin page); GET /.well-known/jwks.json. To try by hand that $connect
 * refuses them: a negative lifetime gives an expired token, `use=access` an access token (`token_use:
 * "access"`), `expiry=none` a token without `exp`.
 *
 * Anyone who can get a token can chat as anyone, so only the dev web app may ask from a browser: a request with
 * an `Origin` header must come from `allowedOrigins` (CORS lets only those read the answer), and the `Host`
 * must be a loopback name, so a web page cannot reach the issuer by rebinding its own domain to 127.0.0.1.
 * Tools (curl, wscat, the tests) send no `Origin` and are served.
 */
export interface DevIssuer {
  url: string;
  /** The `iss` claim. */
  issuer: string;
  audience: string;
  /** The public JWKS as JSON, for CHAT_AUTH_JWKS. */
  jwks: string;
  /** A signed token for `userId`; a negative lifetime makes an expired one (for tests). */
  sign(userId: string, lifetimeSeconds?: number, groups?: string[]): string;
  close(): Promise<void>;
}

export const DEV_AUDIENCE = 'bedrock-ws-chat-local';
const TOKEN_LIFETIME_SECONDS = 3600;

export async function startDevIssuer(options: {
  port: number;
  /** Web origins allowed to fetch tokens, e.g. `http://127.0.0.1:5173`. */
  allowedOrigins: readonly string[];
}): Promise<DevIssuer> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `dev-${Date.now().toString(36)}`;
  const jwks = JSON.stringify({
    keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }],
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('content-type', 'application/json');
    res.setHeader('vary', 'origin');
    const origin = req.headers.origin;
    if (
      !isLoopbackHost(req.headers.host) ||
      (origin !== undefined && !options.allowedOrigins.includes(origin))
    ) {
      res.statusCode = 403;
      return res.end(JSON.stringify({ message: 'Tokens are only issued to the local dev web app.' }));
    }
    // The web app on another localhost port fetches tokens from here.
    if (origin !== undefined) res.setHeader('access-control-allow-origin', origin);
    if (url.pathname === '/.well-known/jwks.json') return res.end(jwks);
    if (url.pathname === '/token') {
      const userId = url.searchParams.get('user')?.trim() || 'dev-user';
      const lifetime = Math.min(
        Number(url.searchParams.get('lifetime') ?? TOKEN_LIFETIME_SECONDS) || 0,
        TOKEN_LIFETIME_SECONDS,
      );
      const expiresAt = Math.floor(Date.now() / 1000) + lifetime;
      const token = issue(userId, lifetime, {
        use: url.searchParams.get('use') === 'access' ? 'access' : 'id',
        expires: url.searchParams.get('expiry') !== 'none',
        groups: groupsParam(url.searchParams.get('groups')),
      });
      return res.end(JSON.stringify({ token, userId, expiresAt }));
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ message: 'GET /token?user=<name> or /.well-known/jwks.json' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function issue(
    userId: string,
    lifetimeSeconds: number,
    {
      use = 'id',
      expires = true,
      groups = [],
    }: { use?: 'id' | 'access'; expires?: boolean; groups?: string[] } = {},
  ): string {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: url,
      aud: DEV_AUDIENCE,
      sub: userId,
      iat: now,
      token_use: use,
      ...(groups.length > 0 ? { 'cognito:groups': groups } : {}),
    };
    return signJwt(expires ? { ...claims, exp: now + lifetimeSeconds } : claims, privateKey, kid);
  }

  return {
    url,
    issuer: url,
    audience: DEV_AUDIENCE,
    jwks,
    sign: (userId, lifetimeSeconds = TOKEN_LIFETIME_SECONDS, groups = []) =>
      issue(userId, lifetimeSeconds, { groups }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>`: what a browser sends for a loopback URL. */
function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(host);
}

/** `groups=admins,ops` as Cognito's `cognito:groups` list. */
function groupsParam(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((group) => group.trim())
    .filter((group) => group !== '');
}

/** An RS256 JWT; node:crypto is all it takes. */
export function signJwt(
  payload: Record<string, unknown>,
  privateKey: KeyObject | string,
  kid: string,
): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const data = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return `${data}.${sign('sha256', Buffer.from(data), key).toString('base64url')}`;
}
