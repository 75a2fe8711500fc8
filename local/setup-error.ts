/**
 * Something about this machine that one line explains and the developer can fix (a missing Java or browser, a
 * port taken by another program). Its stack is that line alone: `npm run dev` prints it as is, and a test
 * setup that throws it shows the line, not a trace.
 */
export class SetupError extends Error {
  override readonly name = 'SetupError';

  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
