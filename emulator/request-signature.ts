/**
 * The shape of a request's credentials, checked as AWS's front door does before anything else: a SigV4
 * `Authorization` header scoped to the `bedrock` service, or a Bedrock API key (`Bearer ABSK…`). Signatures
 * are not verified (any dummy key works offline); what is checked is that the client signs at all, so code
 * that forgets to sign fails offline as it would on AWS.
 */
export type SignatureCheck =
  | { ok: true; region: string }
  | { ok: false; status: 403; errorType: string; body: Record<string, string> };

/** Where AWS's authentication errors come from (not Bedrock's own namespace). */
const CORAL_SERVICE_SUFFIX = ':http://internal.amazon.com/coral/com.amazon.coral.service/';

/** The region a request is served in when its credentials do not say (an API key carries none). */
export const DEFAULT_REGION = 'us-east-1';

const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;.:_-]+),\s*Signature=([0-9a-f]{64})$/;

export function checkSignature(headers: Headers, service = 'bedrock'): SignatureCheck {
  const authorization = headers.get('authorization');
  // Recorded from bedrock-runtime: HTTP 403, AccessDeniedException, {"Message":"Authorization header is missing"}.
  if (authorization === null || authorization.trim() === '') {
    return refuse('AccessDeniedException', 'Authorization header is missing');
  }
  if (/^Bearer\s/i.test(authorization)) {
    const key = authorization.replace(/^Bearer\s+/i, '');
    return key.startsWith('ABSK')
      ? { ok: true, region: DEFAULT_REGION }
      : refuse('AccessDeniedException', 'Invalid API Key format: Must start with pre-defined prefix');
  }
  const sigv4 = SIGV4.exec(authorization.trim());
  if (!sigv4 || !(headers.has('x-amz-date') || headers.has('date'))) {
    return refuse(
      'IncompleteSignatureException',
      `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
    );
  }
  const [, , , region = DEFAULT_REGION, scopedService] = sigv4;
  if (scopedService !== service) {
    return refuse(
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${service}'. `,
    );
  }
  return { ok: true, region };
}

function refuse(errorType: string, message: string): SignatureCheck {
  return {
    ok: false,
    status: 403,
    errorType: `${errorType}${CORAL_SERVICE_SUFFIX}`,
    body: { Message: message },
  };
}
