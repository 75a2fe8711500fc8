import { describe, expect, it } from 'vitest';
import {
  REDACTED_ACCESS_KEY_ID,
  REDACTED_ACCOUNT_ID,
  redactJson,
  redactText,
} from '../../../emulator/redaction.ts';

describe('redactText', () => {
  it('replaces the account id of any ARN, keeping the ARN readable', () => {
    expect(redactText('arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.x:0')).toBe(
      `arn:aws:bedrock:us-east-1:${REDACTED_ACCOUNT_ID}:inference-profile/us.anthropic.x:0`,
    );
    expect(redactText('arn:aws-us-gov:s3::123456789012:bucket/key')).toBe(
      `arn:aws-us-gov:s3::${REDACTED_ACCOUNT_ID}:bucket/key`,
    );
  });

  it('leaves ARNs without an account (foundation models) and other twelve-digit numbers alone', () => {
    const text = 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude order 123456789012';
    expect(redactText(text)).toBe(text);
  });

  it('replaces long-term and temporary access key ids', () => {
    expect(redactText('keys AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE')).toBe(
      `keys ${REDACTED_ACCESS_KEY_ID} and ${REDACTED_ACCESS_KEY_ID}`,
    );
  });

  it('replaces credentials in presigned URLs but keeps the rest of the URL', () => {
    const url =
      'https://docs.s3.amazonaws.com/a.md?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=abc%2F2026&X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok';

    expect(redactText(url)).toBe(
      'https://docs.s3.amazonaws.com/a.md?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>&X-Amz-Security-Token=<redacted>',
    );
  });
});

describe('redactJson', () => {
  it('redacts every string, in keys and at any depth, and keeps other values', () => {
    const value = {
      modelId: 'arn:aws:bedrock:eu-west-1:210987654321:application-inference-profile/p',
      messages: [{ content: [{ text: 'my key is AKIAIOSFODNN7EXAMPLE' }] }],
      'arn:aws:iam::210987654321:role/x': true,
      count: 3,
    };

    expect(redactJson(value)).toEqual({
      modelId: `arn:aws:bedrock:eu-west-1:${REDACTED_ACCOUNT_ID}:application-inference-profile/p`,
      messages: [{ content: [{ text: `my key is ${REDACTED_ACCESS_KEY_ID}` }] }],
      [`arn:aws:iam::${REDACTED_ACCOUNT_ID}:role/x`]: true,
      count: 3,
    });
  });
});
