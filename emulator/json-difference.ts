/** JSON with object keys sorted, so key order never decides a match. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    isPlainObject(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export interface JsonDifference {
  /** Where, e.g. `messages[2].content[0].text`. */
  path: string;
  expected: unknown;
  actual: unknown;
}

/** The first place (depth first, keys in sorted order) where two JSON values differ; undefined when equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ''): JsonDifference | undefined {
  if (Object.is(expected, actual)) return undefined;
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let index = 0; index < Math.max(expected.length, actual.length); index++) {
      const found = firstDifference(expected[index], actual[index], `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) {
      const found = firstDifference(expected[key], actual[key], path === '' ? key : `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return { path: path === '' ? '(whole value)' : path, expected, actual };
}

const EXCERPT_CHARS = 60;

/**
 * `path: fixture <value>, request <value>`. Long strings are cut around the first character that differs, so
 * the message shows the difference rather than a shared prefix.
 */
export function describeDifference({ path, expected, actual }: JsonDifference): string {
  if (typeof expected === 'string' && typeof actual === 'string') {
    let at = 0;
    while (at < expected.length && expected[at] === actual[at]) at++;
    return `${path}: fixture ${excerpt(expected, at)}, request ${excerpt(actual, at)}`;
  }
  return `${path}: fixture ${show(expected)}, request ${show(actual)}`;
}

function excerpt(text: string, at: number): string {
  const start = Math.max(0, at - EXCERPT_CHARS / 2);
  const cut = text.slice(start, start + EXCERPT_CHARS);
  return `${start > 0 ? '…' : ''}${JSON.stringify(cut)}${start + EXCERPT_CHARS < text.length ? '…' : ''}`;
}

function show(value: unknown): string {
  if (value === undefined) return '(absent)';
  const json = JSON.stringify(value);
  return json.length > EXCERPT_CHARS ? `${json.slice(0, EXCERPT_CHARS)}…` : json;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
