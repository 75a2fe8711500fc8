/** Typed failures of the emulator; each names what to fix. (The recorder's are in recorder/errors.ts.) */

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
