import { loadConfig } from '../config.ts';
import { createUnroutableFrameRoute } from '../lambda/unroutable-frame.ts';

/** `$default`: frames no route matched get an error frame naming what is wrong. */
export const handler = createUnroutableFrameRoute(loadConfig());
