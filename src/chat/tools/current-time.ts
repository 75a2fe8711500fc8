import * as z from 'zod/mini';
import type { Clock } from '../ports.ts';
import type { Tool } from './registry.ts';

const input = z.object({
  timeZone: z._default(
    z
      .string()
      .check(
        z.refine(isTimeZone, 'must be an IANA time zone such as "Europe/Paris" or "UTC"'),
        z.describe('IANA time zone name, e.g. "America/New_York". Defaults to UTC.'),
      ),
    'UTC',
  ),
});

/** `current_time`: the time now in an IANA time zone. */
export function createCurrentTimeTool(clock: Clock): Tool<z.infer<typeof input>> {
  return {
    name: 'current_time',
    description:
      'Get the current date and time in a given IANA time zone. Use it whenever the answer depends on today or now.',
    input,
    status: 'Checking the time…',
    async run({ timeZone }) {
      const now = new Date(clock.now());
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        dateStyle: 'full',
        timeStyle: 'long',
      }).format(now);
      return { timeZone, iso: now.toISOString(), local, utcOffset: utcOffset(now, timeZone) };
    },
  };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** "+05:30" style offset of `timeZone` at `date`. */
function utcOffset(date: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(date)
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = part?.replace('GMT', '') ?? '';
  return offset === '' ? '+00:00' : offset;
}
