import type { WireToolSpec } from './bedrock-types.ts';

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from get how i in is it me my of on or please the this to was what when where which who why will with you your tool current'.split(
    ' ',
  ),
);

/**
 * For tools this project does not define (a client's own `get_weather`, `lookupOrder`…): the tool whose name or
 * description shares the most words with the question, called with an input built from its JSON schema, so a
 * third-party client's tool loop can be exercised offline; once per place when the question names several
 * ("in Seattle and San Francisco"), as models call tools in parallel. Empty when no tool shares a word.
 */
export function genericToolCalls(
  tools: WireToolSpec[],
  question: string,
): Array<{ name: string; input: Record<string, unknown> }> {
  const asked = new Set(words(question));
  let best: { spec: NonNullable<WireToolSpec['toolSpec']>; score: number } | undefined;
  for (const { toolSpec } of tools) {
    if (!toolSpec) continue;
    const score = new Set(
      words(`${toolSpec.name} ${toolSpec.description ?? ''}`).filter((word) => asked.has(word)),
    ).size;
    if (score > 0 && (!best || score > best.score)) best = { spec: toolSpec, score };
  }
  if (!best) return [];
  const { name, inputSchema } = best.spec;
  const places = placesIn(question);
  const questions =
    places.length > 1 && takesPlace(inputSchema?.json) ? places.map((place) => `in ${place}`) : [question];
  return questions.map((asked) => ({ name, input: inputFor(inputSchema?.json, asked) }));
}

const PLACE_PROPERTY = /city|location|place|town|country|region/i;

function takesPlace(schema: unknown): boolean {
  return Object.keys((schema as JsonSchema | undefined)?.properties ?? {}).some((name) =>
    PLACE_PROPERTY.test(name),
  );
}

/** "in Seattle and San Francisco" → Seattle, San Francisco. */
function placesIn(question: string): string[] {
  const listed =
    /\b(?:in|at|for)\s+((?:[A-Z][\w'-]*)(?:\s+[A-Z][\w'-]*)*(?:(?:,\s*|\s+and\s+)[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*)*)/.exec(
      question,
    )?.[1];
  return listed ? listed.split(/,\s*|\s+and\s+/).map((place) => place.trim()) : [];
}

/** "getCurrentWeather in San Francisco" → get, weather, san, francisco (stop words out, plural s off). */
function words(text: string): string[] {
  return (
    text
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []
  )
    .filter((word) => word.length > 2 && !STOP_WORDS.has(word))
    .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word));
}

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
}

/** Every required property (all of them when none is marked), filled with a value of its type. */
function inputFor(schema: unknown, question: string): Record<string, unknown> {
  const object = (schema ?? {}) as JsonSchema;
  const properties = object.properties ?? {};
  const names = object.required?.length ? object.required : Object.keys(properties);
  return Object.fromEntries(names.map((name) => [name, valueFor(name, properties[name] ?? {}, question)]));
}

function valueFor(name: string, schema: JsonSchema, question: string): unknown {
  if (schema.enum?.length) return schema.enum[0];
  switch (schema.type) {
    case 'number':
    case 'integer':
      return Number(/\d+(\.\d+)?/.exec(question)?.[0] ?? 1);
    case 'boolean':
      return true;
    case 'array':
      return [valueFor(name, schema.items ?? { type: 'string' }, question)];
    case 'object':
      return inputFor(schema, question);
    default:
      return phraseFor(name, question);
  }
}

/** A place-like property gets the capitalised words of the question ("San Francisco"), others the question. */
function phraseFor(name: string, question: string): string {
  if (PLACE_PROPERTY.test(name)) {
    const [place] = placesIn(question);
    if (place) return place;
  }
  return question.replace(/[?!.]+$/, '').trim();
}
