import { describe, expect, it } from 'vitest';
import {
  attachmentProblem,
  documentNameOf,
  formatOfFileName,
  MAX_DOCUMENT_BYTES,
  MAX_IMAGE_BYTES,
} from '../../../src/protocol/attachments.ts';
import { readClientFrame } from '../../../src/protocol/client-frame.ts';

const limits = { maxMessageBytes: 16_384 };
const sessionId = '7f1c2a34-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
const uploadId = '0b6a1e2f-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

describe('attachment rules shared by the web app and the server', () => {
  it('knows the formats Bedrock takes by their extensions, in any case', () => {
    expect(formatOfFileName('photo.JPG')).toBe('jpeg');
    expect(formatOfFileName('notes.markdown')).toBe('md');
    expect(formatOfFileName('report.final.pdf')).toBe('pdf');
    expect(formatOfFileName('sheet.xlsx')).toBe('xlsx');
    expect(formatOfFileName('legacy.doc')).toBeUndefined();
    expect(formatOfFileName('pdf')).toBeUndefined();
  });

  it('refuses a wrong type, an empty file and files over Bedrock’s size limits, naming the file', () => {
    expect(attachmentProblem({ name: 'tool.exe', size: 10 })).toMatch(
      /^tool\.exe: this type of file cannot be attached/,
    );
    expect(attachmentProblem({ name: 'a.txt', size: 0 })).toBe('a.txt is empty.');
    expect(attachmentProblem({ name: 'big.png', size: 4 * 1024 * 1024 })).toBe(
      'big.png is 4 MB, over the 3.75 MB limit for images.',
    );
    expect(attachmentProblem({ name: 'edge.png', size: MAX_IMAGE_BYTES + 1 })).toMatch(/^edge\.png is/);
    expect(attachmentProblem({ name: 'big.pdf', size: 5 * 1024 * 1024 })).toBe(
      'big.pdf is 5 MB, over the 4.5 MB limit for documents.',
    );
    expect(attachmentProblem({ name: 'ok.png', size: MAX_IMAGE_BYTES })).toBeUndefined();
    expect(attachmentProblem({ name: 'ok.pdf', size: MAX_DOCUMENT_BYTES })).toBeUndefined();
  });

  it('turns any file name into a document name Bedrock accepts', () => {
    expect(documentNameOf('Q3 report.pdf')).toBe('Q3 report');
    expect(documentNameOf("John's  report, v2 (final).docx")).toBe('John-s report- v2 (final)');
    expect(documentNameOf('分期报告.pdf')).toBe('----');
    expect(documentNameOf('.pdf')).toBe('document');
    expect(documentNameOf(`${'a'.repeat(250)}.txt`)).toHaveLength(200);
    for (const name of ['a\tb.txt', 'x_y.md', '[draft] plan.html']) {
      expect(documentNameOf(name)).toMatch(/^[A-Za-z0-9 \-()[\]]+$/);
    }
  });
});

describe('the createUpload and sendMessage frames', () => {
  it('reads a createUpload frame and addresses its errors to the upload', () => {
    const good = readClientFrame(
      JSON.stringify({ action: 'createUpload', sessionId, uploadId, name: 'cat.png', size: 1234 }),
      undefined,
      limits,
    );
    expect(good.ok).toBe(true);
    const bad = readClientFrame(
      JSON.stringify({ action: 'createUpload', sessionId, uploadId, name: 'cat.png', size: -1 }),
      undefined,
      limits,
    );
    expect(bad).toMatchObject({
      ok: false,
      address: { sessionId, uploadId },
      problem: { code: 'INVALID_FRAME' },
    });
  });

  it('takes at most five attachments per message, each a key and a name', () => {
    const frame = (count: number) =>
      JSON.stringify({
        action: 'sendMessage',
        sessionId,
        message: 'What is in these?',
        attachments: Array.from({ length: count }, (_, n) => ({
          key: `uploads/u/${sessionId}/${n}`,
          name: `f${n}.txt`,
        })),
      });
    expect(readClientFrame(frame(5), 'sendMessage', limits).ok).toBe(true);
    expect(readClientFrame(frame(6), 'sendMessage', limits)).toMatchObject({
      ok: false,
      problem: { message: 'attachments: at most 5 attachments per message' },
    });
    // Old clients send no attachments at all: still a valid frame.
    expect(
      readClientFrame(
        JSON.stringify({ action: 'sendMessage', sessionId, message: 'hi' }),
        'sendMessage',
        limits,
      ).ok,
    ).toBe(true);
  });
});
