import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../../emulator/retrieval-filter.ts';

const metadata = {
  category: 'security',
  audience: ['admins', 'members'],
  reviewedYear: 2026,
  title: 'Resetting',
};
const passes = (filter: unknown) => {
  const compiled = compileFilter(filter);
  if (!compiled.ok) throw new Error(compiled.message);
  return compiled.test(metadata);
};

describe('compileFilter, Bedrock’s metadata filter grammar', () => {
  it.each([
    [{ equals: { key: 'category', value: 'security' } }, true],
    [{ notEquals: { key: 'category', value: 'security' } }, false],
    [{ greaterThan: { key: 'reviewedYear', value: 2025 } }, true],
    [{ lessThanOrEquals: { key: 'reviewedYear', value: 2025 } }, false],
    [{ in: { key: 'category', value: ['billing', 'security'] } }, true],
    [{ notIn: { key: 'category', value: ['billing'] } }, true],
    [{ startsWith: { key: 'title', value: 'Reset' } }, true],
    [{ listContains: { key: 'audience', value: 'admins' } }, true],
    [{ stringContains: { key: 'audience', value: 'memb' } }, true],
    [
      {
        andAll: [
          { equals: { key: 'category', value: 'security' } },
          { greaterThan: { key: 'reviewedYear', value: 2026 } },
        ],
      },
      false,
    ],
    [
      {
        orAll: [
          { equals: { key: 'category', value: 'billing' } },
          { listContains: { key: 'audience', value: 'members' } },
        ],
      },
      true,
    ],
  ])('%j → %s', (filter, expected) => {
    expect(passes(filter)).toBe(expected);
  });

  it('refuses a filter with no operator, two operators, or a list operator without a list', () => {
    expect(compileFilter({})).toMatchObject({ ok: false });
    expect(
      compileFilter({ equals: { key: 'a', value: 1 }, notEquals: { key: 'a', value: 2 } }),
    ).toMatchObject({ ok: false });
    expect(compileFilter({ in: { key: 'a', value: 'b' } })).toEqual({
      ok: false,
      message: 'filter.in.value must be a list.',
    });
  });
});
