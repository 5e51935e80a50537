import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** Where a JSON input goes wrong, what is wrong, and what to do about it. */
export interface JsonProblem {
  readonly line: number;
  readonly column: number;
  /** What is wrong, e.g. `duplicate key "name" (first at line 2, column 3)`. */
  readonly problem: string;
  /** What to do about it, without the `Fix:` prefix. */
  readonly fix: string;
}

/**
 * Deepest nesting of objects and arrays accepted. Config files nest about 5 levels and Terraform plans
 * a few dozen; the limit keeps a hostile or broken file from exhausting the call stack.
 */
export const MAX_JSON_DEPTH = 256;

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Byte order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE). */
const OTHER_BOMS: ReadonlyArray<[string, readonly number[]]> = [
  ['UTF-32', [0xff, 0xfe, 0x00, 0x00]],
  ['UTF-32', [0x00, 0x00, 0xfe, 0xff]],
  ['UTF-16', [0xff, 0xfe]],
  ['UTF-16', [0xfe, 0xff]],
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, i) => bytes[i] === byte);
}

function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function problemAt(text: string, offset: number, problem: string, fix: string): { error: JsonProblem } {
  return { error: { ...positionAt(text, offset), problem, fix } };
}

const SAVE_AS_UTF8 = 'save the file as UTF-8 (without a byte order mark, or with the UTF-8 one)';

/** The text of a JSON file: UTF-8, with or without a byte order mark; other encodings are named. */
function decode(bytes: Uint8Array): { text: string } | { error: JsonProblem } {
  if (startsWith(bytes, UTF8_BOM)) bytes = bytes.subarray(UTF8_BOM.length);
  else {
    const other = OTHER_BOMS.find(([, bom]) => startsWith(bytes, bom));
    if (other) return { error: { line: 1, column: 1, problem: `the file is ${other[0]} encoded`, fix: SAVE_AS_UTF8 } };
  }
  // JSON text never holds a NUL byte; UTF-16 without a byte order mark has one in every ASCII character.
  const nul = bytes.indexOf(0);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: { line: 1, column: 1, problem: 'the file is not UTF-8 encoded', fix: SAVE_AS_UTF8 } };
  }
  if (nul >= 0) {
    return problemAt(text, text.indexOf('\0'), 'the file holds NUL characters, as UTF-16 and binary files do', SAVE_AS_UTF8);
  }
  return { text };
}

/** The offset where nesting first exceeds `MAX_JSON_DEPTH`, found without recursion. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (char === '}' || char === ']') depth--;
  }
  return undefined;
}

class JsonValueProblem extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(problem);
  }
}

/**
 * Turns a syntax tree into a value, refusing what `JSON.parse` accepts silently: a repeated key (the
 * last one would win unseen), a `__proto__` key (it would set the object's prototype, so its fields
 * would pass for the object's own), and numbers too large for a double (they would become Infinity).
 */
function toValue(node: Node, text: string): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const seen = new Map<string, number>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        const key = keyNode.value as string;
        if (key === '__proto__') {
          throw new JsonValueProblem(keyNode.offset, 'the key "__proto__" is not allowed', 'remove it');
        }
        const first = seen.get(key);
        if (first !== undefined) {
          const { line, column } = positionAt(text, first);
          throw new JsonValueProblem(
            keyNode.offset,
            `duplicate key ${JSON.stringify(key)} (first at line ${line}, column ${column})`,
            'keep only one of them',
          );
        }
        seen.set(key, keyNode.offset);
        out[key] = toValue(valueNode, text);
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map((child) => toValue(child, text));
    case 'number':
      if (!Number.isFinite(node.value)) {
        throw new JsonValueProblem(
          node.offset,
          `the number ${text.slice(node.offset, node.offset + node.length)} is out of range`,
          `use a number between -${Number.MAX_VALUE} and ${Number.MAX_VALUE}`,
        );
      }
      return node.value as number;
    default:
      return node.value as unknown;
  }
}

/**
 * Parses strict JSON (no comments, no trailing commas) from text or a file's bytes, or reports where
 * the first problem is: `JSON.parse` in Node.js 20 does not always give a position, and it accepts
 * repeated keys, `__proto__` keys and out-of-range numbers without a word.
 */
export function parseStrictJson(input: string | Uint8Array): { value: unknown } | { error: JsonProblem } {
  let text: string;
  if (typeof input === 'string') text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  else {
    const decoded = decode(input);
    if ('error' in decoded) return decoded;
    text = decoded.text;
  }
  const deepAt = tooDeepAt(text);
  if (deepAt !== undefined) {
    return problemAt(
      text,
      deepAt,
      `nested more than ${MAX_JSON_DEPTH} levels deep`,
      `keep objects and arrays at most ${MAX_JSON_DEPTH} levels deep`,
    );
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || tree === undefined) {
    const [first] = errors;
    const reason = first ? printParseErrorCode(first.error) : 'ValueExpected';
    return problemAt(text, first?.offset ?? 0, `not valid JSON (${reason})`, 'correct the JSON syntax there');
  }
  try {
    return { value: toValue(tree, text) };
  } catch (error) {
    if (!(error instanceof JsonValueProblem)) throw error;
    return problemAt(text, error.offset, error.problem, error.fix);
  }
}
