/** The catalogue key of a resource name: "Billing API", "billing_api" and "billing-api" name the same one. */
export function toResourceSlug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
