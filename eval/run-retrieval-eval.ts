import type { KnowledgeBase, RetrievalRequest } from '../src/chat/ports.ts';
import { type RetrievalScores, rankedDocuments, scoreRun } from './retrieval-metrics.ts';

export interface LabelledQuestion {
  question: string;
  /** File names of the documents that answer it. */
  documents: string[];
}

/** One way of searching: a knowledge base (through the app's own adapter) and how to ask it. */
export interface RetrievalConfiguration {
  name: string;
  knowledgeBase: KnowledgeBase;
  searchType?: RetrievalRequest['searchType'];
}

export interface ConfigurationResult extends RetrievalScores {
  name: string;
  /** Why the configuration could not run (e.g. HYBRID on a store without keyword search). */
  error?: string;
}

/** Results per question, like the app asks (`CHAT_KB_RESULTS`, 5 by default). */
export const RESULTS_PER_QUESTION = 5;

/**
 * Asks every question of every configuration and scores recall@5 and MRR on the documents returned (chunks
 * of one document count once). `onProgress` hears after each question.
 */
export async function runRetrievalEval(
  questions: readonly LabelledQuestion[],
  configurations: readonly RetrievalConfiguration[],
  onProgress: (done: number, total: number, configuration: string) => void = () => {},
): Promise<ConfigurationResult[]> {
  const results: ConfigurationResult[] = [];
  const total = questions.length * configurations.length;
  let done = 0;
  for (const configuration of configurations) {
    const runs: Array<{ ranked: string[]; relevant: string[] }> = [];
    try {
      for (const { question, documents } of questions) {
        const passages = await configuration.knowledgeBase.retrieve({
          query: question,
          numberOfResults: RESULTS_PER_QUESTION,
          ...(configuration.searchType ? { searchType: configuration.searchType } : {}),
        });
        runs.push({
          ranked: rankedDocuments(passages.map((passage) => passage.source)),
          relevant: documents,
        });
        done += 1;
        onProgress(done, total, configuration.name);
      }
      results.push({ name: configuration.name, ...scoreRun(runs, RESULTS_PER_QUESTION) });
    } catch (error) {
      done += questions.length - runs.length;
      results.push({
        name: configuration.name,
        questions: 0,
        recall: 0,
        mrr: 0,
        error: (error as Error).message,
      });
    }
  }
  return results;
}

/** The figures as a small Markdown table. */
export function formatEvalTable(results: readonly ConfigurationResult[]): string {
  const rows = results.map((result) =>
    result.error
      ? `| ${result.name} | – | – | – | ${result.error} |`
      : `| ${result.name} | ${result.questions} | ${result.recall.toFixed(3)} | ${result.mrr.toFixed(3)} | |`,
  );
  return [
    '| search | questions | recall@5 | MRR | note |',
    '| --- | ---: | ---: | ---: | --- |',
    ...rows,
  ].join('\n');
}
