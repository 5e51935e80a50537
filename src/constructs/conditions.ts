import { Fn, Token, type IResolvable, type TerraformElement, type TerraformResource } from 'cdktf';

/**
 * Whether something exists: known at synthesis (the stacks), or a token for a Terraform boolean
 * expression (an HCL module's inputs), which the helpers here turn into `count` and `dynamic`.
 */
export type Condition = boolean | IResolvable;

/**
 * A value as a Terraform expression: a token as its own expression (a token stands for the whole
 * value, never part of a string), `undefined` as `null`, a list item by item, anything else as
 * its JSON literal.
 */
function expression(value: unknown): string {
  if (Token.isUnresolved(value)) return Token.asString(value);
  if (value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(expression).join(',')}]`;
  return JSON.stringify(value);
}

/**
 * The expressions of the number tokens `tokenFor` made, without their `${}`: arithmetic on such a
 * number writes it in parentheses, since cdktf would leave its `${}` inside the outer expression.
 */
const bareNumbers = new Map<number, string>();

/** An operand of arithmetic: a number computed here in parentheses, anything else as its expression. */
function arithmeticOperand(value: number): string {
  const bare = bareNumbers.get(value);
  return bare === undefined ? expression(value) : `(${bare})`;
}

/** The expressions of the condition tokens `tokenFor` made, without their `${}`. */
const bareExpressions = new WeakMap<object, string>();

/**
 * A token for a Terraform expression, of the kind `like` is (a string, a number, a list, or
 * anything else), so it can stand where such a value goes.
 */
function tokenFor<T>(hcl: string, like: unknown): T {
  const interpolation = `\${${hcl}}`;
  if (typeof like === 'string') return interpolation as T;
  if (typeof like === 'number') {
    const token = Token.asNumber(interpolation);
    bareNumbers.set(token, hcl);
    return token as T;
  }
  if (Array.isArray(like)) return Token.asList(interpolation) as T;
  const token = Token.asAny(interpolation);
  bareExpressions.set(token, hcl);
  return token as T;
}

/**
 * A condition as an expression to write inside another one (a `for` expression's `if`): without the
 * `${}` that cdktf leaves in place when a token's own interpolation sits inside a string.
 */
export function bareExpression(condition: Condition): string {
  return (typeof condition === 'object' && bareExpressions.get(condition)) || expression(condition);
}

/** The conditions that `and` made, which `or` parenthesizes so a mix of both reads unambiguously. */
const conjunctions = new WeakSet<object>();

/** The opposites of the comparisons made here, which `not` gives instead of `!(...)`. */
const opposites = new WeakMap<object, string>();

/** A token for the comparison `hcl`, whose opposite is `opposite`. */
function comparison(hcl: string, opposite: string): IResolvable {
  const token = tokenFor<IResolvable>(hcl, true);
  opposites.set(token, opposite);
  return token;
}

/** `!condition`, or the opposite comparison (`a == b` for `a != b`). */
export function not(condition: Condition): Condition {
  if (!Token.isUnresolved(condition)) return !condition;
  const opposite = opposites.get(condition as IResolvable);
  return opposite ? comparison(opposite, bareExpression(condition)) : tokenFor(`!(${expression(condition)})`, true);
}

/** `a && b`; a literal operand decides or drops out. */
export function and(a: Condition, b: Condition): Condition {
  if (!Token.isUnresolved(a) && !Token.isUnresolved(b)) return a && b;
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  const conjunction = tokenFor<IResolvable>(`${expression(a)} && ${expression(b)}`, true);
  conjunctions.add(conjunction);
  return conjunction;
}

/** `a || b`; an `and` among them in parentheses. */
export function or(a: Condition, b: Condition): Condition {
  if (!Token.isUnresolved(a) && !Token.isUnresolved(b)) return a || b;
  const operand = (c: Condition) => (typeof c === 'object' && conjunctions.has(c) ? `(${expression(c)})` : expression(c));
  return tokenFor(`${operand(a)} || ${operand(b)}`, true);
}

/** Whether a string is `expected`: `value == expected` when either is a token (`!=` under `not`). */
export function equals(value: string, expected: string): Condition {
  if (!Token.isUnresolved(value) && !Token.isUnresolved(expected)) return value === expected;
  return comparison(`${expression(value)} == ${expression(expected)}`, `${expression(value)} != ${expression(expected)}`);
}

/** Whether a string is not `expected`: `value != expected` when either is a token (`==` under `not`). */
export function differs(value: string, expected: string): Condition {
  return not(equals(value, expected));
}

/** Whether an optional value is set: `value != null` for a token (`value == null` under `not`). */
export function isSet(value: unknown): Condition {
  return Token.isUnresolved(value) ? comparison(`${expression(value)} != null`, `${expression(value)} == null`) : value !== undefined;
}

/** Whether a list has items: `length(values) > 0` for a token. */
export function isNotEmpty(values: readonly unknown[]): Condition {
  return Token.isUnresolved(values) ? tokenFor(`length(${expression(values)}) > 0`, true) : values.length > 0;
}

/**
 * `whenTrue` or `whenFalse` by the condition, of any type (`undefined` is Terraform's `null`): a
 * conditional expression for a token, of the kind of the values.
 */
export function choose<T>(condition: Condition, whenTrue: T, whenFalse: T): T {
  if (!Token.isUnresolved(condition)) return condition ? whenTrue : whenFalse;
  return tokenFor<T>(`${expression(condition)} ? ${expression(whenTrue)} : ${expression(whenFalse)}`, whenTrue ?? whenFalse);
}

/** `values` when the condition holds, else an empty list. */
export function listIf<T>(condition: Condition, values: readonly T[]): T[] {
  return choose<T[]>(condition, [...values], []);
}

/** The lists one after another: `concat(...)` when one of them is a token. */
export function concat<T>(...lists: ReadonlyArray<readonly T[]>): T[] {
  if (!lists.some((list) => Token.isUnresolved(list))) return lists.flatMap((list) => [...list]);
  return tokenFor<T[]>(`concat(${lists.map(expression).join(', ')})`, []);
}

/** `value` with every `search` replaced by `replacement`: Terraform's `replace` for a token. */
export function replaceAll(value: string, search: string, replacement: string): string {
  return Token.isUnresolved(value) ? Fn.replace(value, search, replacement) : value.split(search).join(replacement);
}

/**
 * A string that a call of a Terraform function returns, its arguments literals or tokens: for a
 * function of values known only after apply (`cidrsubnet` of a VPC's IPv6 block). Unlike cdktf's
 * `Fn`, it takes arguments that are expressions built by hand (`computedNumber`).
 */
export function call(name: string, ...args: readonly unknown[]): string {
  return tokenFor(`${name}(${args.map(expression).join(', ')})`, '');
}

/** `value * factor`: the product for a known number, a Terraform multiplication for a token. */
export function times(value: number, factor: number): number {
  return Token.isUnresolved(value) || Token.isUnresolved(factor)
    ? tokenFor<number>(`${arithmeticOperand(value)} * ${arithmeticOperand(factor)}`, 0)
    : value * factor;
}

/** `value + addend`: the sum for known numbers, a Terraform addition for a token. */
export function plus(value: number, addend: number): number {
  return Token.isUnresolved(value) || Token.isUnresolved(addend)
    ? tokenFor<number>(`${arithmeticOperand(value)} + ${arithmeticOperand(addend)}`, 0)
    : value + addend;
}

/** `value / divisor` rounded up: `Math.ceil` for known numbers, Terraform's `ceil` for a token. */
export function dividedRoundingUp(value: number, divisor: number): number {
  return Token.isUnresolved(value) || Token.isUnresolved(divisor)
    ? tokenFor<number>(`ceil(${arithmeticOperand(value)} / ${arithmeticOperand(divisor)})`, 0)
    : Math.ceil(value / divisor);
}

/** A number as text inside a string: its digits when known, the token's interpolation otherwise. */
export function numberText(value: number): string {
  return Token.isUnresolved(value) ? Token.asString(value) : String(value);
}

/** The arithmetic above, for a planning function that computes with numbers that may be tokens. */
export const terraformArithmetic = {
  isKnown: (value: number) => !Token.isUnresolved(value),
  times,
  plus,
  dividedRoundingUp,
  text: numberText,
};

/**
 * A number that a Terraform expression computes, for an expression built outside the constructs
 * (the subnet plan's IPv6 netnum over `each.key`).
 */
export function computedNumber(hcl: string): number {
  return tokenFor<number>(hcl, 0);
}

/**
 * Creates a resource when `enabled`: decided at synthesis for a boolean, or by `count` (0 or 1)
 * for a token. Pass `count` on to the resource.
 */
export function optional<R>(enabled: Condition, create: (count: number | undefined) => R): R | undefined {
  if (!Token.isUnresolved(enabled)) return enabled ? create(undefined) : undefined;
  return create(choose(enabled, 1, 0));
}

/**
 * An attribute of a resource that `optional` created: with `count`, of its one instance (refer to it
 * only where the same condition holds).
 */
export function attributeOf(resource: TerraformResource, attribute: string): string {
  return resource.count === undefined ? resource.getStringAttribute(attribute) : Token.asString(`\${${resource.fqn}[0].${attribute}}`);
}

/** The `for_each` of a block that exists only when a token condition holds. */
function presence(enabled: Condition): string | number[] {
  if (!Token.isUnresolved(enabled)) return enabled ? [1] : [];
  return `\${${expression(enabled)} ? [1] : []}`;
}

/**
 * Makes nested blocks of a block's Terraform JSON optional: with a token `enabled`, each block at
 * `paths` (dotted, e.g. `destination.metrics`) becomes a `dynamic` block over `[1]` or `[]`.
 */
export function optionalBlocks(json: Record<string, unknown>, enabled: Condition, paths: readonly string[]): Record<string, unknown> {
  if (!Token.isUnresolved(enabled)) return json;
  for (const blockPath of paths) {
    const parts = blockPath.split('.');
    const name = parts.pop()!;
    const parent = parts.reduce(
      (node, part) => node?.[part] as Record<string, unknown> | undefined,
      json as Record<string, unknown> | undefined,
    );
    if (parent?.[name] === undefined) continue;
    const dynamic = (parent.dynamic ?? {}) as Record<string, unknown>;
    parent.dynamic = { ...dynamic, [name]: { for_each: presence(enabled), content: parent[name] } };
    delete parent[name];
  }
  return json;
}

/**
 * Nested blocks of one type, each present only when its condition holds: the present ones are
 * returned for the resource's configuration when every condition is a literal; otherwise all go on
 * `element` as `dynamic` blocks over `[1]` or `[]` and none are returned.
 */
export function conditionalBlocks<B>(
  element: TerraformElement,
  blockType: string,
  blocks: ReadonlyArray<{ readonly when: Condition; readonly block: B }>,
  toTerraform: (block: B) => unknown,
): B[] {
  if (!blocks.some(({ when }) => Token.isUnresolved(when))) return blocks.filter(({ when }) => when).map(({ block }) => block);
  element.addOverride(
    `dynamic.${blockType}`,
    blocks.map(({ when, block }) => ({ for_each: presence(when), content: toTerraform(block) })),
  );
  return [];
}
