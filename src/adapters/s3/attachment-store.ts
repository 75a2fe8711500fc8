import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { UploadsUnavailableError } from '../../chat/errors.ts';
import type { AttachmentStore, Clock } from '../../chat/ports.ts';
import { type ClientLocation, createHttpHandler } from '../http-handler.ts';

export function createS3Client(location: ClientLocation): S3Client {
  return new S3Client({
    region: location.region,
    endpoint: location.endpoint,
    // A local S3-compatible server answers on one host; buckets go in the path there.
    forcePathStyle: location.endpoint !== undefined,
    requestHandler: createHttpHandler({ requestTimeoutMs: 10_000 }),
    maxAttempts: 3,
  });
}

export interface S3AttachmentStoreOptions {
  client: S3Client;
  bucket: string;
  clock: Clock;
  /** How long a presigned POST may be used. */
  uploadWindowSeconds?: number;
  /** Bytes of recently read objects kept in memory: a turn reads its files when it checks them and again for each model call. */
  cacheBytes?: number;
}

/** Attachments in an S3 bucket: presigned POSTs in, objects out (the bucket's lifecycle rule expires them). */
export function createS3AttachmentStore(options: S3AttachmentStoreOptions): AttachmentStore {
  const { client, bucket } = options;
  const uploadWindowSeconds = options.uploadWindowSeconds ?? 300;
  const cache = new RecentObjects(options.cacheBytes ?? 32 * 1024 * 1024);
  return {
    async presignUpload(key, { contentType, maxBytes }) {
      const expiresAt = options.clock.now() + uploadWindowSeconds * 1000;
      const { url, fields } = await createPresignedPost(client, {
        Bucket: bucket,
        Key: key,
        // S3 refuses any other content type, and anything larger than the format's limit.
        Conditions: [['content-length-range', 1, maxBytes], { 'Content-Type': contentType }],
        Fields: { 'Content-Type': contentType },
        Expires: uploadWindowSeconds,
      }).catch((error: unknown) => {
        throw new UploadsUnavailableError(error);
      });
      cache.forget(key);
      return { url, fields, expiresAt };
    },
    async sizeOf(key) {
      const cached = cache.get(key);
      if (cached) return cached.byteLength;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw new UploadsUnavailableError(error);
      }
    },
    async read(key) {
      const cached = cache.get(key);
      if (cached) return cached;
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
        cache.set(key, bytes);
        return bytes;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw new UploadsUnavailableError(error);
      }
    },
    async deleteAll(prefix) {
      let deleted = 0;
      let token: string | undefined;
      try {
        // A page lists at most 1,000 keys, as many as one DeleteObjects takes.
        do {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
          );
          const keys = (page.Contents ?? []).flatMap(({ Key }) => (Key ? [{ Key }] : []));
          if (keys.length > 0) {
            const result = await client.send(
              new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
            );
            if (result.Errors?.length)
              throw new Error(`S3 kept ${result.Errors.length} of ${keys.length} objects`);
            for (const { Key } of keys) cache.forget(Key);
            deleted += keys.length;
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
      } catch (error) {
        throw new UploadsUnavailableError(error);
      }
      return deleted;
    },
  };
}

function isMissing(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'NotFound' || error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)
  );
}

/** A small LRU of object bytes, bounded by their total size. */
class RecentObjects {
  private readonly entries = new Map<string, Uint8Array>();
  private total = 0;
  constructor(private readonly maxBytes: number) {}

  get(key: string): Uint8Array | undefined {
    const bytes = this.entries.get(key);
    if (bytes) {
      this.entries.delete(key);
      this.entries.set(key, bytes);
    }
    return bytes;
  }

  set(key: string, bytes: Uint8Array): void {
    this.forget(key);
    if (bytes.byteLength > this.maxBytes) return;
    this.entries.set(key, bytes);
    this.total += bytes.byteLength;
    for (const [oldest, old] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.total -= old.byteLength;
    }
  }

  forget(key: string): void {
    const bytes = this.entries.get(key);
    if (bytes) this.total -= bytes.byteLength;
    this.entries.delete(key);
  }
}
