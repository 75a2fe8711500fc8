import { describe, expect, it } from 'vitest';
import { createFixtureIndex, type MatchResult, normaliseRequest } from '../../../emulator/fixture-index.ts';
import type { Interaction } from '../../../emulator/fixtures.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { answerEvents, fixtureOf, questionBody, streamInteraction } from './support/fixture-builders.ts';

const hello = streamInteraction(questionBody('Hello'), answerEvents(['Hi']));
const throttled = (message: string): Interaction => ({
  operation: 'ConverseStream',
  request: { modelId: OFFLINE_TARGET.modelId, body: questionBody('Busy?') },
  response: { status: 429, headers: { 'x-amzn-errortype': 'ThrottlingException' }, body: { message } },
});
const retrieve: Interaction = {
  operation: 'Retrieve',
  request: {
    knowledgeBaseId: 'RECORDEDKB1',
    body: {
      retrievalQuery: { text: 'reset' },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 4 } },
    },
  },
  response: { status: 200, headers: {}, body: { retrievalResults: [] } },
};

const index = () =>
  createFixtureIndex([
    fixtureOf('greeting', [hello, retrieve]),
    fixtureOf('busy', [throttled('first'), throttled('second'), throttled('third')]),
  ]);
const converse = (body: Record<string, unknown>, modelId = OFFLINE_TARGET.modelId) =>
  normaliseRequest('ConverseStream', modelId, body);
const sourceOf = (result: MatchResult) =>
  result.matched ? `${result.fixture.name}#${result.index + 1}` : result.explanation;

describe('the fixture matcher', () => {
  it('matches whatever the order of keys and whatever the inferenceConfig', () => {
    const { messages, system } = questionBody('Hello') as { messages: unknown; system: unknown };

    expect(sourceOf(index().match(converse({ inferenceConfig: { maxTokens: 5 }, system, messages })))).toBe(
      'greeting#1',
    );
  });

  it('matches Retrieve on its query and result count, whatever the knowledge base id', () => {
    const body = retrieve.request.body;

    expect(sourceOf(index().match(normaliseRequest('Retrieve', 'LOCALKB001', body)))).toBe('greeting#2');
  });

  it('answers a request recorded several times with each recording in turn, then starts again', () => {
    const matcher = index();
    const request = converse(questionBody('Busy?'));

    const answers = [1, 2, 3, 4].map(() => matcher.match(request));

    expect(answers.map(sourceOf)).toEqual(['busy#1', 'busy#2', 'busy#3', 'busy#1']);
  });

  it('lets the first fixture (by file name) answer a request two fixtures hold', () => {
    const matcher = createFixtureIndex([fixtureOf('aaa', [hello]), fixtureOf('zzz', [hello, hello])]);
    const request = converse(questionBody('Hello'));

    expect([matcher.match(request), matcher.match(request)].map(sourceOf)).toEqual(['aaa#1', 'aaa#1']);
  });

  it('treats a different model as a mismatch, naming both ids', () => {
    const result = index().match(converse(questionBody('Hello'), 'anthropic.claude-3-haiku'));

    expect(sourceOf(result)).toContain(
      `model differs, modelId: fixture "${OFFLINE_TARGET.modelId}", request "anthropic.claude-3-haiku"`,
    );
  });

  it('names the closest fixture and each part that differs: tool config and messages', () => {
    const body = {
      ...questionBody('Hello!'),
      toolConfig: { tools: [{ toolSpec: { name: 'kb_lookup', description: 'Search.' } }] },
    };

    const explanation = sourceOf(index().match(converse(body)));

    expect(explanation).toMatch(/^No fixture matches this ConverseStream request \(.*, 1 messages\)\./);
    expect(explanation).toContain('Closest: fixtures/bedrock/greeting.json (interaction 1)');
    expect(explanation).toContain('tool config differs, toolConfig: fixture null, request {"tools":');
    expect(explanation).toContain('messages[0].content[0].text: fixture "Hello", request "Hello!"');
  });

  it('prefers the fixture whose conversation agrees for longer', () => {
    const longer = streamInteraction(
      {
        ...questionBody('Hello'),
        messages: [
          { role: 'user', content: [{ text: 'Hello' }] },
          { role: 'assistant', content: [{ text: 'Hi' }] },
          { role: 'user', content: [{ text: 'Bye' }] },
        ],
      },
      answerEvents(['Bye']),
    );
    const matcher = createFixtureIndex([fixtureOf('one-turn', [hello]), fixtureOf('two-turns', [longer])]);
    const request = converse({
      ...questionBody('Hello'),
      messages: [
        { role: 'user', content: [{ text: 'Hello' }] },
        { role: 'assistant', content: [{ text: 'Hi' }] },
        { role: 'user', content: [{ text: 'See you' }] },
      ],
    });

    expect(sourceOf(matcher.match(request))).toContain('Closest: fixtures/bedrock/two-turns.json');
  });

  it('says so when no fixtures are loaded', () => {
    expect(sourceOf(createFixtureIndex([]).match(converse(questionBody('Hello'))))).toContain(
      'No fixtures are loaded.',
    );
  });
});
