import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the emulator's data lives in a checkout. */
export function fixturePaths(root: string = REPOSITORY_ROOT) {
  return {
    /** Recorded and synthetic Bedrock fixtures (format v1). */
    bedrock: join(root, 'fixtures', 'bedrock'),
    /** The scenarios they are recorded from. */
    scenarios: join(root, 'fixtures', 'scenarios'),
    /** Markdown served by the Retrieve API. */
    knowledgeBase: join(root, 'fixtures', 'knowledge-base'),
    /** Local stand-ins for Bedrock guardrails, named by `guardrailConfig`. */
    guardrails: join(root, 'fixtures', 'guardrails'),
  };
}
