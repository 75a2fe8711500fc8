import { describe, expect, it } from 'vitest';
import { attachmentProblem } from '../../../emulator/attachment-rules.ts';
import type { ConverseBody, WireContentBlock } from '../../../emulator/bedrock-types.ts';
import { scriptReply } from '../../../emulator/scripted-model.ts';
import { knowledgeBase } from './support/test-emulator.ts';

const b64 = (bytes: number) => Buffer.alloc(bytes, 1).toString('base64');
const doc = (name: string, bytes = 10): WireContentBlock => ({
  document: { format: 'pdf', name, source: { bytes: b64(bytes) } },
});
const image = (bytes = 10): WireContentBlock => ({ image: { format: 'png', source: { bytes: b64(bytes) } } });
const ask = (...content: WireContentBlock[]): ConverseBody => ({
  messages: [{ role: 'user', content: [...content, { text: 'What is in these?' }] }],
});

describe('the emulator checks image and document blocks as Bedrock does', () => {
  it('accepts names of letters, digits, single spaces, hyphens, underscores, parentheses and brackets', () => {
    expect(attachmentProblem(ask(doc('Q3 report-final_v2 (draft) [1]')))).toBeUndefined();
  });

  it('refuses other document names with Bedrock’s message', () => {
    for (const name of ['report.pdf', 'a  b', 'a\tb', 'résumé', 'a/b']) {
      expect(attachmentProblem(ask(doc(name)))).toMatch(
        /^The document file name can only contain alphanumeric/,
      );
    }
  });

  it('refuses duplicate names, a sixth document and a twenty-first image', () => {
    expect(attachmentProblem(ask(doc('a'), doc('a')))).toBe(
      "Messages can't contain duplicate document names.",
    );
    expect(attachmentProblem(ask(...['a', 'b', 'c', 'd', 'e', 'f'].map((n) => doc(n))))).toBe(
      "You can't include more than 5 documents in a request.",
    );
    expect(attachmentProblem(ask(...Array.from({ length: 21 }, () => image())))).toBe(
      'The model returned the following errors: messages: too many images: image_count > 20',
    );
    expect(attachmentProblem(ask(...Array.from({ length: 20 }, () => image())))).toBeUndefined();
  });

  it('refuses an image whose base64 exceeds 5 MB and a document over 4.5 MB', () => {
    expect(attachmentProblem(ask(image(3_932_161)))).toBe(
      'The model returned the following errors: messages.0.content.0.image.source.bytes: image exceeds 5 MB maximum: 5242884 bytes > 5242880 bytes',
    );
    expect(attachmentProblem(ask(image(3_932_160)))).toBeUndefined();
    expect(attachmentProblem(ask(doc('big', 4_718_593)))).toMatch(/more than the 4\.5 MB/);
  });

  it('refuses a document without text beside it, and attachments from the assistant', () => {
    expect(attachmentProblem({ messages: [{ role: 'user', content: [doc('a')] }] })).toMatch(
      /must also have a text block/,
    );
    expect(
      attachmentProblem({
        messages: [
          { role: 'user', content: [{ text: 'hi' }] },
          { role: 'assistant', content: [image()] },
        ],
      }),
    ).toMatch(/only in user messages/);
  });
});

describe('the scripted model acknowledges attachments', () => {
  it('names each file, its kind, format and size, then the question', () => {
    const reply = scriptReply(
      ask({ text: '[Image: cat.png]' }, image(1234), doc('Q3 report', 4321)),
      knowledgeBase,
    );
    expect(reply).toEqual({
      text: 'I received 2 files: **cat.png** (image, PNG, 1234 bytes); **Q3 report** (document, PDF, 4321 bytes).\n\nYou asked: What is in these?',
      toolUses: [],
      stopReason: 'end_turn',
    });
  });
});
