import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidFixtureFileError } from '../../../emulator/errors.ts';
import { fixtureSchema, loadFixtures, readFixture, serializeFixture } from '../../../emulator/fixtures.ts';
import { temporaryDirectory } from '../../support/temporary-directory.ts';
import { answerEvents, fixtureOf, questionBody, streamInteraction } from './support/fixture-builders.ts';

const fixture = fixtureOf('hello', [
  streamInteraction(questionBody('Hello'), answerEvents(['Hi', ' there'])),
]);

function directoryWith(files: Record<string, string>): string {
  const directory = temporaryDirectory('fixtures-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(directory, name), text);
  return directory;
}

describe('serializeFixture and readFixture', () => {
  it('round-trip a fixture through its file', () => {
    const directory = directoryWith({ 'hello.json': serializeFixture(fixture) });

    const { file, ...read } = readFixture(join(directory, 'hello.json'));

    const { file: _original, ...expected } = fixture;
    expect(read).toEqual(expected);
    expect(file).toMatch(/hello\.json$/);
  });

  it('write each stream event on a line of its own, the rest as indented JSON', () => {
    const lines = serializeFixture(fixture).split('\n');

    expect(lines).toContain('          {"delayMs":0,"event":"messageStart","payload":{"role":"assistant"}},');
    expect(lines[1]).toBe('  "format": "bedrock-emulator-fixture",');
    expect(lines.at(-1)).toBe('');
  });

  it('never write where a fixture was loaded from', () => {
    expect(serializeFixture(fixture)).not.toContain('"file"');
  });
});

describe('loadFixtures', () => {
  it('reads every JSON file of a folder, in name order', () => {
    const directory = directoryWith({
      'b.json': serializeFixture({ ...fixture, name: 'b' }),
      'a.json': serializeFixture({ ...fixture, name: 'a' }),
      'notes.txt': 'not a fixture',
    });

    expect(loadFixtures(directory).map((f) => f.name)).toEqual(['a', 'b']);
  });

  it('names the file and the field of a malformed fixture', () => {
    const broken = JSON.parse(serializeFixture(fixture));
    broken.interactions[0].response.events[1].payloadText = 'also text';
    const directory = directoryWith({ 'broken.json': JSON.stringify(broken) });

    expect(() => loadFixtures(directory)).toThrow(InvalidFixtureFileError);
    expect(() => loadFixtures(directory)).toThrow(
      /broken\.json: interactions\.0\.response\.events\.1: an event needs exactly one of "payload" and "payloadText"/,
    );
  });

  it('names the file of one that is not JSON at all', () => {
    expect(() => loadFixtures(directoryWith({ 'torn.json': '{"format": ' }))).toThrow(
      /Invalid file .*torn\.json/,
    );
  });
});

describe('fixtureSchema', () => {
  const valid = JSON.parse(serializeFixture(fixture));

  it.each([
    ['a newer format version', { ...valid, version: 2 }],
    ['a name that is not kebab-case', { ...valid, name: 'Hello World' }],
    ['an unknown fault', { ...valid, fault: 'meltdown' }],
    ['an unknown field (a typo)', { ...valid, sourse: 'synthetic' }],
    [
      'a Retrieve without its knowledge base id',
      { ...valid, interactions: [{ ...valid.interactions[0], operation: 'Retrieve' }] },
    ],
    [
      'a response with both events and a body',
      {
        ...valid,
        interactions: [
          { ...valid.interactions[0], response: { ...valid.interactions[0].response, body: {} } },
        ],
      },
    ],
  ])('rejects %s', (_case, candidate) => {
    expect(fixtureSchema.safeParse(candidate).success).toBe(false);
  });

  it('accepts a fault to apply whenever the fixture answers', () => {
    expect(fixtureSchema.safeParse({ ...valid, fault: 'stream-error=2' }).success).toBe(true);
  });
});
