import { describe, expect, it } from 'vitest';
import { citeSources, snippetOf } from '../../../../src/chat/citations/cite-sources.ts';
import { citedNumbersIn } from '../../../../src/chat/citations/cited-numbers.ts';
import { createPassageNumbering } from '../../../../src/chat/citations/passage-numbering.ts';
import type { Message } from '../../../../src/chat/messages.ts';

const passage = (n: number, id: string) => ({
  n,
  id,
  title: `Doc ${id}`,
  source: `s3://kb/${id}.md`,
  score: 0.7,
  text: `Passage ${id} says something useful.`,
});

/** A turn after its question: a kb_lookup call, its result, then the answer. */
function turnAnswering(text: string, passages = [passage(1, 'p1'), passage(2, 'p2')]): Message[] {
  return [
    {
      role: 'assistant',
      content: [{ toolUse: { toolUseId: 't1', name: 'kb_lookup', input: { query: 'q' } } }],
    },
    {
      role: 'user',
      content: [{ toolResult: { toolUseId: 't1', status: 'success', content: [{ json: { passages } }] } }],
    },
    { role: 'assistant', content: [{ text }] },
  ];
}

describe('citedNumbersIn', () => {
  it('finds [n], [n, m] and [n][m] in the order first cited, each once', () => {
    expect(citedNumbersIn('Reset it [2]. Then sign in [1, 3][2] and [4][5].')).toEqual([2, 1, 3, 4, 5]);
  });

  it('ignores Markdown links, code spans and code blocks', () => {
    expect(
      citedNumbersIn('See [1](https://x.test), `items[2]` and\n```js\nx = a[3];\n```\nbut [4].'),
    ).toEqual([4]);
  });
});

describe('citeSources', () => {
  it('maps each citation to the passage retrieved in the turn, with title, URI, snippet, score and id', () => {
    const { sources, dropped } = citeSources(turnAnswering('Use the reset link [2].'));
    expect(dropped).toEqual([]);
    expect(sources).toEqual([
      {
        n: 2,
        passageId: 'p2',
        title: 'Doc p2',
        uri: 's3://kb/p2.md',
        snippet: 'Passage p2 says something useful.',
        score: 0.7,
      },
    ]);
  });

  it('drops citations of passages the turn never retrieved', () => {
    const { sources, dropped } = citeSources(turnAnswering('True [1]. Invented [7]. Also [3].'));
    expect(sources.map((s) => s.n)).toEqual([1]);
    expect(dropped).toEqual([7, 3]);
  });

  it('cites nothing when the turn retrieved nothing, whatever the answer says', () => {
    const turn: Message[] = [{ role: 'assistant', content: [{ text: 'As documented [1].' }] }];
    expect(citeSources(turn)).toEqual({ sources: [], dropped: [1] });
  });

  it('lists sources by number, and ignores the passages of a failed tool call', () => {
    const turn = turnAnswering('B [2] then A [1].');
    const failed: Message = {
      role: 'user',
      content: [
        {
          toolResult: {
            toolUseId: 't2',
            status: 'error',
            content: [{ json: { passages: [passage(9, 'p9')] } }],
          },
        },
      ],
    };
    const { sources, dropped } = citeSources([
      ...turn,
      failed,
      { role: 'assistant', content: [{ text: '[9]' }] },
    ]);
    expect(sources.map((s) => s.n)).toEqual([1, 2]);
    expect(dropped).toEqual([9]);
  });
});

describe('createPassageNumbering', () => {
  it('continues after the numbers a resumed turn already gave out', () => {
    const numbering = createPassageNumbering(turnAnswering('[1]'));
    expect(numbering.numberFor('p2')).toBe(2);
    expect(numbering.numberFor('new')).toBe(3);
    expect(numbering.numberFor('new')).toBe(3);
  });
});

describe('snippetOf', () => {
  it('keeps a short passage whole and cuts a long one at a word boundary', () => {
    expect(snippetOf('  Short\n text. ')).toBe('Short text.');
    const long = snippetOf('word '.repeat(100));
    expect(long.endsWith('word…')).toBe(true);
    expect(long.length).toBeLessThanOrEqual(241);
  });
});
