/** A Retrieve `filter` (RetrievalFilter) compiled into a test on a chunk's metadata, or why it is malformed. */
export type CompiledFilter =
  | { ok: true; test: (metadata: Record<string, unknown>) => boolean }
  | { ok: false; message: string };

type Metadata = Record<string, unknown>;
type Test = (metadata: Metadata) => boolean;

const COMPARISONS: Record<string, (actual: unknown, expected: unknown) => boolean> = {
  equals: (actual, expected) => sameValue(actual, expected),
  notEquals: (actual, expected) => !sameValue(actual, expected),
  greaterThan: (actual, expected) =>
    typeof actual === 'number' && typeof expected === 'number' && actual > expected,
  greaterThanOrEquals: (actual, expected) =>
    typeof actual === 'number' && typeof expected === 'number' && actual >= expected,
  lessThan: (actual, expected) =>
    typeof actual === 'number' && typeof expected === 'number' && actual < expected,
  lessThanOrEquals: (actual, expected) =>
    typeof actual === 'number' && typeof expected === 'number' && actual <= expected,
  in: (actual, expected) => Array.isArray(expected) && expected.some((value) => sameValue(actual, value)),
  notIn: (actual, expected) => Array.isArray(expected) && !expected.some((value) => sameValue(actual, value)),
  startsWith: (actual, expected) =>
    typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected),
  listContains: (actual, expected) =>
    Array.isArray(actual) && actual.some((value) => sameValue(value, expected)),
  stringContains: (actual, expected) =>
    typeof expected === 'string' &&
    (typeof actual === 'string'
      ? actual.includes(expected)
      : Array.isArray(actual) &&
        actual.some((value) => typeof value === 'string' && value.includes(expected))),
};

/**
 * Bedrock's metadata filter grammar: one operator per filter object; `equals`, `notEquals`, `greaterThan`,
 * `greaterThanOrEquals`, `lessThan`, `lessThanOrEquals`, `in`, `notIn`, `startsWith`, `listContains` and
 * `stringContains` take `{ key, value }`; `andAll` and `orAll` take two or more filters.
 */
export function compileFilter(filter: unknown): CompiledFilter {
  try {
    return { ok: true, test: compile(filter, 'filter') };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function compile(filter: unknown, path: string): Test {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new Error(`${path} must be an object with exactly one filter operator.`);
  }
  const operators = Object.keys(filter);
  if (operators.length !== 1) {
    throw new Error(`${path} must have exactly one filter operator, not ${operators.length}.`);
  }
  const [operator = ''] = operators;
  const operand = (filter as Record<string, unknown>)[operator];
  if (operator === 'andAll' || operator === 'orAll') {
    if (!Array.isArray(operand) || operand.length < 2)
      throw new Error(`${path}.${operator} needs at least 2 filters.`);
    const tests = operand.map((item, index) => compile(item, `${path}.${operator}.${index + 1}`));
    return operator === 'andAll'
      ? (metadata) => tests.every((test) => test(metadata))
      : (metadata) => tests.some((test) => test(metadata));
  }
  const comparison = COMPARISONS[operator];
  if (!comparison) throw new Error(`${path} has an unknown operator "${operator}".`);
  const { key, value } = (operand ?? {}) as { key?: unknown; value?: unknown };
  if (typeof key !== 'string' || key === '')
    throw new Error(`${path}.${operator}.key must be a non-empty string.`);
  if ((operator === 'in' || operator === 'notIn') && !Array.isArray(value)) {
    throw new Error(`${path}.${operator}.value must be a list.`);
  }
  return (metadata) => comparison(metadata[key], value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
