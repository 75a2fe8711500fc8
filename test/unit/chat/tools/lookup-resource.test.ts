import { describe, expect, it } from 'vitest';
import { createMemoryResourceCatalog } from '../../../../src/adapters/memory/memory-resource-catalog.ts';
import { createLookupResourceTool } from '../../../../src/chat/tools/lookup-resource.ts';
import { createToolContext, createToolRegistry } from '../../../../src/chat/tools/registry.ts';

const billing = {
  name: 'billing-api',
  url: 'https://example.com/billing',
  owner: 'Payments',
  description: 'Invoices.',
};
const registry = createToolRegistry([createLookupResourceTool(createMemoryResourceCatalog([billing]))]);
const run = (name: string) =>
  registry.run(
    { toolUseId: 't', name: 'lookup_resource', input: { name } },
    new AbortController().signal,
    createToolContext('user-1'),
  );

describe('lookup_resource', () => {
  it('finds a resource however its name is written', async () => {
    for (const name of ['billing-api', 'Billing API', 'billing_api']) {
      expect((await run(name)).toolResult).toEqual({
        toolUseId: 't',
        content: [{ json: billing }],
        status: 'success',
      });
    }
  });

  it('tells the model plainly when no resource has that name', async () => {
    expect((await run('warp-drive')).toolResult).toEqual({
      toolUseId: 't',
      content: [{ text: 'No resource named "warp-drive" in the catalogue.' }],
      status: 'error',
    });
  });
});
