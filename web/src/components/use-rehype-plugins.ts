import { useEffect, useState } from 'react';
import type { Options } from 'react-markdown';

type RehypePlugins = NonNullable<Options['rehypePlugins']>;

const NONE: RehypePlugins = [];
/** A fenced code block (```ts or ~~~): only those name a language to highlight. */
const CODE_FENCE = /^ {0,3}(`{3,}|~{3,})/m;

let loading: Promise<RehypePlugins> | undefined;
let loaded: RehypePlugins | undefined;

/**
 * The rehype plugins for an answer. highlight.js and its grammars are a third of the bundle, so they load the
 * first time an answer contains a code block; until then (a moment) the code shows unhighlighted.
 */
export function useRehypePlugins(text: string): RehypePlugins {
  const needed = CODE_FENCE.test(text);
  const [plugins, setPlugins] = useState(loaded ?? NONE);

  useEffect(() => {
    if (!needed || plugins !== NONE) return;
    let mounted = true;
    loading ??= import('rehype-highlight').then((module) => {
      loaded = [module.default];
      return loaded;
    });
    void loading.then((ready) => mounted && setPlugins(ready));
    return () => {
      mounted = false;
    };
  }, [needed, plugins]);

  return plugins;
}
