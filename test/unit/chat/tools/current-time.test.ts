import { describe, expect, it } from 'vitest';
import { createCurrentTimeTool } from '../../../../src/chat/tools/current-time.ts';
import { createToolContext, createToolRegistry } from '../../../../src/chat/tools/registry.ts';

const clock = { now: () => Date.UTC(2026, 6, 1, 12, 30, 0) };
const registry = createToolRegistry([createCurrentTimeTool(clock)]);
const run = (input: Record<string, string>) =>
  registry.run(
    { toolUseId: 't', name: 'current_time', input },
    new AbortController().signal,
    createToolContext('user-1'),
  );

describe('current_time', () => {
  it('tells the time in the requested IANA zone, with its UTC offset (daylight saving included)', async () => {
    expect((await run({ timeZone: 'Europe/Paris' })).toolResult.content).toEqual([
      {
        json: {
          timeZone: 'Europe/Paris',
          iso: '2026-07-01T12:30:00.000Z',
          // ICU wording differs between Node builds; the date, clock time and zone are what matter.
          local: expect.stringMatching(/Wednesday.*1 July 2026.*14:30:00.*(CEST|GMT\+2)/),
          utcOffset: '+02:00',
        },
      },
    ]);
  });

  it('defaults to UTC', async () => {
    expect((await run({})).toolResult.content).toEqual([
      { json: expect.objectContaining({ timeZone: 'UTC', utcOffset: '+00:00' }) },
    ]);
  });

  it('rejects a zone that is not an IANA name', async () => {
    const result = await run({ timeZone: 'Middle-earth/Shire' });
    expect(result.toolResult).toMatchObject({ status: 'error' });
    expect(JSON.stringify(result.toolResult.content)).toContain('must be an IANA time zone');
  });
});
