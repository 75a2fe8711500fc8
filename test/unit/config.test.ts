import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

const minimal = { CHAT_TABLE_NAME: 'chat-dev', CHAT_MODEL_ID: 'us.anthropic.claude-haiku-4-5-20251001-v1:0' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(minimal);
    expect(config).toMatchObject({
      region: 'us-east-1',
      knowledgeBaseId: undefined,
      maxMessageBytes: 16_384,
      handoffTool: true,
      endpoints: { dynamodb: undefined, bedrock: undefined, management: undefined },
      turn: { windowMessages: 20, sessionTtlSeconds: 86_400, maxToolRounds: 4 },
    });
  });

  it('treats empty variables as unset, as serverless.yml renders absent params', () => {
    const config = loadConfig({ ...minimal, CHAT_KNOWLEDGE_BASE_ID: '', CHAT_DYNAMODB_ENDPOINT: '' });
    expect(config.knowledgeBaseId).toBeUndefined();
    expect(config.endpoints.dynamodb).toBeUndefined();
  });

  it('uses the Bedrock endpoint for Knowledge Bases too unless told otherwise (one emulator serves both)', () => {
    expect(
      loadConfig({ ...minimal, CHAT_BEDROCK_ENDPOINT: 'http://127.0.0.1:4010' }).endpoints.bedrockAgent,
    ).toBe('http://127.0.0.1:4010');
  });

  it('offers the handoff tool unless CHAT_HANDOFF is off, and takes nothing else', () => {
    expect(loadConfig({ ...minimal, CHAT_HANDOFF: 'off' }).handoffTool).toBe(false);
    // The low-confidence rule hands off only where the tool may: off with it.
    expect(loadConfig(minimal).handoffAfterKbMisses).toBe(2);
    expect(loadConfig({ ...minimal, CHAT_HANDOFF: 'off' }).handoffAfterKbMisses).toBe(0);
    expect(loadConfig({ ...minimal, CHAT_HANDOFF_AFTER_KB_MISSES: '0' }).handoffAfterKbMisses).toBe(0);
    // So is the repeated-negative-feedback rule.
    expect(loadConfig(minimal).handoffAfterNegativeFeedback).toBe(2);
    expect(loadConfig({ ...minimal, CHAT_HANDOFF: 'off' }).handoffAfterNegativeFeedback).toBe(0);
    expect(
      loadConfig({ ...minimal, CHAT_HANDOFF_AFTER_NEGATIVE_FEEDBACK: '3' }).handoffAfterNegativeFeedback,
    ).toBe(3);
    expect(
      loadConfig({ ...minimal, CHAT_HANDOFF_AFTER_NEGATIVE_FEEDBACK: '0' }).handoffAfterNegativeFeedback,
    ).toBe(0);
    expect(() => loadConfig({ ...minimal, CHAT_HANDOFF_AFTER_NEGATIVE_FEEDBACK: '-1' })).toThrow(
      /CHAT_HANDOFF_AFTER_NEGATIVE_FEEDBACK/,
    );
    expect(loadConfig({ ...minimal, CHAT_HANDOFF: 'on' }).handoffTool).toBe(true);
    expect(() => loadConfig({ ...minimal, CHAT_HANDOFF: 'yes' })).toThrow(/CHAT_HANDOFF/);
  });

  it('reads and writes the table in its own region unless a write region is named (decision 21)', () => {
    expect(loadConfig({ ...minimal, AWS_REGION: 'eu-west-1' })).toMatchObject({
      tableRegion: 'eu-west-1',
      uploadsRegion: 'eu-west-1',
    });
    expect(
      loadConfig({ ...minimal, AWS_REGION: 'eu-west-1', CHAT_WRITE_REGION: '', CHAT_UPLOADS_REGION: '' }),
    ).toMatchObject({ tableRegion: 'eu-west-1', uploadsRegion: 'eu-west-1' });
    const secondary = loadConfig({
      ...minimal,
      AWS_REGION: 'eu-west-1',
      CHAT_WRITE_REGION: 'us-east-1',
      CHAT_UPLOADS_REGION: 'us-east-1',
    });
    // The model is still called in the Lambda's own region; only shared state is elsewhere.
    expect(secondary).toMatchObject({
      region: 'eu-west-1',
      tableRegion: 'us-east-1',
      uploadsRegion: 'us-east-1',
    });
    expect(() => loadConfig({ ...minimal, CHAT_WRITE_REGION: 'europe' })).toThrow(/CHAT_WRITE_REGION/);
  });

  it('names every invalid variable in one error', () => {
    expect(() =>
      loadConfig({ CHAT_MODEL_ID: 'm', CHAT_WINDOW_MESSAGES: '1', CHAT_BEDROCK_ENDPOINT: 'not a url' }),
    ).toThrow(/CHAT_TABLE_NAME.*CHAT_BEDROCK_ENDPOINT: Invalid URL.*CHAT_WINDOW_MESSAGES: Too small/);
  });

  it('caps the message size below the 32 KB frame limit', () => {
    expect(() => loadConfig({ ...minimal, CHAT_MAX_MESSAGE_BYTES: '40000' })).toThrow(
      /CHAT_MAX_MESSAGE_BYTES/,
    );
  });
});
