import { findBrowser } from './find-browser.ts';

/** Runs first in the e2e project: without a browser, say what to install before starting any stack. */
export default function setup() {
  findBrowser();
}
