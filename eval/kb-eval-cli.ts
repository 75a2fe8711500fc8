/**
 * `npm run eval:kb [-- --kb-id <id> --region <region>] [--limit <n>]`
 *
 * Asks the labelled questions of eval/kb-questions.json and prints recall@5 and MRR per way of searching.
 * Without --kb-id: the local knowledge base (fixtures/knowledge-base), served by the Bedrock emulator on a free
 * loopback port and asked through the real Bedrock Agent Runtime client and the app's own adapter: lexical
 * (BM25 alone, the emulator's LOCALBM25X id), semantic and hybrid. With --kb-id: a deployed knowledge base
 * (AWS credentials from the usual chain), semantic and hybrid.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { applyDummyAwsCredentials } from '../emulator/dummy-aws-credentials.ts';
import { createEmulator } from '../emulator/emulator.ts';
import { loadKnowledgeBase } from '../emulator/knowledge-base.ts';
import { fixturePaths } from '../emulator/repository-paths.ts';
import { LEXICAL_BASELINE_KNOWLEDGE_BASE_ID } from '../emulator/retrieve-answer.ts';
import { startEmulatorServer } from '../emulator/server.ts';
import {
  createBedrockAgentRuntimeClient,
  createBedrockKnowledgeBase,
} from '../src/adapters/bedrock/knowledge-base.ts';
import {
  formatEvalTable,
  type LabelledQuestion,
  type RetrievalConfiguration,
  runRetrievalEval,
} from './run-retrieval-eval.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({
  options: {
    'kb-id': { type: 'string' },
    region: { type: 'string' },
    limit: { type: 'string' },
  },
});
const questionsFile = new URL('./kb-questions.json', import.meta.url);
const all = (JSON.parse(readFileSync(questionsFile, 'utf8')) as { questions: LabelledQuestion[] }).questions;
const questions = values.limit ? all.slice(0, Number(values.limit)) : all;

const progress = (done: number, total: number, name: string) =>
  process.stderr.write(`\r  ${String(done).padStart(4)}/${total}  ${name.padEnd(24)}`);

let configurations: RetrievalConfiguration[];
let stop = async () => {};
let target: string;
if (values['kb-id']) {
  const region = values.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const client = createBedrockAgentRuntimeClient({ region });
  const knowledgeBase = createBedrockKnowledgeBase({ client, knowledgeBaseId: values['kb-id'] });
  configurations = [
    { name: 'semantic', knowledgeBase, searchType: 'SEMANTIC' },
    { name: 'hybrid', knowledgeBase, searchType: 'HYBRID' },
  ];
  target = `knowledge base ${values['kb-id']} in ${region}`;
} else {
  applyDummyAwsCredentials();
  const emulator = createEmulator({
    mode: 'auto',
    fixtures: [],
    knowledgeBase: loadKnowledgeBase(fixturePaths().knowledgeBase),
    pace: { firstTokenMs: 0, tokenMs: 0 },
    replayPacing: 0,
  });
  const server = await startEmulatorServer({ emulator, port: 0 });
  stop = () => server.close();
  const client = createBedrockAgentRuntimeClient({ region: 'us-east-1', endpoint: server.url });
  const local = (knowledgeBaseId: string) => createBedrockKnowledgeBase({ client, knowledgeBaseId });
  configurations = [
    { name: 'lexical (BM25 only)', knowledgeBase: local(LEXICAL_BASELINE_KNOWLEDGE_BASE_ID) },
    { name: 'semantic (stand-in)', knowledgeBase: local('LOCALKB001'), searchType: 'SEMANTIC' },
    { name: 'hybrid (BM25 + stand-in, RRF)', knowledgeBase: local('LOCALKB001'), searchType: 'HYBRID' },
  ];
  target = `the local knowledge base (emulator at ${server.url})`;
}

console.error(`eval:kb  ${questions.length} questions against ${target}`);
try {
  const results = await runRetrievalEval(questions, configurations, progress);
  process.stderr.write('\n');
  console.log(formatEvalTable(results));
} finally {
  await stop();
}
