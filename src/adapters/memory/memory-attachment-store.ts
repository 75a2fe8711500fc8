import type { AttachmentStore } from '../../chat/ports.ts';

/** Attachments in memory, for unit tests: `put` stands in for the browser's POST. */
export function createMemoryAttachmentStore(): AttachmentStore & {
  put(key: string, bytes: Uint8Array): void;
  delete(key: string): void;
  reads: string[];
} {
  const objects = new Map<string, Uint8Array>();
  const reads: string[] = [];
  return {
    reads,
    put: (key, bytes) => void objects.set(key, bytes),
    delete: (key) => void objects.delete(key),
    async presignUpload(key, { contentType, maxBytes }) {
      return {
        url: 'memory://uploads',
        fields: { key, 'Content-Type': contentType, 'x-max-bytes': String(maxBytes) },
        expiresAt: 0,
      };
    },
    async sizeOf(key) {
      return objects.get(key)?.byteLength;
    },
    async deleteAll(prefix) {
      const keys = [...objects.keys()].filter((key) => key.startsWith(prefix));
      for (const key of keys) objects.delete(key);
      return keys.length;
    },
    async read(key) {
      reads.push(key);
      return objects.get(key);
    },
  };
}
