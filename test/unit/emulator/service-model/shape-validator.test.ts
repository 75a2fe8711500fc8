import { describe, expect, it } from 'vitest';
import { serviceShapes } from '../../../../emulator/service-model/service-shapes.ts';
import { checkShape, validationErrorMessage } from '../../../../emulator/service-model/shape-validator.ts';

const runtime = serviceShapes('bedrock-runtime');
const MODEL_ID = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';
const check = (body: Record<string, unknown>) =>
  checkShape(runtime, 'ConverseStreamRequest', { modelId: MODEL_ID, ...body });
const ask = (text: string) => [{ role: 'user', content: [{ text }] }];

describe('checkShape, against the constraints derived from the botocore service model', () => {
  it('accepts a well-formed request', () => {
    expect(check({ messages: ask('Hi'), inferenceConfig: { maxTokens: 10, temperature: 0.5 } })).toEqual({
      violations: [],
    });
  });

  it('quotes the value of a number out of range, as Bedrock words it', () => {
    expect(
      check({ messages: ask('Hi'), inferenceConfig: { maxTokens: 0, temperature: 2 } }).violations,
    ).toEqual([
      "Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1",
      "Value '2.0' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1",
    ]);
  });

  it('quotes a tool name in toolConfig but leaves conversation content out of the message', () => {
    const { violations } = check({
      messages: [
        ...ask('Look it up'),
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'kb.lookup', input: {} } }] },
      ],
      toolConfig: { tools: [{ toolSpec: { name: 'bad name!', inputSchema: { json: {} } } }] },
    });

    expect(violations).toEqual([
      "Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
      "Value 'bad name!' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+",
    ]);
  });

  it('checks lengths and enums, and names missing required members', () => {
    const { violations } = check({
      messages: [{ role: 'system', content: [{ text: 'Hi' }] }],
      toolConfig: { tools: [{ toolSpec: { name: 'x'.repeat(65), inputSchema: { json: {} } } }] },
      inferenceConfig: { stopSequences: [''] },
    });

    expect(violations).toEqual([
      "Value 'system' at 'messages.1.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]",
      "Value '' at 'inferenceConfig.stopSequences.1.member' failed to satisfy constraint: Member must have length greater than or equal to 1",
      `Value '${'x'.repeat(65)}' at 'toolConfig.tools.1.member.toolSpec.name' failed to satisfy constraint: Member must have length less than or equal to 64`,
    ]);
    expect(check({ messages: [{ role: 'user' }] }).violations).toEqual([
      "Value null at 'messages.1.member.content' failed to satisfy constraint: Member must not be null",
    ]);
  });

  it('takes back the toolUse type Bedrock itself returns, and still refuses any other', () => {
    const withToolUseType = (type: string) =>
      check({
        messages: [
          ...ask('Look it up'),
          { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'lookup', input: {}, type } }] },
        ],
      }).violations;

    expect(withToolUseType('tool_use')).toEqual([]);
    expect(withToolUseType('server_tool_use')).toEqual([]);
    expect(withToolUseType('function')).toEqual([
      "Value at 'messages.2.member.content.1.member.toolUse.type' failed to satisfy constraint: Member must satisfy enum value set: [server_tool_use]",
    ]);
  });

  it('reports a value of the wrong JSON type separately (Bedrock answers SerializationException)', () => {
    expect(check({ messages: ask('Hi'), inferenceConfig: { maxTokens: '10' } }).wrongType).toBe(
      "Expected a number at 'inferenceConfig.maxTokens'.",
    );
  });

  it('counts the errors in the summary line', () => {
    expect(validationErrorMessage(['a'])).toBe('1 validation error detected: a');
    expect(validationErrorMessage(['a', 'b'])).toBe('2 validation errors detected: a; b');
  });

  it('checks Retrieve against bedrock-agent-runtime: knowledge base id and numberOfResults bounds', () => {
    const { violations } = checkShape(serviceShapes('bedrock-agent-runtime'), 'RetrieveRequest', {
      knowledgeBaseId: 'LOCALKB0001',
      retrievalQuery: { text: 'password' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 101 } },
    });

    expect(violations).toEqual([
      "Value 'LOCALKB0001' at 'knowledgeBaseId' failed to satisfy constraint: Member must have length less than or equal to 10",
      "Value '101' at 'retrievalConfiguration.vectorSearchConfiguration.numberOfResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    ]);
  });
});
