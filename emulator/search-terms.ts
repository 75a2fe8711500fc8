/**
 * English function words (a short list in the spirit of the SMART and NLTK lists): words that say nothing about
 * what a question is about, so "Are you still there?" matches no document.
 */
const STOP_WORDS = new Set(
  `a about after again all also am an and any are as at be been before being but by can could did do does doing
  done for from get got had has have having he her here hers him his how i if in into is it its just let lets
  me more most my no nor not now of off on once only or other our ours out over own please same say she should
  so some something still such than that the their theirs them then there these they this those through to too
  try under until up us very was we were what when where which while who whom why will with would yes yet you
  your yours`.split(/\s+/),
);

/** Lower-case words without stop words, with a light plural/verb-ending stem so "resets" finds "reset". */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .match(/[a-z0-9]+/g) ?? []
  )
    .filter((word) => !STOP_WORDS.has(word))
    .map(stem);
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return undouble(word.slice(0, -3));
  if (word.length > 4 && word.endsWith('ed')) return undouble(word.slice(0, -2));
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** "resetting" → "resett" → "reset", "stopped" → "stopp" → "stop"; but "installing" keeps "install". */
function undouble(stemmed: string): string {
  return /([b-df-hj-km-np-rtv-z])\1$/.test(stemmed) && !/(ll|ss|zz)$/.test(stemmed)
    ? stemmed.slice(0, -1)
    : stemmed;
}
