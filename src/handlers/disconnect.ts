import { loadConfig } from '../config.ts';
import { createLifecycleRoute } from '../lambda/lifecycle-route.ts';

/**
 * `$disconnect`: nothing is stored per connection, so nothing to clean up. A turn still streaming to this
 * connection finds out on its next push (410) and stops.
 */
export const handler = createLifecycleRoute(loadConfig());
