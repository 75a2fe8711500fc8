/** Typed failures of the emulator and the recorder; each names what to fix. */

/** A fault name or value that does not exist (header, directive, fixture field or EMULATOR_FAULT). */
export class UnknownFaultError extends Error {
  override readonly name = 'UnknownFaultError';
}

/** EMULATOR_* variables that do not make sense. */
export class InvalidEmulatorConfigError extends Error {
  override readonly name = 'InvalidEmulatorConfigError';
}

/** An `x-emulator-pacing` header that is not a non-negative number. */
export class InvalidPacingError extends Error {
  override readonly name = 'InvalidPacingError';
}

/** A fixture or scenario file that does not follow its format. */
export class InvalidFixtureFileError extends Error {
  override readonly name = 'InvalidFixtureFileError';
  constructor(
    readonly file: string,
    problems: string,
    cause?: unknown,
  ) {
    super(`Invalid file ${file}: ${problems}`, { cause });
  }
}

/** Bytes that are not a well-formed AWS event stream. */
export class MalformedEventStreamError extends Error {
  override readonly name = 'MalformedEventStreamError';
  constructor(detail: string, cause?: unknown) {
    super(`Malformed event stream: ${detail}`, { cause });
  }
}

/** A recording that could not be captured faithfully; nothing is written. */
export class RecordingError extends Error {
  override readonly name = 'RecordingError';
}
