import type { ToolRegistry } from './registry.ts';

/**
 * A registry with `extra`'s tools added to `base`'s: for tools bound to one request (the handoff tool knows its
 * session and user), while the container's registry is built once.
 */
export function withTools(base: ToolRegistry, extra: ToolRegistry): ToolRegistry {
  const extraNames = new Set(extra.specs.map((spec) => spec.name));
  const registryFor = (name: string) => (extraNames.has(name) ? extra : base);
  return {
    specs: [...base.specs.filter((spec) => !extraNames.has(spec.name)), ...extra.specs],
    statusFor: (name) => registryFor(name).statusFor(name),
    run: (call, signal, context) => registryFor(call.name).run(call, signal, context),
  };
}
