import type { EmulatorCall } from '../../emulator/emulator.ts';

/** The emulator's call log over its admin API, optionally only the calls whose question contains `marker`. */
export async function emulatorCalls(emulatorUrl: string, marker?: string): Promise<EmulatorCall[]> {
  const response = await fetch(`${emulatorUrl}/_emulator/calls`);
  const calls = (await response.json()) as EmulatorCall[];
  return marker === undefined ? calls : calls.filter((call) => call.turnText.includes(marker));
}

/**
 * A marker unique to one test, put in its questions so its calls can be told apart from concurrent tests'.
 * It is an emulator directive (`#id:`), which the scripted model ignores when it decides what to answer.
 */
export function uniqueMarker(label: string): string {
  return `#id:${label.replace(/[^a-z0-9]/gi, '')}${crypto.randomUUID().slice(0, 8)}`;
}
