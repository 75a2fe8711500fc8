import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { z } from 'zod';
import { InvalidFixtureFileError } from './errors.ts';

/** A JSON file checked against its schema, with the file (relative to the working directory) it came from. */
export function readJsonFile<Schema extends z.ZodType>(
  path: string,
  schema: Schema,
): z.output<Schema> & { file: string } {
  const file = relative(process.cwd(), path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidFixtureFileError(file, (error as Error).message, error);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`,
    );
    throw new InvalidFixtureFileError(file, problems.join('; '));
  }
  return { ...(parsed.data as object), file } as z.output<Schema> & { file: string };
}
