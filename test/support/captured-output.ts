import { vi } from 'vitest';

/**
 * Captures what Powertools writes (JSON log lines, warnings and errors on stderr, EMF metric blobs) while
 * `work` runs, and returns the lines parsed.
 */
export async function captureJsonLines(
  work: () => Promise<unknown>,
): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  try {
    await work();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return lines
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The EMF blobs among captured lines, each reduced to {metric: value} plus its dimensions. */
export function metricsIn(lines: Array<Record<string, unknown>>) {
  return lines
    .filter((line) => '_aws' in line)
    .map((line) => {
      const directive = (
        line._aws as {
          CloudWatchMetrics: Array<{
            Namespace: string;
            Dimensions: string[][];
            Metrics: Array<{ Name: string }>;
          }>;
        }
      ).CloudWatchMetrics[0];
      return {
        namespace: directive?.Namespace,
        dimensions: Object.fromEntries((directive?.Dimensions[0] ?? []).map((name) => [name, line[name]])),
        values: Object.fromEntries(
          (directive?.Metrics ?? []).map((metric) => [metric.Name, line[metric.Name]]),
        ),
      };
    });
}
