import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { SetupError } from '../../local/setup-error.ts';

/** Where Chromium, Google Chrome and Microsoft Edge install themselves, in the order they are preferred. */
const INSTALLED: Partial<Record<NodeJS.Platform, string[]>> = {
  linux: [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/opt/microsoft/msedge/msedge',
  ],
  darwin: ['/Applications', join(homedir(), 'Applications')].flatMap((folder) => [
    join(folder, 'Chromium.app/Contents/MacOS/Chromium'),
    join(folder, 'Google Chrome.app/Contents/MacOS/Google Chrome'),
    join(folder, 'Microsoft Edge.app/Contents/MacOS/Microsoft Edge'),
  ]),
};

/** The same browsers by command name, for installs elsewhere on the PATH (Nix, Homebrew's bin, ~/bin). */
const COMMANDS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];

export const NO_BROWSER =
  'The browser tests need Chromium, Google Chrome or Microsoft Edge: install one (Debian/Ubuntu: ' +
  '`sudo apt-get install chromium`; macOS: `brew install --cask chromium`), or set CHROMIUM_PATH to its executable.';

/**
 * The browser the end-to-end tests drive (playwright-core never downloads one): CHROMIUM_PATH if set, else the
 * first Chromium, Chrome or Edge found where it installs itself or on the PATH. None is a one-line SetupError.
 */
export function findBrowser(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): string {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (!exists(configured))
      throw new SetupError(`CHROMIUM_PATH is ${configured}, which does not exist. ${NO_BROWSER}`);
    return configured;
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter((folder) => folder !== '')
    .flatMap((folder) => COMMANDS.map((command) => join(folder, command)));
  const found = [...(INSTALLED[platform] ?? []), ...onPath].find((path) => exists(path));
  if (!found) throw new SetupError(NO_BROWSER);
  return found;
}
