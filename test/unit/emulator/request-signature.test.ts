import { describe, expect, it } from 'vitest';
import { checkSignature } from '../../../emulator/request-signature.ts';
import { SIGNED_HEADERS } from './support/test-emulator.ts';

const AUTH_NAMESPACE = ':http://internal.amazon.com/coral/com.amazon.coral.service/';

describe('checkSignature', () => {
  it('accepts a SigV4 header scoped to bedrock, with any key, and reads the region from it', () => {
    const headers = new Headers({
      ...SIGNED_HEADERS,
      authorization: SIGNED_HEADERS.authorization.replace('us-east-1', 'eu-central-1'),
    });

    expect(checkSignature(headers)).toEqual({ ok: true, region: 'eu-central-1' });
  });

  it('refuses a request without credentials as AWS does: 403, AccessDeniedException, "Message"', () => {
    expect(checkSignature(new Headers())).toEqual({
      ok: false,
      status: 403,
      errorType: `AccessDeniedException${AUTH_NAMESPACE}`,
      body: { Message: 'Authorization header is missing' },
    });
  });

  it('accepts a Bedrock API key and refuses a bearer token that is not one', () => {
    expect(checkSignature(new Headers({ authorization: 'Bearer ABSKbG9jYWw=' }))).toMatchObject({ ok: true });
    expect(checkSignature(new Headers({ authorization: 'Bearer sk-123' }))).toMatchObject({
      ok: false,
      body: { Message: 'Invalid API Key format: Must start with pre-defined prefix' },
    });
  });

  it('refuses a malformed signature and one scoped to another service', () => {
    expect(checkSignature(new Headers({ authorization: 'AWS4-HMAC-SHA256 nonsense' }))).toMatchObject({
      ok: false,
      errorType: `IncompleteSignatureException${AUTH_NAMESPACE}`,
    });
    const s3 = new Headers({
      ...SIGNED_HEADERS,
      authorization: SIGNED_HEADERS.authorization.replace('/bedrock/', '/s3/'),
    });
    expect(checkSignature(s3)).toMatchObject({
      ok: false,
      errorType: `InvalidSignatureException${AUTH_NAMESPACE}`,
      body: { Message: "Credential should be scoped to correct service: 'bedrock'. " },
    });
  });
});
