import { describe, expect, it } from 'vitest';
import { SetupError } from '../../../local/setup-error.ts';
import { findBrowser, NO_BROWSER } from '../../support/find-browser.ts';

const only =
  (...present: string[]) =>
  (path: string) =>
    present.includes(path);

describe('findBrowser', () => {
  it("uses Debian's Chromium when it is there", () => {
    expect(findBrowser({}, 'linux', only('/usr/bin/chromium', '/usr/bin/google-chrome'))).toBe(
      '/usr/bin/chromium',
    );
  });

  it('finds Google Chrome or Microsoft Edge on a Linux machine without Chromium', () => {
    expect(findBrowser({}, 'linux', only('/usr/bin/google-chrome-stable'))).toBe(
      '/usr/bin/google-chrome-stable',
    );
    expect(findBrowser({}, 'linux', only('/opt/microsoft/msedge/msedge'))).toBe(
      '/opt/microsoft/msedge/msedge',
    );
  });

  it('finds Google Chrome in a Mac’s Applications folder', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser({}, 'darwin', only(chrome))).toBe(chrome);
  });

  it('finds a browser on the PATH', () => {
    expect(
      findBrowser({ PATH: '/nix/profile/bin:/usr/bin' }, 'linux', only('/nix/profile/bin/chromium')),
    ).toBe('/nix/profile/bin/chromium');
  });

  it('uses CHROMIUM_PATH first, and says so when it points nowhere', () => {
    expect(
      findBrowser({ CHROMIUM_PATH: '/opt/my/chrome' }, 'linux', only('/opt/my/chrome', '/usr/bin/chromium')),
    ).toBe('/opt/my/chrome');
    expect(() => findBrowser({ CHROMIUM_PATH: '/nope' }, 'linux', only('/usr/bin/chromium'))).toThrow(
      'CHROMIUM_PATH is /nope, which does not exist.',
    );
  });

  it('fails with one line saying what to install when there is no browser', () => {
    const error = (() => {
      try {
        findBrowser({ PATH: '/usr/bin' }, 'linux', only());
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(SetupError);
    expect((error as SetupError).message).toBe(NO_BROWSER);
    expect((error as SetupError).stack).toBe(`SetupError: ${NO_BROWSER}`);
    expect((error as SetupError).stack?.split('\n')).toHaveLength(1);
  });
});
