/** How the app gets a token for `$connect`, whoever issues it. */
export interface SignIn {
  /** Who is signed in, for the header. */
  readonly user: string | undefined;
  /** A valid token; may navigate away to sign in (and then never resolves). */
  getToken(): Promise<string>;
  /** Finishes a sign-in the browser just came back from, if any. */
  completeSignIn?(): Promise<void>;
  signOut?(): void;
}
