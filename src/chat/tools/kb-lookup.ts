import * as z from 'zod/mini';
import type { KnowledgeBase } from '../ports.ts';
import type { Tool } from './registry.ts';

const input = z.object({
  query: z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(1000),
      z.describe('What to search for: a short question or keywords.'),
    ),
});

/** `kb_lookup`: passages from the Bedrock Knowledge Base, best first. */
export function createKbLookupTool(
  knowledgeBase: KnowledgeBase,
  maxResults = 4,
): Tool<z.infer<typeof input>> {
  return {
    name: 'kb_lookup',
    description:
      'Search the product knowledge base (documentation, policies, how-tos). Use it before answering any ' +
      'question about the product, its features, limits, pricing or procedures. Cite the sources you use.',
    input,
    status: 'Searching knowledge base…',
    async run({ query }, signal) {
      const passages = await knowledgeBase.retrieve(query, maxResults, signal);
      return {
        passages: passages.map((p) => ({
          text: p.text,
          source: p.source,
          score: Number(p.score.toFixed(4)),
        })),
      };
    },
  };
}
