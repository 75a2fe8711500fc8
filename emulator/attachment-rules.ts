import type { ConverseBody } from './bedrock-types.ts';

/**
 * Bedrock's rules for image and document blocks beyond the service model's shapes (formats, required
 * fields and name length are checked there), with Bedrock's error wording where it is on record.
 *
 * Provenance:
 * - Counts and sizes: API reference, Message.content: "up to 20 images … no more than 3.75 MB"; "up to five
 *   documents … no more than 4.5 MB"; "If you include a ContentBlock with a document field in the array, you
 *   must also include a ContentBlock with a text field"; "You can only include images and documents if the
 *   role is user." (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Message.html)
 * - Name rule and its message: DocumentBlock.name documentation (botocore bedrock-runtime service-2.json);
 *   the ValidationException text as reported from ConverseStream in simonw/llm-bedrock#8. Underscores pass
 *   although the rule does not list them (measured live: vercel/ai#20366, strands-agents/harness-sdk#3019).
 * - "Messages can't contain duplicate document names." and "You can't include more than 5 documents in a
 *   request.": production logs quoted in aws-samples/generative-ai-use-cases#1685.
 * - Images: Anthropic models check the base64 size, "image exceeds 5 MB maximum: N bytes > 5242880 bytes"
 *   (aws/aws-sdk-js-v3#6785), and "too many images: image_count > 20" (a maintainer's reproduction in
 *   boto/boto3#4632), both wrapped in "The model returned the following errors: ".
 * - No wording on record (ours, marked "(emulator)"): a document above 4.5 MB, a document without a text
 *   block beside it, an image or document in an assistant message.
 */
export const MAX_IMAGES = 20;
export const MAX_DOCUMENTS = 5;
export const MAX_IMAGE_BASE64_BYTES = 5_242_880;
export const MAX_DOCUMENT_BYTES = 4_718_592;

// Tabs, newlines and other Unicode spaces are refused (measured, same sources); one space at a time.
const DOCUMENT_NAME = /^[A-Za-z0-9_\-()[\] ]+$/;
const DOCUMENT_NAME_MESSAGE =
  "The document file name can only contain alphanumeric characters, whitespace characters, hyphens, parentheses, and square brackets. The name can't contain more than one consecutive whitespace character. Check that the file name conforms to these restrictions and retry your request.";

interface Wire {
  image?: { source?: { bytes?: unknown } };
  document?: { name?: unknown; source?: { bytes?: unknown } };
  text?: unknown;
}

/** The ValidationException message for a request whose images or documents break a rule, or undefined. */
export function attachmentProblem(body: ConverseBody): string | undefined {
  let images = 0;
  let documents = 0;
  const names = new Set<string>();
  for (const [index, message] of (body.messages ?? []).entries()) {
    const blocks = (message.content ?? []) as Wire[];
    const hasText = blocks.some((block) => typeof block.text === 'string');
    for (const [blockIndex, block] of blocks.entries()) {
      const where = `messages.${index}.content.${blockIndex}`;
      if ((block.image || block.document) && message.role !== 'user') {
        return `${where}: images and documents are allowed only in user messages (emulator).`;
      }
      if (block.image) {
        images++;
        const base64 = block.image.source?.bytes;
        if (typeof base64 === 'string' && base64.length > MAX_IMAGE_BASE64_BYTES) {
          return `The model returned the following errors: ${where}.image.source.bytes: image exceeds 5 MB maximum: ${base64.length} bytes > ${MAX_IMAGE_BASE64_BYTES} bytes`;
        }
      }
      if (block.document) {
        documents++;
        const name = String(block.document.name ?? '');
        if (!DOCUMENT_NAME.test(name) || name.includes('  ')) return DOCUMENT_NAME_MESSAGE;
        if (names.has(name)) return "Messages can't contain duplicate document names.";
        names.add(name);
        const size = decodedLength(block.document.source?.bytes);
        if (size > MAX_DOCUMENT_BYTES) {
          return `${where}.document: the document is ${size} bytes, more than the 4.5 MB (${MAX_DOCUMENT_BYTES} bytes) limit (emulator).`;
        }
        if (!hasText) {
          return `${where}: a message with a document must also have a text block (emulator).`;
        }
      }
    }
  }
  if (documents > MAX_DOCUMENTS) return "You can't include more than 5 documents in a request.";
  if (images > MAX_IMAGES) {
    return `The model returned the following errors: messages: too many images: image_count > ${MAX_IMAGES}`;
  }
  return undefined;
}

/** The byte length of a base64 string as the wire carries blobs. */
export function decodedLength(base64: unknown): number {
  if (typeof base64 !== 'string') return 0;
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}
