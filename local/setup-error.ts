/**
 * Something about this machine that one line explains and the developer can fix (a missing Java or browser, a
 * port taken by another program). `npm run dev` and the test setup print its message alone, without a stack.
 */
export class SetupError extends Error {
  override readonly name = 'SetupError';
}
