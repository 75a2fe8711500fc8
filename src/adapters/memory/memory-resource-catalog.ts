import type { Resource, ResourceCatalog } from '../../chat/ports.ts';
import { toResourceSlug } from '../../chat/resource-slug.ts';

/** The resource catalogue from a list, matched by slug like the DynamoDB one; for tests and the recorder. */
export function createMemoryResourceCatalog(resources: Resource[]): ResourceCatalog {
  const bySlug = new Map(resources.map((resource) => [toResourceSlug(resource.name), resource]));
  return {
    async find(name) {
      return bySlug.get(toResourceSlug(name));
    },
  };
}
