import { Token, type IResolvable, type TerraformElement, type TerraformResource } from 'cdktf';

/**
 * Whether something exists: known at synthesis (the stacks), or a token for a Terraform boolean
 * expression (an HCL module's inputs), which the helpers here turn into `count` and `dynamic`.
 */
export type Condition = boolean | IResolvable;

/** A condition as a Terraform expression, for a token of one. */
function expression(condition: Condition): string {
  return Token.isUnresolved(condition) ? Token.asString(condition) : String(condition);
}

/** `!condition`. */
export function not(condition: Condition): Condition {
  return Token.isUnresolved(condition) ? Token.asAny(`\${!(${expression(condition)})}`) : !condition;
}

/** `a && b`. */
export function and(a: Condition, b: Condition): Condition {
  if (!Token.isUnresolved(a) && !Token.isUnresolved(b)) return a && b;
  return Token.asAny(`\${${expression(a)} && ${expression(b)}}`);
}

/** Whether a string is not `expected`: `value != "expected"` for a token. */
export function differs(value: string, expected: string): Condition {
  return Token.isUnresolved(value) ? Token.asAny(`\${${value} != ${JSON.stringify(expected)}}`) : value !== expected;
}

/** Whether an optional value is set: `value != null` for a token. */
export function isSet(value: unknown): Condition {
  return Token.isUnresolved(value) ? Token.asAny(`\${${Token.asString(value)} != null}`) : value !== undefined;
}

/** `whenTrue` or `whenFalse` by the condition: a conditional expression for a token. */
export function choose(condition: Condition, whenTrue: string, whenFalse: string): string {
  if (!Token.isUnresolved(condition)) return condition ? whenTrue : whenFalse;
  return Token.asString(`\${${expression(condition)} ? ${JSON.stringify(whenTrue)} : ${JSON.stringify(whenFalse)}}`);
}

/** `values` when the condition holds, else none: a conditional list expression for a token. */
export function onlyWhen(condition: Condition, values: readonly string[]): string[] {
  if (!Token.isUnresolved(condition)) return condition ? [...values] : [];
  return Token.asList(`\${${expression(condition)} ? ${JSON.stringify(values)} : []}`);
}

/**
 * Creates a resource when `enabled`: decided at synthesis for a boolean, or by `count` (0 or 1)
 * for a token. Pass `count` on to the resource.
 */
export function optional<R>(enabled: Condition, create: (count: number | undefined) => R): R | undefined {
  if (!Token.isUnresolved(enabled)) return enabled ? create(undefined) : undefined;
  return create(Token.asNumber(`\${${expression(enabled)} ? 1 : 0}`));
}

/**
 * An attribute of a resource that `optional` created: with `count`, of its one instance (refer to it
 * only where the same condition holds).
 */
export function attributeOf(resource: TerraformResource, attribute: string): string {
  return resource.count === undefined ? resource.getStringAttribute(attribute) : Token.asString(`\${${resource.fqn}[0].${attribute}}`);
}

/** The `for_each` of a block that exists only when a token condition holds. */
function presence(enabled: Condition): string {
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
    const parent = parts.reduce((node, part) => node?.[part] as Record<string, unknown> | undefined, json as Record<string, unknown> | undefined);
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
