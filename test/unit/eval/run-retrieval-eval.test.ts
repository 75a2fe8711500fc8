import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDummyAwsCredentials } from '../../../emulator/dummy-aws-credentials.ts';
import { LEXICAL_BASELINE_KNOWLEDGE_BASE_ID } from '../../../emulator/retrieve-answer.ts';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import {
  formatEvalTable,
  type LabelledQuestion,
  runRetrievalEval,
} from '../../../eval/run-retrieval-eval.ts';
import {
  createBedrockAgentRuntimeClient,
  createBedrockKnowledgeBase,
} from '../../../src/adapters/bedrock/knowledge-base.ts';
import type { KnowledgeBase } from '../../../src/chat/ports.ts';
import { createTestEmulator, knowledgeBase } from '../emulator/support/test-emulator.ts';

const { questions } = JSON.parse(
  readFileSync(new URL('../../../eval/kb-questions.json', import.meta.url), 'utf8'),
) as {
  questions: LabelledQuestion[];
};

describe('the knowledge-base evaluation', () => {
  let server: EmulatorServer;
  let local: (id: string) => KnowledgeBase;
  beforeAll(async () => {
    applyDummyAwsCredentials();
    server = await startEmulatorServer({ emulator: createTestEmulator() });
    const client = createBedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.url });
    local = (knowledgeBaseId) => createBedrockKnowledgeBase({ client, knowledgeBaseId });
  });
  afterAll(() => server.close());

  it('labels at least 40 questions, each with documents of the local knowledge base', () => {
    const documents = new Set(knowledgeBase.chunks.map((chunk) => chunk.document));

    expect(questions.length).toBeGreaterThanOrEqual(40);
    for (const question of questions) {
      expect(question.documents.length).toBeGreaterThan(0);
      for (const document of question.documents) expect(documents).toContain(document);
    }
  });

  it('scores a few questions through the real client against the emulator, with progress', async () => {
    const progress: number[] = [];
    const results = await runRetrievalEval(
      questions.slice(0, 4),
      [
        { name: 'lexical', knowledgeBase: local(LEXICAL_BASELINE_KNOWLEDGE_BASE_ID) },
        { name: 'hybrid', knowledgeBase: local('LOCALKB001'), searchType: 'HYBRID' },
      ],
      (done) => progress.push(done),
    );

    expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(results.map((r) => [r.name, r.questions])).toEqual([
      ['lexical', 4],
      ['hybrid', 4],
    ]);
    for (const result of results) {
      expect(result.recall).toBeGreaterThan(0.5);
      expect(result.mrr).toBeGreaterThan(0.5);
    }
    expect(formatEvalTable(results)).toMatch(/\| lexical \| 4 \| \d\.\d{3} \| \d\.\d{3} \|/);
  });

  it('reports a configuration that fails instead of stopping the run', async () => {
    const failing: KnowledgeBase = { retrieve: () => Promise.reject(new Error('HYBRID is not supported')) };
    const [result] = await runRetrievalEval(questions.slice(0, 2), [
      { name: 'hybrid', knowledgeBase: failing },
    ]);

    expect(result).toMatchObject({ name: 'hybrid', error: 'HYBRID is not supported' });
    expect(formatEvalTable(result ? [result] : [])).toContain('HYBRID is not supported');
  });
});
