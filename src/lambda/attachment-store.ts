import { createS3AttachmentStore, createS3Client } from '../adapters/s3/attachment-store.ts';
import { type AttachmentStore, type Clock, systemClock } from '../chat/ports.ts';
import type { ChatConfig } from '../config.ts';

/** The attachments bucket (S3; a local S3-compatible server offline), or undefined when none is configured. */
export function createAttachmentStore(
  config: ChatConfig,
  clock: Clock = systemClock,
): AttachmentStore | undefined {
  if (!config.uploadsBucket) return undefined;
  return createS3AttachmentStore({
    client: createS3Client({ region: config.uploadsRegion, endpoint: config.endpoints.s3 }),
    bucket: config.uploadsBucket,
    clock,
  });
}
