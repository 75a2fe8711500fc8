/** Typed failures of the fixture recorder; each names what to fix. */

/** A recording that could not be captured faithfully; nothing is written. */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}
