import { describe, expect, it } from 'vitest';
import type { EmulatorRequest } from '../../../emulator/emulator.ts';
import { decodeFrames } from '../../../emulator/event-stream.ts';
import { parseFault } from '../../../emulator/faults.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { answerEvents, fixtureOf, questionBody, streamInteraction } from './support/fixture-builders.ts';
import { createTestEmulator } from './support/test-emulator.ts';

const recorded = fixtureOf('hello', [
  streamInteraction(questionBody('Hello'), answerEvents(['Recorded', ' hi'])),
]);
const request = (body: unknown, headers: Record<string, string> = {}): EmulatorRequest => ({
  operation: 'ConverseStream',
  target: OFFLINE_TARGET.modelId,
  body,
  headers: new Headers(headers),
});
const textOf = async (response: Response) =>
  decodeFrames(new Uint8Array(await response.arrayBuffer()))
    .map(({ payload }) => (JSON.parse(payload) as { delta?: { text?: string } }).delta?.text ?? '')
    .join('');

describe('createEmulator', () => {
  it('auto mode: replays a matching fixture and answers anything else with the scripted model', async () => {
    const emulator = createTestEmulator({ mode: 'auto', fixtures: [recorded] });

    const replayed = await textOf(await emulator.handle(request(questionBody('Hello'))));
    const scripted = await textOf(await emulator.handle(request(questionBody('Something else'))));

    expect(replayed).toBe('Recorded hi');
    expect(scripted).toMatch(/^You said: “Something else”/);
    expect(emulator.calls().map((call) => call.source)).toEqual(['fixture:hello#1', 'scripted']);
  });

  it('strict mode: fails an unmatched request with the explanation, also kept in the call log', async () => {
    const emulator = createTestEmulator({ mode: 'strict', fixtures: [recorded] });

    const response = await emulator.handle(request(questionBody('Hello?')));

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('EmulatorFixtureMismatch');
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain('Closest: fixtures/bedrock/hello.json (interaction 1)');
    expect(emulator.calls()[0]).toMatchObject({ source: 'unmatched', status: 400, detail: message });
  });

  it('scripted mode: ignores fixtures', async () => {
    const emulator = createTestEmulator({ mode: 'scripted', fixtures: [recorded] });

    expect(await textOf(await emulator.handle(request(questionBody('Hello'))))).toMatch(/^You said/);
  });

  it('rejects an invalid conversation the way Bedrock does, in every mode', async () => {
    const emulator = createTestEmulator({ mode: 'strict' });

    const response = await emulator.handle(
      request({ messages: [{ role: 'assistant', content: [{ text: 'Hi' }] }] }),
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe(
      'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
    );
    expect(emulator.calls()[0]?.source).toBe('validation');
  });

  it('replays a fixture as recorded even when its question carries a #fault directive', async () => {
    const withDirective = fixtureOf('directive', [
      streamInteraction(questionBody('Hi #fault:throttle'), answerEvents(['Recorded'])),
    ]);
    const emulator = createTestEmulator({ fixtures: [withDirective] });

    const response = await emulator.handle(request(questionBody('Hi #fault:throttle')));

    expect(response.status).toBe(200);
    expect(await textOf(response)).toBe('Recorded');
  });

  it('applies a fixture’s own fault field, and a header fault over it', async () => {
    const faulty = fixtureOf('faulty', [streamInteraction(questionBody('Hello'), answerEvents(['a']))], {
      fault: 'validation',
    });
    const emulator = createTestEmulator({ fixtures: [faulty] });

    const byField = await emulator.handle(request(questionBody('Hello')));
    const byHeader = await emulator.handle(
      request(questionBody('Hello'), { 'x-emulator-fault': 'throttle' }),
    );

    expect([byField.status, byHeader.status]).toEqual([400, 429]);
    expect(emulator.calls().map((call) => call.fault)).toEqual(['validation', 'throttle']);
  });

  it('applies the server default fault (EMULATOR_FAULT) to scripted answers', async () => {
    const emulator = createTestEmulator({ defaultFault: parseFault('unavailable') });

    expect((await emulator.handle(request(questionBody('Hi')))).status).toBe(503);
  });

  it('refuses an unknown fault or a bad pacing header, saying why', async () => {
    const emulator = createTestEmulator();

    const fault = await emulator.handle(request(questionBody('Hi #fault:meltdown')));
    const pacing = await emulator.handle(request(questionBody('Hi'), { 'x-emulator-pacing': 'fast' }));

    expect([fault.status, pacing.status]).toEqual([400, 400]);
    expect(fault.headers.get('x-amzn-errortype')).toBe('UnknownFaultError');
    expect(pacing.headers.get('x-amzn-errortype')).toBe('InvalidPacingError');
    expect(emulator.calls().map((call) => call.source)).toEqual(['bad-request', 'bad-request']);
  });

  it('logs each call with its question, message count and outcome once the body is read', async () => {
    const emulator = createTestEmulator();

    const response = await emulator.handle(request(questionBody('How do I reset my password? [marker]')));
    expect(emulator.calls()[0]?.outcome).toBe('streaming');
    await response.arrayBuffer();

    expect(emulator.calls()[0]).toMatchObject({
      id: 1,
      operation: 'ConverseStream',
      target: OFFLINE_TARGET.modelId,
      turnText: 'How do I reset my password? [marker]',
      messages: 1,
      status: 200,
      outcome: 'completed',
    });
    emulator.resetCalls();
    expect(emulator.calls()).toEqual([]);
  });

  it('logs a Retrieve under its query, so tests can find their own lookups', async () => {
    const emulator = createTestEmulator();

    await emulator.handle({
      operation: 'Retrieve',
      target: OFFLINE_TARGET.knowledgeBaseId,
      body: { retrievalQuery: { text: 'reset password [marker]' } },
      headers: new Headers(),
    });

    expect(emulator.calls()[0]).toMatchObject({
      source: 'knowledge-base',
      turnText: 'reset password [marker]',
    });
  });

  it('answers an empty Retrieve query with a ValidationException', async () => {
    const emulator = createTestEmulator();

    const response = await emulator.handle({
      operation: 'Retrieve',
      target: OFFLINE_TARGET.knowledgeBaseId,
      body: { retrievalQuery: { text: ' ' } },
      headers: new Headers(),
    });

    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });

  it('#pace:<ms> in the question sets the scripted model’s speed for that turn', async () => {
    const emulator = createTestEmulator();
    const started = performance.now();

    await (await emulator.handle(request(questionBody('Hi #pace:40 #tokens:5')))).arrayBuffer();

    // messageStart plus four gaps between five deltas, at 40 ms each.
    expect(performance.now() - started).toBeGreaterThanOrEqual(180);
  });
});
