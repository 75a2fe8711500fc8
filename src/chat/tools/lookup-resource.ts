import * as z from 'zod/mini';
import { ToolError } from '../errors.ts';
import type { ResourceCatalog } from '../ports.ts';
import type { Tool } from './registry.ts';

const input = z.object({
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1),
      z.maxLength(200),
      z.describe('The resource name, e.g. "billing-api" or "Status page".'),
    ),
});

/** `lookup_resource`: URL, owner and description of a named internal resource from the catalogue. */
export function createLookupResourceTool(catalog: ResourceCatalog): Tool<z.infer<typeof input>> {
  return {
    name: 'lookup_resource',
    description:
      'Look up an internal resource (service, dashboard, runbook, repository) by name in the resource ' +
      'catalogue. Returns its URL, owning team and description.',
    input,
    status: 'Looking up resource…',
    async run({ name }) {
      const resource = await catalog.find(name);
      if (!resource) throw new ToolError(`No resource named "${name}" in the catalogue.`);
      return { ...resource };
    },
  };
}
