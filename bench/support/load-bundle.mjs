// Runs in a fresh `node` process: loads one handler bundle as the Lambda runtime would (an ES module import)
// and prints how long that took and the memory it left resident. Without an argument it loads nothing, which
// measures a bare Node process for comparison.
import { pathToFileURL } from 'node:url';

const bootedMs = performance.now();
const bundle = process.argv[2];
if (bundle) {
  const module = await import(pathToFileURL(bundle).href);
  if (typeof module.handler !== 'function') throw new Error(`${bundle} exports no handler function`);
}
const loadMs = performance.now() - bootedMs;
process.stdout.write(JSON.stringify({ bootedMs, loadMs, rssBytes: process.memoryUsage().rss }));
