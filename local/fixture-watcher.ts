import { type FSWatcher, watch } from 'node:fs';
import type { Emulator } from '../emulator/emulator.ts';
import { loadFixtures } from '../emulator/fixtures.ts';

/** How long the folder must be quiet before it is read again (an editor's save is several events). */
const SETTLE_MS = 150;

/**
 * Reloads the emulator's fixtures whenever a file in `directory` changes, so a new or re-recorded fixture is
 * used without restarting `npm run dev`. A file that does not parse (a save half done, a typo) is reported
 * and the fixtures loaded before stay in use.
 */
export function watchFixtures(options: {
  emulator: Emulator;
  directory: string;
  log?: (line: string) => void;
}): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const reload = () => {
    try {
      const fixtures = loadFixtures(options.directory);
      options.emulator.replaceFixtures(fixtures);
      options.log?.(`fixtures reloaded (${fixtures.length} files)`);
    } catch (error) {
      options.log?.(`${(error as Error).message} (the fixtures loaded before stay in use)`);
    }
  };
  const watcher: FSWatcher = watch(options.directory, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(reload, SETTLE_MS);
  });
  // A folder deleted under the watcher must not take the stack down.
  watcher.on('error', (error) => options.log?.(`stopped watching fixtures: ${error.message}`));
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
