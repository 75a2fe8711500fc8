/** The one js-yaml function the conformance suite uses (js-yaml ships no types of its own). */
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
