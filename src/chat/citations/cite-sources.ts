import type { Source } from '../../protocol/server-frame.ts';
import { isTextBlock, type Message } from '../messages.ts';
import { type CitablePassage, citablePassagesOf } from './citable-passage.ts';
import { citedNumbersIn } from './cited-numbers.ts';

/** What an answer cites: the sources it may show, and the citations of passages it never retrieved. */
export interface Citations {
  /** Cited passages retrieved in this turn, by number. */
  sources: Source[];
  /** Numbers the answer cites that no passage of this turn has: dropped, never shown. */
  dropped: number[];
}

const SNIPPET_CHARS = 240;

/**
 * Maps the `[n]` citations in a turn's answer to the passages its tool results numbered. `turn` is the turn's
 * messages after the question (the answer's text, tool calls and results), so a passage retrieved in another
 * turn can never be a source.
 */
export function citeSources(turn: readonly Message[]): Citations {
  const passages = citablePassagesOf(turn);
  const answer = turn
    .filter((message) => message.role === 'assistant')
    .flatMap((message) => message.content.filter(isTextBlock).map((block) => block.text))
    .join('\n');
  const sources: Source[] = [];
  const dropped: number[] = [];
  for (const n of citedNumbersIn(answer)) {
    const passage = passages.get(n);
    if (passage) sources.push(toSource(passage));
    else dropped.push(n);
  }
  sources.sort((a, b) => a.n - b.n);
  return { sources, dropped };
}

function toSource(passage: CitablePassage): Source {
  return {
    n: passage.n,
    passageId: passage.id,
    title: passage.title,
    uri: passage.source,
    ...(passage.url ? { url: passage.url } : {}),
    snippet: snippetOf(passage.text),
    score: passage.score,
  };
}

/** The passage's first words, cut at a word boundary. */
export function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET_CHARS) return flat;
  const cut = flat.slice(0, SNIPPET_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > SNIPPET_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
