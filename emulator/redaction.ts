/**
 * Keeps secrets out of fixture files. The recorder never writes request headers (authorization,
 * x-amz-security-token, x-amz-date live there); bodies go through `redactJson`, and the matcher redacts live
 * requests the same way, so a fixture recorded in one account replays for a request made from another.
 */

/** Stands in for the 12-digit AWS account id inside an ARN. */
export const REDACTED_ACCOUNT_ID = '000000000000';
export const REDACTED_ACCESS_KEY_ID = '<redacted-access-key-id>';
export const REDACTED_VALUE = '<redacted>';

/** arn:partition:service:region:ACCOUNT:resource */
const ARN_ACCOUNT_ID = /\b(arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:)\d{12}(?=:)/g;
/** Long-term (AKIA) and temporary (ASIA) access key ids. */
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g;
/** Credentials carried in a presigned URL's query string (e.g. an S3 location of a knowledge-base chunk). */
const PRESIGNED_QUERY_SECRET =
  /([?&](?:X-Amz-Credential|X-Amz-Signature|X-Amz-Security-Token|X-Amz-Date|Signature|AWSAccessKeyId)=)[^&"'\s]+/gi;

export function redactText(text: string): string {
  return text
    .replace(ARN_ACCOUNT_ID, `$1${REDACTED_ACCOUNT_ID}`)
    .replace(ACCESS_KEY_ID, REDACTED_ACCESS_KEY_ID)
    .replace(PRESIGNED_QUERY_SECRET, `$1${REDACTED_VALUE}`);
}

/** The value with every string (keys included) redacted. */
export function redactJson<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [redactText(key), redactValue(inner)]),
    );
  }
  return value;
}
