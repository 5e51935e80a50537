import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';

export interface JsonSyntaxError {
  readonly line: number;
  readonly column: number;
  /** The parser's name for the problem, e.g. `CommaExpected`. */
  readonly reason: string;
}

/**
 * Parses strict JSON (no comments, no trailing commas), or reports where the first syntax error is:
 * `JSON.parse` in Node.js 20 does not always give a position.
 */
export function parseStrictJson(text: string): { value: unknown } | { error: JsonSyntaxError } {
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length === 0) return { value };
  const [first] = errors;
  const before = text.slice(0, first.offset).split('\n');
  return { error: { line: before.length, column: before[before.length - 1].length + 1, reason: printParseErrorCode(first.error) } };
}
