import type { ServiceShapes, Shape } from './service-shapes.ts';

/** What a request broke, in Bedrock's (Coral's) wording, or the JSON type it got wrong. */
export interface ShapeProblems {
  /** `Value '0' at 'inferenceConfig.maxTokens' failed to satisfy constraint: …`, in member order. */
  violations: string[];
  /** A value of the wrong JSON type (a string where a number goes): Bedrock answers SerializationException. */
  wrongType?: string;
}

/**
 * Shapes whose values Bedrock leaves out of its messages ("Value at '…toolUse.name'", not "Value 'x' at"):
 * conversation content is customer data. Observed in real errors: a tool name inside `messages` is omitted,
 * the same name under `toolConfig` and a `role` are quoted.
 */
const CONTENT_SHAPES = new Set(['ContentBlock', 'SystemContentBlock']);

/**
 * Values Bedrock sends itself that its model's enum leaves out, and so takes back. Converse answers an Anthropic
 * tool call with `toolUse.type: "tool_use"` (recorded: fixtures/conformance/vercel/issue-11363-stop-sequence-null.json)
 * while ToolUseType lists only `server_tool_use`; AWS's own tool-use example (Bedrock user guide, "Use a tool
 * to complete an Amazon Bedrock model response") appends that message unchanged to the next request.
 */
const RETURNED_ENUM_VALUES: Record<string, readonly string[]> = { ToolUseType: ['tool_use'] };

const patternCache = new Map<string, RegExp>();

/**
 * Checks a request against its operation's input shape the way the service's request validation does: required
 * members, string and collection lengths, number ranges, patterns (whole-value match, as Java's `matches`) and
 * enums. Members the model does not know are ignored, as the JSON protocol does; documents are not looked into.
 */
export function checkShape(service: ServiceShapes, shapeName: string, value: unknown): ShapeProblems {
  const problems: ShapeProblems = { violations: [] };
  visit(service, shapeName, value, '', false, problems);
  return problems;
}

/** "1 validation error detected: …" / "2 validation errors detected: …; …", as Bedrock words it. */
export function validationErrorMessage(violations: string[]): string {
  const count = violations.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${violations.join('; ')}`;
}

function visit(
  service: ServiceShapes,
  shapeName: string,
  value: unknown,
  path: string,
  opaqueAbove: boolean,
  problems: ShapeProblems,
): void {
  const shape = service.shapes[shapeName];
  if (!shape || value === undefined || value === null || shape.document) return;
  const opaque = opaqueAbove || shape.sensitive === true || CONTENT_SHAPES.has(shapeName);
  const fail = (constraint: string) =>
    problems.violations.push(
      `${describeValue(value, shape, opaque)} at '${path}' failed to satisfy constraint: ${constraint}`,
    );

  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) {
        wrongType(problems, path, 'structure');
        return;
      }
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const memberPath = path === '' ? name : `${path}.${name}`;
        const memberValue = value[name];
        if ((memberValue === undefined || memberValue === null) && shape.required?.includes(name)) {
          const memberOpaque = opaque || service.shapes[member.shape]?.sensitive === true;
          problems.violations.push(
            `${memberOpaque ? 'Value' : 'Value null'} at '${memberPath}' failed to satisfy constraint: Member must not be null`,
          );
          continue;
        }
        visit(service, member.shape, memberValue, memberPath, opaque, problems);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        wrongType(problems, path, 'list');
        return;
      }
      checkLength(shape, value.length, fail);
      value.forEach((item, index) => {
        visit(service, shape.member ?? '', item, `${path}.${index + 1}.member`, opaque, problems);
      });
      return;
    }
    case 'map': {
      if (!isObject(value)) {
        wrongType(problems, path, 'map');
        return;
      }
      checkLength(shape, Object.keys(value).length, fail);
      for (const [key, item] of Object.entries(value)) {
        visit(service, shape.value ?? '', item, `${path}.${key}`, opaque, problems);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        wrongType(problems, path, 'string');
        return;
      }
      checkLength(shape, [...value].length, fail);
      if (shape.pattern !== undefined && !wholeMatch(shape.pattern).test(value)) {
        fail(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum && !shape.enum.includes(value) && !RETURNED_ENUM_VALUES[shapeName]?.includes(value)) {
        fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      if (typeof value !== 'number') {
        wrongType(problems, path, 'number');
        return;
      }
      if (shape.min !== undefined && value < shape.min)
        fail(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max)
        fail(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') wrongType(problems, path, 'boolean');
      return;
    default:
      return;
  }
}

function checkLength(shape: Shape, length: number, fail: (constraint: string) => void) {
  if (shape.min !== undefined && length < shape.min)
    fail(`Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max)
    fail(`Member must have length less than or equal to ${shape.max}`);
}

function wrongType(problems: ShapeProblems, path: string, expected: string) {
  problems.wrongType ??= `Expected a ${expected} at '${path}'.`;
}

/** How Coral quotes a value: Java's toString (floats keep a ".0", lists are "[a, b]"). */
function describeValue(value: unknown, shape: Shape, opaque: boolean): string {
  if (opaque) return 'Value';
  return `Value '${javaString(value, shape.type)}'`;
}

function javaString(value: unknown, type: string): string {
  if (typeof value === 'number') {
    return (type === 'float' || type === 'double') && Number.isInteger(value) ? `${value}.0` : String(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => javaString(item, '')).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Java's `String.matches`: the whole value must match. */
function wholeMatch(pattern: string): RegExp {
  let compiled = patternCache.get(pattern);
  if (!compiled) {
    compiled = new RegExp(`^(?:${pattern})$`, 'u');
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
