import { describe, expect, it } from 'vitest';
import {
  type DocumentStore,
  formatStatistics,
  IngestionFailedError,
  type IngestionJob,
  type IngestionJobs,
  syncKnowledgeBase,
} from '../../../../infra/kb-sync/sync-knowledge-base.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function fakeStore(existing: string[] = []): DocumentStore & { objects: Map<string, string> } {
  const objects = new Map(existing.map((key) => [key, 'old']));
  return {
    objects,
    listKeys: async () => [...objects.keys()],
    put: async (key, body) => {
      objects.set(key, new TextDecoder().decode(body));
    },
    delete: async (keys) => {
      for (const key of keys) objects.delete(key);
    },
  };
}

/** An ingestion job that goes through the given states, one per GetIngestionJob. */
function fakeJobs(
  states: IngestionJob['status'][],
  last: Partial<IngestionJob> = {},
): IngestionJobs & { gets: number } {
  const jobs = {
    gets: 0,
    start: async (): Promise<IngestionJob> => ({ ingestionJobId: 'JOB1234567', status: 'STARTING' }),
    get: async (id: string): Promise<IngestionJob> => {
      const status = states[Math.min(jobs.gets, states.length - 1)] ?? 'COMPLETE';
      jobs.gets += 1;
      return { ingestionJobId: id, status, ...(jobs.gets >= states.length ? last : {}) };
    },
  };
  return jobs;
}

const documents = [
  { key: 'a.md', body: bytes('# A') },
  { key: 'a.md.metadata.json', body: bytes('{"metadataAttributes":{"category":"x"}}') },
  { key: 'guides/b.md', body: bytes('# B') },
  { key: '.DS_Store', body: bytes('junk') },
];

describe('kb:sync', () => {
  it('uploads documents and sidecars, deletes what left the folder, and waits for a complete ingestion', async () => {
    const store = fakeStore(['a.md', 'removed.md', 'removed.md.metadata.json']);
    const jobs = fakeJobs(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETE'], {
      statistics: {
        numberOfDocumentsScanned: 2,
        numberOfNewDocumentsIndexed: 1,
        numberOfDocumentsDeleted: 1,
      },
    });
    const lines: string[] = [];
    const waits: number[] = [];

    const report = await syncKnowledgeBase({
      documents,
      store,
      jobs,
      onProgress: (line) => lines.push(line),
      pollMs: 10,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });

    expect([...store.objects.keys()].sort()).toEqual(['a.md', 'a.md.metadata.json', 'guides/b.md']);
    expect(store.objects.get('a.md')).toBe('# A');
    expect(report).toMatchObject({ uploaded: 3, deleted: 2, job: { status: 'COMPLETE' } });
    expect(jobs.gets).toBe(3);
    expect(waits).toEqual([10, 10, 10]);
    expect(lines[0]).toBe('uploaded 1/3  a.md');
    expect(lines).toContain('deleted 2 object(s) no longer in the folder');
    expect(lines.at(-1)).toMatch(/JOB1234567 COMPLETE {2}\(2 scanned, 1 new, 0 modified, 0 failed\)/);
    expect(formatStatistics(report.job.statistics)).toMatch(
      /documents scanned\s+2\n.*\n\s+new documents indexed\s+1/,
    );
  });

  it('reports a failed job with its reasons as a typed error', async () => {
    const jobs = fakeJobs(['FAILED'], { failureReasons: ['AccessDenied on s3://bucket/a.md'] });

    const failure = syncKnowledgeBase({ documents, store: fakeStore(), jobs, sleep: async () => {} });

    await expect(failure).rejects.toBeInstanceOf(IngestionFailedError);
    await expect(failure).rejects.toThrow(
      'Ingestion job JOB1234567 ended FAILED: AccessDenied on s3://bucket/a.md',
    );
  });

  it('stops waiting at the deadline and says the job is still running', async () => {
    let clock = 0;
    const failure = syncKnowledgeBase({
      documents,
      store: fakeStore(),
      jobs: fakeJobs(['IN_PROGRESS']),
      pollMs: 1_000,
      deadlineMs: 3_000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });

    await expect(failure).rejects.toThrow('Ingestion job JOB1234567 is still IN_PROGRESS; stopped waiting.');
  });

  it('refuses a folder without a document to ingest, before touching the bucket', async () => {
    const store = fakeStore(['keep.md']);

    await expect(
      syncKnowledgeBase({ documents: [{ key: 'notes.json', body: bytes('{}') }], store, jobs: fakeJobs([]) }),
    ).rejects.toThrow(/no document to ingest/);
    expect([...store.objects.keys()]).toEqual(['keep.md']);
  });
});
