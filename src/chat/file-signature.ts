import type { AttachmentFormat } from '../protocol/attachments.ts';

/**
 * Whether the bytes are really a file of this format, from their signature ("magic number"); text formats
 * must be UTF-8 without NUL bytes. A renamed or damaged file is refused before the model sees it, with a
 * message its owner understands, instead of Bedrock's "could not process" for the whole turn.
 */
export function hasSignatureOf(format: AttachmentFormat, bytes: Uint8Array): boolean {
  switch (format) {
    case 'png':
      return startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'jpeg':
      return startsWith(bytes, [0xff, 0xd8, 0xff]);
    case 'gif':
      return ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a';
    case 'webp':
      return ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP';
    case 'pdf':
      return ascii(bytes, 0, 5) === '%PDF-';
    case 'docx':
      return isZipHolding(bytes, 'word/');
    case 'xlsx':
      return isZipHolding(bytes, 'xl/');
    case 'txt':
    case 'md':
    case 'csv':
    case 'html':
      return isUtf8Text(bytes);
  }
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}

/** An Office Open XML file is a ZIP whose entry names (stored in clear) include its part folder. */
function isZipHolding(bytes: Uint8Array, folder: string): boolean {
  if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return false;
  // Entry names are ASCII; a byte-for-char decoding finds them without Node's Buffer.
  return new TextDecoder('latin1').decode(bytes).includes(folder);
}

function isUtf8Text(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
