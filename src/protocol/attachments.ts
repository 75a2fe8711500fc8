/**
 * What a user may attach to a question, and Bedrock's limits on it. One module for the web app (checks before
 * anything is uploaded), the `createUpload`/`sendMessage` routes and the chat core.
 *
 * Provenance (kept next to the emulator's copy, emulator/attachment-rules.ts):
 * - Formats: botocore 1.43 bedrock-runtime service-2.json, `ImageFormat` [png, jpeg, gif, webp] and
 *   `DocumentFormat` [pdf, csv, doc, docx, xls, xlsx, html, txt, md]; we accept the documents the issue asks
 *   for (no legacy doc/xls).
 * - Sizes and counts: Bedrock API reference, `Message.content`: "up to 20 images. Each image's size, height,
 *   and width must be no more than 3.75 MB, 8000 px, and 8000 px"; "up to five documents. Each document's
 *   size must be no more than 4.5 MB" (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html).
 *   The counts are per request: the whole conversation the model sees, not one message.
 * - Document names: `DocumentBlock.name`, 1-200 characters of "alphanumeric characters, whitespace characters
 *   (no more than one in a row), hyphens, parentheses, square brackets" (service model documentation).
 */

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';
export type DocumentFormat = 'pdf' | 'txt' | 'md' | 'csv' | 'docx' | 'xlsx' | 'html';
export type AttachmentFormat = ImageFormat | DocumentFormat;
export type AttachmentKind = 'image' | 'document';

/** 3.75 MB: Bedrock's image limit (the base64 of it is Anthropic's 5 MiB limit). */
export const MAX_IMAGE_BYTES = 3_932_160;
/** 4.5 MB: Bedrock's document limit. */
export const MAX_DOCUMENT_BYTES = 4_718_592;
/** Per request (the whole conversation the model sees). */
export const MAX_IMAGES_PER_REQUEST = 20;
export const MAX_DOCUMENTS_PER_REQUEST = 5;
/** Per question: this app's choice, within the per-request limits. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 5;
/** A file name as shown to people (the document name sent to the model is derived from it). */
export const MAX_ATTACHMENT_NAME_LENGTH = 200;

interface FormatInfo {
  kind: AttachmentKind;
  /** The content type the upload must declare (S3 stores it with the object). */
  contentType: string;
  extensions: readonly string[];
}

export const ATTACHMENT_FORMATS: Readonly<Record<AttachmentFormat, FormatInfo>> = {
  png: { kind: 'image', contentType: 'image/png', extensions: ['png'] },
  jpeg: { kind: 'image', contentType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  gif: { kind: 'image', contentType: 'image/gif', extensions: ['gif'] },
  webp: { kind: 'image', contentType: 'image/webp', extensions: ['webp'] },
  pdf: { kind: 'document', contentType: 'application/pdf', extensions: ['pdf'] },
  txt: { kind: 'document', contentType: 'text/plain', extensions: ['txt'] },
  md: { kind: 'document', contentType: 'text/markdown', extensions: ['md', 'markdown'] },
  csv: { kind: 'document', contentType: 'text/csv', extensions: ['csv'] },
  docx: {
    kind: 'document',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
  },
  xlsx: {
    kind: 'document',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    extensions: ['xlsx'],
  },
  html: { kind: 'document', contentType: 'text/html', extensions: ['html', 'htm'] },
};

export const ATTACHMENT_FORMAT_NAMES = Object.keys(ATTACHMENT_FORMATS) as AttachmentFormat[];

export function isAttachmentFormat(value: unknown): value is AttachmentFormat {
  return typeof value === 'string' && Object.hasOwn(ATTACHMENT_FORMATS, value);
}

export function kindOf(format: AttachmentFormat): AttachmentKind {
  return ATTACHMENT_FORMATS[format].kind;
}

export function maxBytesOf(format: AttachmentFormat): number {
  return kindOf(format) === 'image' ? MAX_IMAGE_BYTES : MAX_DOCUMENT_BYTES;
}

/** The format a file name's extension names, if it is one we accept. */
export function formatOfFileName(name: string): AttachmentFormat | undefined {
  const extension = name.toLowerCase().split('.').at(-1) ?? '';
  if (!name.includes('.')) return undefined;
  return ATTACHMENT_FORMAT_NAMES.find((format) => ATTACHMENT_FORMATS[format].extensions.includes(extension));
}

/** A size in the units people read: "3.75 MB", "120 KB", "18 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(2))} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Why a file cannot be attached, in words for its owner, or undefined when it may be uploaded. Checked by the
 * web app before uploading and by `createUpload` before it signs anything.
 */
export function attachmentProblem(file: { name: string; size: number }): string | undefined {
  const format = formatOfFileName(file.name);
  if (!format) {
    return `${file.name}: this type of file cannot be attached. Attach images (PNG, JPEG, GIF, WebP) or documents (PDF, TXT, MD, CSV, DOCX, XLSX, HTML).`;
  }
  if (file.size <= 0) return `${file.name} is empty.`;
  const limit = maxBytesOf(format);
  if (file.size > limit) {
    return `${file.name} is ${formatBytes(file.size)}, over the ${formatBytes(limit)} limit for ${kindOf(format) === 'image' ? 'images' : 'documents'}.`;
  }
  return undefined;
}

/**
 * The document name Bedrock accepts for a file name: the extension dropped (a dot is not allowed), every
 * other character outside [A-Za-z0-9 whitespace - ( ) [ ]] replaced by a hyphen, whitespace runs collapsed to
 * one space, at most 200 characters; "document" if nothing is left.
 */
export function documentNameOf(fileName: string): string {
  const stem = fileName.includes('.') ? fileName.slice(0, fileName.lastIndexOf('.')) : fileName;
  const name = stem
    .replace(/[^A-Za-z0-9 \-()[\]]/g, '-')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 200)
    .trim();
  return name === '' ? 'document' : name;
}
