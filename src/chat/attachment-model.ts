import type { DocumentFormat, ImageFormat } from '../protocol/attachments.ts';
import {
  documentNameOf,
  kindOf,
  MAX_DOCUMENTS_PER_REQUEST,
  MAX_IMAGES_PER_REQUEST,
} from '../protocol/attachments.ts';
import { type AttachmentBlock, type ContentBlock, isAttachmentBlock, type Message } from './messages.ts';
import type { AttachmentStore, ModelClient } from './ports.ts';

/**
 * A model client that sends stored attachment references as Converse image and document blocks with their
 * bytes, read from the store for each call. Within Bedrock's per-request limits: the newest 20 images and 5
 * documents of the conversation go to the model, older ones become a short note, as do files whose upload
 * has expired; document names are made unique (Bedrock refuses duplicates).
 */
export function withAttachments(model: ModelClient, store: AttachmentStore): ModelClient {
  return {
    async *stream(request, signal) {
      const messages = request.messages.some((m) => m.content.some(isAttachmentBlock))
        ? await resolveAttachments(request.messages, store)
        : request.messages;
      yield* model.stream({ ...request, messages }, signal);
    },
  };
}

export async function resolveAttachments(
  messages: readonly Message[],
  store: AttachmentStore,
): Promise<Message[]> {
  const kept = keptAttachments(messages);
  const bytesByKey = new Map(
    await Promise.all(
      [...kept].map(async (block) => [block.attachment.key, await store.read(block.attachment.key)] as const),
    ),
  );
  const usedNames = new Set<string>();
  return messages.map((message) => ({
    ...message,
    content: message.content.flatMap((block): ContentBlock[] => {
      if (!isAttachmentBlock(block)) return [block];
      const { name, format } = block.attachment;
      if (!kept.has(block))
        return [{ text: `[Attached file "${name}" left out: too many files in this chat.]` }];
      const bytes = bytesByKey.get(block.attachment.key);
      if (!bytes) return [{ text: `[Attached file "${name}" is no longer available.]` }];
      // An image block has no name: a label before it lets the model refer to the file as its owner does.
      if (kindOf(format) === 'image') {
        return [
          { text: `[Image: ${name}]` },
          { image: { format: format as ImageFormat, source: { bytes } } },
        ];
      }
      const documentName = uniqueName(documentNameOf(name), usedNames);
      return [{ document: { format: format as DocumentFormat, name: documentName, source: { bytes } } }];
    }),
  }));
}

/** The attachment blocks that fit Bedrock's per-request counts, newest first. */
function keptAttachments(messages: readonly Message[]): Set<AttachmentBlock> {
  const kept = new Set<AttachmentBlock>();
  let images = 0;
  let documents = 0;
  const blocks = messages.flatMap((message) => message.content.filter(isAttachmentBlock));
  for (const block of blocks.reverse()) {
    if (kindOf(block.attachment.format) === 'image') {
      if (images++ < MAX_IMAGES_PER_REQUEST) kept.add(block);
    } else if (documents++ < MAX_DOCUMENTS_PER_REQUEST) {
      kept.add(block);
    }
  }
  return kept;
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = `${name.slice(0, 200 - suffix.length)}${suffix}`;
  }
  used.add(candidate.toLowerCase());
  return candidate;
}
