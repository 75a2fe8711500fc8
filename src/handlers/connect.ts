import { loadConfig } from '../config.ts';
import { createLifecycleRoute } from '../lambda/lifecycle-route.ts';

/** `$connect`: the authorizer has already decided; the connection id travels with every later event. */
export const handler = createLifecycleRoute(loadConfig());
