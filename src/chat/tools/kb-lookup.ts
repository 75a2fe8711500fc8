import * as z from 'zod/mini';
import { type CitablePassage, toPassageJson } from '../citations/citable-passage.ts';
import type { JsonObject } from '../messages.ts';
import type { KnowledgeBase, MetadataFilter, RetrievalRequest } from '../ports.ts';
import type { Tool } from './registry.ts';

/** How `kb_lookup` searches (docs/configuration.md, `CHAT_KB_*`). */
export interface KbLookupSettings {
  numberOfResults: number;
  searchType?: 'HYBRID' | 'SEMANTIC';
  /** Applied to every search, e.g. `{ "equals": { "key": "audience", "value": "members" } }`. */
  filter?: MetadataFilter;
  /** A metadata key the model may narrow a search by (`area`), e.g. `category`. */
  areaKey?: string;
  rerankModelArn?: string;
  /** Passages scoring below this are not relevant; when none is left the tool says nothing was found. */
  minScore: number;
}

export const DEFAULT_KB_LOOKUP_SETTINGS: KbLookupSettings = { numberOfResults: 5, minScore: 0.4 };

export const NOTHING_RELEVANT =
  'Nothing relevant was found in the knowledge base. Tell the user the knowledge base does not cover this; do not guess.';

const CITE_AS =
  'Cite the passages you use inline by their number in square brackets, e.g. [1] or [1][2]. Cite only these numbers.';

const query = z
  .string()
  .check(
    z.trim(),
    z.minLength(1),
    z.maxLength(1000),
    z.describe('What to search for: a short question or keywords.'),
  );
const area = z.optional(
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(100),
      z.describe('Optional product area to search within, e.g. "billing" or "security".'),
    ),
);
const input = z.object({ query, area });

/** `kb_lookup`: numbered passages from the knowledge base, best first, for the answer to cite as `[n]`. */
export function createKbLookupTool(
  knowledgeBase: KnowledgeBase,
  settings: KbLookupSettings = DEFAULT_KB_LOOKUP_SETTINGS,
): Tool<z.infer<typeof input>> {
  return {
    name: 'kb_lookup',
    description:
      'Search the product knowledge base (documentation, policies, how-tos). Use it before answering any ' +
      'question about the product, its features, limits, pricing or procedures. Cite the passages you use by ' +
      'number, e.g. [1].',
    // The model is offered `area` only when a metadata key is configured for it.
    input: settings.areaKey ? input : z.object({ query }),
    status: 'Searching knowledge base…',
    async run({ query, area }, signal, context): Promise<JsonObject> {
      const found = await knowledgeBase.retrieve(retrievalRequest(settings, query, area), signal);
      const relevant = found.filter((passage) => passage.score >= settings.minScore);
      if (relevant.length === 0) return { passages: [], note: NOTHING_RELEVANT };
      const passages: CitablePassage[] = relevant.map((passage) => ({
        n: context.passages.numberFor(passage.id),
        id: passage.id,
        title: passage.title,
        source: passage.source,
        ...(passage.url ? { url: passage.url } : {}),
        score: Number(passage.score.toFixed(4)),
        text: passage.text,
      }));
      return { passages: passages.map(toPassageJson), citeAs: CITE_AS };
    },
  };
}

function retrievalRequest(settings: KbLookupSettings, query: string, area?: string): RetrievalRequest {
  const areaFilter: MetadataFilter | undefined =
    settings.areaKey && area ? { equals: { key: settings.areaKey, value: area } } : undefined;
  const filters = [settings.filter, areaFilter].filter((f): f is MetadataFilter => f !== undefined);
  const [only] = filters;
  return {
    query,
    numberOfResults: settings.numberOfResults,
    ...(settings.searchType ? { searchType: settings.searchType } : {}),
    ...(filters.length > 1 ? { filter: { andAll: filters } } : only ? { filter: only } : {}),
    ...(settings.rerankModelArn ? { rerankModelArn: settings.rerankModelArn } : {}),
  };
}
