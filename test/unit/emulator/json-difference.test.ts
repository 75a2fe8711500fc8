import { describe, expect, it } from 'vitest';
import { canonicalJson, describeDifference, firstDifference } from '../../../emulator/json-difference.ts';

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: 3 } })).toBe(
      canonicalJson({ a: { c: 3, d: [{ x: 2, y: 1 }] }, b: 1 }),
    );
  });

  it('keeps array order, which is meaningful', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });
});

describe('firstDifference', () => {
  it('is undefined for equal values, whatever the key order', () => {
    expect(firstDifference({ a: [1, { b: 'x' }], c: null }, { c: null, a: [1, { b: 'x' }] })).toBeUndefined();
  });

  it('names the path of the first differing leaf', () => {
    const fixture = { messages: [{ content: [{ text: 'Hi' }] }, { content: [{ text: 'Old' }] }] };
    const request = { messages: [{ content: [{ text: 'Hi' }] }, { content: [{ text: 'New' }] }] };

    expect(firstDifference(fixture, request)).toEqual({
      path: 'messages[1].content[0].text',
      expected: 'Old',
      actual: 'New',
    });
  });

  it('reports a missing element or key as absent on one side', () => {
    expect(firstDifference([1], [1, 2], 'messages')).toEqual({
      path: 'messages[1]',
      expected: undefined,
      actual: 2,
    });
    expect(firstDifference({}, { toolChoice: 'auto' })).toMatchObject({
      path: 'toolChoice',
      expected: undefined,
    });
  });
});

describe('describeDifference', () => {
  it('cuts long strings around the first character that differs', () => {
    const shared = 'You are a helpful assistant. '.repeat(10);
    const text = describeDifference({
      path: 'system[0].text',
      expected: `${shared}Be brief.`,
      actual: `${shared}Be verbose.`,
    });

    expect(text).toMatch(/^system\[0\]\.text: fixture …".*Be brief\.", request …".*Be verbose\."$/);
    expect(text.length).toBeLessThan(200);
  });

  it('shows an absent value as (absent) and other values as JSON', () => {
    expect(describeDifference({ path: 'messages[2]', expected: undefined, actual: { role: 'user' } })).toBe(
      'messages[2]: fixture (absent), request {"role":"user"}',
    );
  });
});
