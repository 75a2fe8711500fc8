/**
 * `npm run kb:sync`: make a knowledge base's S3 data source hold exactly a folder's documents (and their
 * `<file>.metadata.json` sidecars), then run an ingestion job and report its statistics. The storage and the
 * Bedrock Agent API are ports, so the logic is tested with fakes (test/unit/infra/kb-sync/).
 */

export interface LocalDocument {
  /** The object key: the path inside the folder, with forward slashes. */
  key: string;
  body: Uint8Array;
}

/** The data source's bucket. */
export interface DocumentStore {
  listKeys(): Promise<string[]>;
  put(key: string, body: Uint8Array): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

export type IngestionJobStatus = 'STARTING' | 'IN_PROGRESS' | 'COMPLETE' | 'FAILED' | 'STOPPING' | 'STOPPED';

/** IngestionJobStatistics of the bedrock-agent service model. */
export interface IngestionStatistics {
  numberOfDocumentsScanned?: number;
  numberOfMetadataDocumentsScanned?: number;
  numberOfNewDocumentsIndexed?: number;
  numberOfModifiedDocumentsIndexed?: number;
  numberOfMetadataDocumentsModified?: number;
  numberOfDocumentsDeleted?: number;
  numberOfDocumentsFailed?: number;
}

export interface IngestionJob {
  ingestionJobId: string;
  status: IngestionJobStatus;
  statistics?: IngestionStatistics;
  failureReasons?: string[];
}

/** StartIngestionJob and GetIngestionJob of one knowledge base's data source. */
export interface IngestionJobs {
  start(): Promise<IngestionJob>;
  get(ingestionJobId: string): Promise<IngestionJob>;
}

export class IngestionFailedError extends Error {
  readonly code = 'INGESTION_FAILED';
  constructor(
    readonly job: IngestionJob,
    message: string,
  ) {
    super(message);
    this.name = 'IngestionFailedError';
  }
}

export interface SyncReport {
  uploaded: number;
  deleted: number;
  job: IngestionJob;
}

/** Files Bedrock can ingest from S3 (text and documents), and the sidecars that describe them. */
const INGESTIBLE = /\.(md|txt|html|csv|pdf|docx?|xlsx?)$/i;
export const isSyncedFile = (key: string) => INGESTIBLE.test(key) || /\.metadata\.json$/.test(key);

export async function syncKnowledgeBase(options: {
  documents: LocalDocument[];
  store: DocumentStore;
  jobs: IngestionJobs;
  onProgress?: (line: string) => void;
  /** Between two GetIngestionJob calls. */
  pollMs?: number;
  /** Give up waiting (the job goes on in AWS) after this long. */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}): Promise<SyncReport> {
  const say = options.onProgress ?? (() => {});
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const documents = options.documents.filter((document) => isSyncedFile(document.key));
  if (!documents.some((document) => INGESTIBLE.test(document.key))) {
    throw new Error(
      'The folder holds no document to ingest (.md, .txt, .html, .csv, .pdf, .doc(x), .xls(x)).',
    );
  }

  for (const [index, document] of documents.entries()) {
    await options.store.put(document.key, document.body);
    say(`uploaded ${index + 1}/${documents.length}  ${document.key}`);
  }
  // The data source mirrors the folder: what is no longer there is deleted, and the next ingestion drops it.
  const wanted = new Set(documents.map((document) => document.key));
  const stale = (await options.store.listKeys()).filter((key) => !wanted.has(key));
  if (stale.length > 0) {
    await options.store.delete(stale);
    say(`deleted ${stale.length} object(s) no longer in the folder`);
  }

  let job = await options.jobs.start();
  say(`ingestion job ${job.ingestionJobId} ${job.status}`);
  const deadline = now() + (options.deadlineMs ?? 30 * 60_000);
  while (!['COMPLETE', 'FAILED', 'STOPPED'].includes(job.status)) {
    if (now() >= deadline) {
      throw new IngestionFailedError(
        job,
        `Ingestion job ${job.ingestionJobId} is still ${job.status}; stopped waiting.`,
      );
    }
    await sleep(options.pollMs ?? 5_000);
    job = await options.jobs.get(job.ingestionJobId);
    say(`ingestion job ${job.ingestionJobId} ${job.status}${progressOf(job.statistics)}`);
  }
  if (job.status !== 'COMPLETE') {
    const reasons = job.failureReasons?.length ? `: ${job.failureReasons.join('; ')}` : '';
    throw new IngestionFailedError(job, `Ingestion job ${job.ingestionJobId} ended ${job.status}${reasons}`);
  }
  return { uploaded: documents.length, deleted: stale.length, job };
}

function progressOf(statistics: IngestionStatistics | undefined): string {
  if (!statistics) return '';
  return `  (${statistics.numberOfDocumentsScanned ?? 0} scanned, ${statistics.numberOfNewDocumentsIndexed ?? 0} new, ${statistics.numberOfModifiedDocumentsIndexed ?? 0} modified, ${statistics.numberOfDocumentsFailed ?? 0} failed)`;
}

/** The statistics as lines for the terminal. */
export function formatStatistics(statistics: IngestionStatistics = {}): string {
  const rows: Array<[string, number | undefined]> = [
    ['documents scanned', statistics.numberOfDocumentsScanned],
    ['metadata files scanned', statistics.numberOfMetadataDocumentsScanned],
    ['new documents indexed', statistics.numberOfNewDocumentsIndexed],
    ['modified documents indexed', statistics.numberOfModifiedDocumentsIndexed],
    ['metadata files modified', statistics.numberOfMetadataDocumentsModified],
    ['documents deleted', statistics.numberOfDocumentsDeleted],
    ['documents failed', statistics.numberOfDocumentsFailed],
  ];
  return rows.map(([label, value]) => `  ${label.padEnd(28)}${value ?? 0}`).join('\n');
}
