import { describe, expect, it } from 'vitest';
import { cosineSimilarity, createSemanticStandIn } from '../../../emulator/semantic-stand-in.ts';

const corpus = [
  'Invoices are emailed to the billing contact. Download the invoice PDF and the receipt from billing settings.',
  'The receipt and the invoice show VAT. Billing contacts get every receipt by email.',
  'Webhooks deliver events to your endpoint. Verify the signature header with the signing secret.',
  'Two-factor authentication adds a code from an authenticator app at sign-in.',
];

describe('the semantic stand-in (random indexing over the corpus)', () => {
  const standIn = createSemanticStandIn(corpus);
  const similarity = (a: string, b: string) => cosineSimilarity(standIn.embed(a), standIn.embed(b));

  it('is deterministic: the same text, the same vector', () => {
    expect([...standIn.embed('invoice receipt')]).toEqual([
      ...createSemanticStandIn(corpus).embed('invoice receipt'),
    ]);
  });

  it('finds the passage that answers a question closer than the others', () => {
    const question = standIn.embed('where do I download my receipt?');
    const scores = corpus.map((text) => cosineSimilarity(question, standIn.embed(text)));

    expect(Math.max(...scores.slice(2))).toBeLessThan(Math.min(...scores.slice(0, 2)));
  });

  it('brings words used in the same company together, even with no word in common', () => {
    expect(similarity('receipt', 'invoice')).toBeGreaterThan(similarity('receipt', 'authenticator'));
  });

  it('meets spelling variants through character n-grams', () => {
    expect(similarity('signin', 'sign-in')).toBeGreaterThan(similarity('signin', 'webhook'));
    expect(similarity('webhook', 'webhooks')).toBeGreaterThan(similarity('webhook', 'receipt'));
  });
});
