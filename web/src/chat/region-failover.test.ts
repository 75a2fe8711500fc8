import { describe, expect, it } from 'vitest';
import { createRegionFailover } from './region-failover.ts';

const east = { region: 'us-east-1', url: 'wss://east.test/prod' };
const west = { region: 'eu-west-1', url: 'wss://west.test/prod' };
const south = { region: 'ap-south-1', url: 'wss://south.test/prod' };

describe('createRegionFailover', () => {
  it('moves on to the next region at once when one refuses, and backs off when all have', () => {
    const regions = createRegionFailover([east, west, south]);
    expect(regions.current()).toBe(east);

    expect(regions.ended('refused')).toBe('now');
    expect(regions.current()).toBe(west);
    expect(regions.ended('refused')).toBe('now');
    expect(regions.current()).toBe(south);
    expect(regions.ended('refused')).toBe('later');
    // The next round starts from the nearest again.
    expect(regions.current()).toBe(east);
  });

  it('retries a dropped connection in the same region first, after the usual backoff', () => {
    const regions = createRegionFailover([east, west]);
    regions.opened();

    expect(regions.ended('dropped')).toBe('later');
    expect(regions.current()).toBe(east);
    expect(regions.ended('refused')).toBe('now');
    expect(regions.current()).toBe(west);
  });

  it('stays in the region it moved to once it is connected there', () => {
    const regions = createRegionFailover([east, west]);
    regions.ended('refused');
    regions.opened();

    expect(regions.ended('dropped')).toBe('later');
    expect(regions.current()).toBe(west);
    // A fresh round of refusals counts from here: east is tried next, at once.
    expect(regions.ended('refused')).toBe('now');
    expect(regions.current()).toBe(east);
  });

  it('takes a new ranking and starts from its first region', () => {
    const regions = createRegionFailover([east, west]);
    regions.ended('refused');

    regions.rank([west, east]);

    expect(regions.current()).toBe(west);
    expect(regions.ended('refused')).toBe('now');
    expect(regions.current()).toBe(east);
  });

  it('refuses to start without an endpoint', () => {
    expect(() => createRegionFailover([])).toThrow(/No chat endpoint/);
  });
});
