/**
 * Renders Terraform JSON configuration (what cdktf synthesizes) as idiomatic HCL: bare references,
 * nested blocks as blocks (from the provider schema), aligned `=` as `terraform fmt` writes them.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Which keys of a resource or data source are nested blocks: dotted paths, e.g. `rule.filter`. */
export type BlockPaths = ReadonlySet<string>;

const INDENT = '  ';
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * The index of the first character from `start` that lies outside quoted strings, at depth 0 of
 * the given bracket pairs (e.g. `"{}"`), and satisfies `stop`; -1 if there is none.
 */
function scanTopLevel(text: string, start: number, brackets: string, stop: (c: string) => boolean): number {
  let depth = 0;
  let inString = false;
  for (let j = start; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
    } else if (depth === 0 && stop(c)) return j;
    else if (c === '"') inString = true;
    else if (brackets.includes(c)) depth += '([{'.includes(c) ? 1 : -1;
  }
  return -1;
}

/** The index of the `}` that closes the `${` (or `{`) whose body starts at `start`. */
function closingBrace(text: string, start: number): number {
  const end = scanTopLevel(text, start, '{}', (c) => c === '}');
  if (end < 0) throw new Error(`unbalanced interpolation in ${JSON.stringify(text)}`);
  return end;
}

/** Splits `a${b}c` into literal and interpolation parts, honouring nested braces and quotes. */
function templateParts(text: string): Array<{ literal: string } | { expression: string }> {
  const parts: Array<{ literal: string } | { expression: string }> = [];
  let i = 0;
  let literal = '';
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const end = closingBrace(text, i + 2);
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ expression: text.slice(i + 2, end) });
      i = end + 1;
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal) parts.push({ literal });
  return parts;
}

/** HCL's binary and conditional operators and their precedence (higher binds tighter). */
const BINARY_OPERATOR = /^(\?|:|\|\||&&|==|!=|<=|>=|<|>|\+|-|\*|\/|%)/;
const PRECEDENCE: Readonly<Record<string, number>> = {
  '?': 0,
  ':': 0,
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '>=': 3,
  '<': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};
/** Unary `!` and `-` bind tighter than any binary operator. */
const UNARY = 6;
/** An operand ends here: what precedes a binary (not a unary) `-`. */
const OPERAND_END = /[\w)\]"]\s*$/;

/** The precedence of the loosest top-level operator of an expression; Infinity for a plain operand. */
function loosestOperator(expression: string): number {
  let loosest = Infinity;
  for (let j = 0; (j = scanTopLevel(expression, j, '()[]{}', (c) => '?:|&=!<>+-*/%'.includes(c))) >= 0;) {
    const operator = BINARY_OPERATOR.exec(expression.slice(j))?.[0];
    const binary = operator !== undefined && (operator !== '-' || OPERAND_END.test(expression.slice(0, j)));
    if (binary) loosest = Math.min(loosest, PRECEDENCE[operator]);
    j += binary ? operator.length : 1;
  }
  return loosest;
}

/** The precedence of the operator that an operand placed after `before` and before `after` meets. */
function neighbourPrecedence(before: string, after: string): number {
  const trimmed = before.trimEnd();
  // `=>` of a for expression separates, like a comma.
  const previous = trimmed.endsWith('=>') ? undefined : /(\|\||&&|==|!=|<=|>=|[?:<>+*/%!-])$/.exec(trimmed)?.[0];
  const unary = previous === '!' || (previous === '-' && !OPERAND_END.test(trimmed.slice(0, -1)));
  const next = BINARY_OPERATOR.exec(after.trimStart())?.[0];
  return Math.max(previous === undefined ? -1 : unary ? UNARY : PRECEDENCE[previous], next === undefined ? -1 : PRECEDENCE[next]);
}

/**
 * Composed tokens leave interpolations inside expressions (`concat(${a}, [b])`), which HCL does
 * not allow: outside string literals, `${x}` becomes `x`, in parentheses only where the operators
 * around it bind tighter than its own.
 */
function unwrapNested(expression: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (expression.startsWith('${', i)) {
      const end = closingBrace(expression, i + 2);
      const inner = unwrapNested(expression.slice(i + 2, end).trim());
      const parenthesize = loosestOperator(inner) <= neighbourPrecedence(out, expression.slice(end + 1));
      out += inString ? `\${${inner}}` : parenthesize ? `(${inner})` : inner;
      i = end;
    } else if (inString && c === '\\') {
      out += c + (expression[i + 1] ?? '');
      i++;
    } else {
      if (c === '"') inString = !inString;
      out += c;
    }
  }
  return out;
}

function escapeLiteral(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/%\{/g, '%%{');
}

export interface RenderContext {
  /** Rewrites references inside an expression (renamed resources). */
  readonly rewrite: (expression: string) => string;
  /** Block paths by resource type, and for data sources under `data.<type>`. */
  readonly blocks: (kind: 'resource' | 'data', type: string) => BlockPaths;
}

/** Expressions as they are, and no nested blocks: for hand-built configuration such as examples. */
export const AS_IS: RenderContext = { rewrite: (expression) => expression, blocks: () => new Set() };

/** A string as an HCL expression: a bare expression when it is one interpolation, else a template. */
export function renderString(text: string, context: RenderContext): string {
  const parts = templateParts(text);
  const expression = (text: string) => context.rewrite(unwrapNested(text.trim()));
  if (parts.length === 1 && 'expression' in parts[0]) return expression(parts[0].expression);
  return `"${parts.map((p) => ('literal' in p ? escapeLiteral(p.literal) : `\${${expression(p.expression)}}`)).join('')}"`;
}

function renderKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** An attribute value. Short lists stay on one line; objects and long lists span lines. */
export function renderValue(value: Json, indent: string, context: RenderContext): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return renderString(value, context);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item) => renderValue(item, indent + INDENT, context));
    const oneLine = `[${items.join(', ')}]`;
    if (!items.some((item) => item.includes('\n')) && oneLine.length + indent.length <= 100) return oneLine;
    return `[\n${items.map((item) => `${indent}${INDENT}${item},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${alignedLines(
    entries.map(([k, v]) => [renderKey(k), renderValue(v, indent + INDENT, context)]),
    indent + INDENT,
  ).join('\n')}\n${indent}}`;
}

/** A value as HCL on one line, for a table cell: `{ max_capacity = 16, min_capacity = 0.5 }`. */
export function renderInlineValue(value: Json, context: RenderContext): string {
  if (value === null || typeof value !== 'object') return renderValue(value, '', context);
  if (Array.isArray(value)) return `[${value.map((item) => renderInlineValue(item, context)).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${renderKey(k)} = ${renderInlineValue(v, context)}`).join(', ')} }`;
}

/**
 * `name = value` lines with the `=` of consecutive single-line arguments aligned, as
 * `terraform fmt` does; an argument whose value spans lines is not aligned with its neighbours.
 */
function alignedLines(pairs: Array<[string, string]>, indent: string): string[] {
  const lines: string[] = [];
  let run: Array<[string, string]> = [];
  const flush = () => {
    const width = Math.max(...run.map(([name]) => name.length));
    for (const [name, value] of run) lines.push(`${indent}${name.padEnd(width)} = ${value}`);
    run = [];
  };
  for (const [name, value] of pairs) {
    if (value.includes('\n')) {
      // A value over several lines stands alone: the lines before and after align among themselves.
      if (run.length > 0) flush();
      lines.push(`${indent}${name} = ${value}`);
    } else {
      run.push([name, value]);
    }
  }
  if (run.length > 0) flush();
  return lines;
}

const META_FIRST = ['count', 'for_each', 'provider'];
const META_LAST = ['lifecycle', 'depends_on'];
/** Arguments kept apart after the others, as terraform-aws-modules does: a reader looks for them there. */
const TAG_ARGUMENTS = ['tags', 'tags_all'];

function renderMetaValue(key: string, value: Json, indent: string, context: RenderContext): string {
  if (key === 'provider' && typeof value === 'string') return value;
  if (key === 'depends_on' && Array.isArray(value)) {
    return renderValue(
      value.map((ref) => `\${${ref as string}}`),
      indent,
      context,
    );
  }
  return renderValue(value, indent, context);
}

function renderLifecycle(value: JsonObject, indent: string, context: RenderContext): string {
  const conditions = ['precondition', 'postcondition'];
  const pairs = Object.entries(value)
    .filter(([key]) => !conditions.includes(key))
    .map(([key, v]): [string, string] => [
      key,
      key === 'ignore_changes' && Array.isArray(v) ? `[${v.map(String).join(', ')}]` : renderValue(v, indent + INDENT, context),
    ]);
  const sections = pairs.length > 0 ? [alignedLines(pairs, indent + INDENT).join('\n')] : [];
  for (const key of conditions) {
    for (const check of (value[key] ?? []) as JsonObject[])
      sections.push(renderBlock([key], check, '', new Set(), indent + INDENT, context));
  }
  return `${indent}lifecycle {\n${sections.join('\n\n')}\n${indent}}`;
}

/**
 * A `dynamic` block. cdktf names every iterator `each`; HCL reads better with the block's own name
 * (`rule.value`), which is the default when `iterator` is left out.
 */
function renderDynamic(
  name: string,
  spec: JsonObject,
  path: string,
  blockPaths: BlockPaths,
  indent: string,
  context: RenderContext,
): string {
  const blockPath = path ? `${path}.${name}` : name;
  const { content, iterator, ...settings } = spec;
  const renamed: RenderContext =
    iterator === undefined
      ? context
      : {
          ...context,
          rewrite: (expression) =>
            context.rewrite(expression.replace(new RegExp(`\\b${iterator as string}\\.(key|value)\\b`, 'g'), `${name}.$1`)),
        };
  const head = alignedLines(
    Object.entries(settings).map(([k, v]) => [k, renderValue(v, indent + INDENT, context)]),
    indent + INDENT,
  ).join('\n');
  const inner = renderBlock(['content'], content as JsonObject, blockPath, blockPaths, indent + INDENT, renamed);
  return `${indent}dynamic ${JSON.stringify(name)} {\n${head}\n\n${inner}\n${indent}}`;
}

/**
 * The body of a resource, data source or nested block: meta-arguments first, then arguments, then
 * `tags` (and `tags_all`), then nested blocks, then `lifecycle` and `depends_on`.
 */
export function renderBody(body: JsonObject, path: string, blockPaths: BlockPaths, indent: string, context: RenderContext): string {
  const sections: string[] = [];
  const keys = Object.keys(body).filter((key) => key !== '//');
  const isBlock = (key: string) => blockPaths.has(path ? `${path}.${key}` : key);

  const first = META_FIRST.filter((key) => key in body).map((key): [string, string] => [
    key,
    renderMetaValue(key, body[key], indent, context),
  ]);
  if (first.length > 0) sections.push(alignedLines(first, indent).join('\n'));

  const plain = keys.filter((key) => !META_FIRST.includes(key) && !META_LAST.includes(key) && key !== 'dynamic' && !isBlock(key));
  for (const group of [plain.filter((key) => !TAG_ARGUMENTS.includes(key)), TAG_ARGUMENTS.filter((key) => plain.includes(key))]) {
    const pairs = group.map((key): [string, string] => [key, renderValue(body[key], indent, context)]);
    if (pairs.length > 0) sections.push(alignedLines(pairs, indent).join('\n'));
  }

  for (const key of keys.filter((k) => !META_FIRST.includes(k) && !META_LAST.includes(k) && k !== 'dynamic' && isBlock(k))) {
    const value = body[key];
    const instances = (Array.isArray(value) ? value : [value]) as JsonObject[];
    for (const instance of instances)
      sections.push(renderBlock([key], instance, path ? `${path}.${key}` : key, blockPaths, indent, context));
  }

  const dynamic = (body.dynamic ?? {}) as { [name: string]: JsonObject | JsonObject[] };
  for (const [name, specs] of Object.entries(dynamic)) {
    for (const spec of Array.isArray(specs) ? specs : [specs]) sections.push(renderDynamic(name, spec, path, blockPaths, indent, context));
  }

  if (body.lifecycle) sections.push(renderLifecycle(body.lifecycle as JsonObject, indent, context));
  if (body.depends_on)
    sections.push(alignedLines([['depends_on', renderMetaValue('depends_on', body.depends_on, indent, context)]], indent).join('\n'));
  return sections.join('\n\n');
}

/** `labels { body }` at `indent`, e.g. `resource "aws_vpc" "this" { ... }`. */
export function renderBlock(
  labels: string[],
  body: JsonObject,
  path: string,
  blockPaths: BlockPaths,
  indent: string,
  context: RenderContext,
): string {
  const [keyword, ...rest] = labels;
  const head = [keyword, ...rest.map((label) => JSON.stringify(label))].join(' ');
  const inner = renderBody(body, path, blockPaths, indent + INDENT, context);
  return inner ? `${indent}${head} {\n${inner}\n${indent}}` : `${indent}${head} {}`;
}
