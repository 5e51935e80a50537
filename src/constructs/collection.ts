import {
  TerraformIterator,
  Token,
  type ITerraformIterator,
  type TerraformDataSource,
  type TerraformElement,
  type TerraformResource,
} from 'cdktf';
import type { Construct } from 'constructs';
import { bareExpression, type Condition } from './conditions';
import { namedLocal } from './locals';

/** A resource or data source that a collection creates one of per key. */
type Instance = TerraformResource | TerraformDataSource;

/** `bucketArn` -> `bucket_arn`: the attribute of a Terraform object that a camelCase field reads. */
function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * Values keyed by a stable name (an AZ, a port, a Region), for constructs that create one resource
 * per key. Known at synthesis (the stacks), it makes one resource per key, named by the key, with
 * literal values. A token (a module's input variable), it makes one resource with `for_each`. The
 * construct is written once against this class and works both ways. Keys are taken in lexical
 * order, as Terraform iterates a map. A token map of objects has
 * the snake_case attributes of the camelCase fields of `T` (`bucketArn` is `bucket_arn`).
 */
export class Keyed<T> {
  /** `values` is a literal record, or a token that stands for a Terraform map. */
  static of<T>(values: Readonly<Record<string, T>>): Keyed<T> {
    return new Keyed<T>(Token.isUnresolved(values) ? Token.asString(values) : values);
  }

  /** A set of strings keyed by themselves (ports, service names, CIDRs). */
  static ofSet(values: readonly string[]): Keyed<string> {
    // A raw expression, not Fn.toset: the list may itself be a raw expression, which Fn rejects.
    if (Token.isUnresolved(values)) return new Keyed<string>(`\${toset(${Token.asString(values)})}`);
    return new Keyed<string>(Object.fromEntries(values.map((value) => [value, value])));
  }

  /** Port numbers keyed by their decimal form: `for_each` takes string keys only. */
  static ofPorts(ports: readonly number[]): Keyed<number> {
    if (Token.isUnresolved(ports)) return new Keyed<number>(`\${{ for port in ${Token.asString(ports)} : tostring(port) => port }}`);
    return new Keyed<number>(Object.fromEntries(ports.map((port) => [String(port), port])));
  }

  /** A literal record, or a Terraform expression (a token) for a map. */
  private constructor(private readonly values: Readonly<Record<string, T>> | string) {}

  /** Whether the keys are known at synthesis. */
  get known(): boolean {
    return !Token.isUnresolved(this.values);
  }

  /** The keys, where known. */
  keys(): string[] {
    if (!this.known) throw new Error('the keys of a token map are not known at synthesis');
    return Object.keys(this.values as Record<string, T>);
  }

  /**
   * The first key: the first given of a literal record, or Terraform's first of a token map
   * (`keys(map)[0]`, the lexically smallest).
   */
  firstKey(): string {
    return this.known ? this.keys()[0] : `\${keys(${this.values as string})[0]}`;
  }

  /**
   * The same keys while `condition` holds, else none: decided at synthesis, or a conditional
   * expression over a token map.
   */
  emptyUnless(condition: Condition): Keyed<T> {
    if (!Token.isUnresolved(condition)) return condition ? this : new Keyed<T>({});
    if (this.known) throw new Error('a token condition needs a token map: mix literal keys with Terraform variables in one construct');
    return new Keyed<T>(`\${${Token.asString(condition)} ? ${this.values as string} : {}}`);
  }

  /**
   * The entries whose key satisfies `predicate`: filtered at synthesis, or a `for` expression over a
   * token map whose loop variables (they show in the HCL modules) are named by `names`.
   */
  filter(predicate: (key: string) => Condition, names: { readonly key: string; readonly value: string }): Keyed<T> {
    if (this.known) {
      return new Keyed<T>(
        Object.fromEntries(
          Object.entries(this.values as Readonly<Record<string, T>>).filter(([key]) => {
            const keep = predicate(key);
            if (Token.isUnresolved(keep)) throw new Error('a token condition needs a token map: hold the literal record in a local first');
            return keep;
          }),
        ),
      );
    }
    // The loop variable as a bare name, and the predicate as a bare expression: an interpolation
    // inside the `for` expression would be invalid in Terraform JSON (the HCL renderer alone unwraps it).
    const keep = predicate(Token.asString(Token.asAny(names.key)));
    const condition = Token.isUnresolved(keep) ? bareExpression(keep) : String(keep);
    return new Keyed<T>(
      `\${{ for ${names.key}, ${names.value} in ${this.values as string} : ${names.key} => ${names.value} if ${condition} }}`,
    );
  }

  /**
   * The same entries held in a `local` named `name`: one definition that the HCL modules show by
   * name, and a token map from then on.
   */
  inLocal(scope: Construct, name: string): Keyed<T> {
    return new Keyed<T>(namedLocal(scope, name, this.values));
  }

  /** Creates one resource per key (literal) or one with `for_each` (token). */
  each<R extends Instance>(create: (item: KeyedItem<T>) => R): Instances<R> {
    if (this.known) {
      const created = this.literalItems().map((item) => [item.key, create(item)] as const);
      return new Instances<R>(new Map(created), undefined);
    }
    return new Instances<R>(undefined, create(this.iteratedItem()));
  }

  /**
   * Nested blocks of `blockType`, some per key: returned to go in the element's configuration
   * (literal), or added to `element` as `dynamic` blocks (token; the call returns none).
   * `toTerraform` is the provider binding's converter of the block's struct.
   */
  blocks<B>(element: TerraformElement, blockType: string, toTerraform: (block: B) => unknown, create: (item: KeyedItem<T>) => B[]): B[] {
    if (this.known) {
      // As Terraform expands dynamic blocks: every key's first block, then every key's second one.
      const perKey = this.literalItems().map(create);
      return Array.from({ length: Math.max(0, ...perKey.map((blocks) => blocks.length)) }, (_, i) =>
        perKey.flatMap((blocks) => blocks.slice(i, i + 1)),
      ).flat();
    }
    const item = this.iteratedItem();
    const forEach: unknown = item.forEach!._getForEachExpression();
    element.addOverride(
      `dynamic.${blockType}`,
      create(item).map((block) => ({ for_each: forEach, iterator: 'each', content: toTerraform(block) })),
    );
    return [];
  }

  /** The literal keys in Terraform's order for maps (lexical), so both modes number them alike. */
  private literalItems(): KeyedItem<T>[] {
    return Object.entries(this.values as Readonly<Record<string, T>>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value], index) => new KeyedItem<T>(key, value, index + 1));
  }

  private iteratedItem(): KeyedItem<T> {
    const iterator = TerraformIterator.fromMap(this.values as unknown as Record<string, unknown>);
    const ordinal = Token.asNumber(`\${index(keys(${this.values as string}), ${iterator.key}) + 1}`);
    return new KeyedItem<T>(Token.asString(iterator.key), iterator.value as T, ordinal, iterator);
  }
}

/** One key of a `Keyed` collection, as the resource being created sees it. */
export class KeyedItem<T> {
  constructor(
    /** The key: literal, or `each.key`. */
    readonly key: string,
    /** The value: literal, or `each.value`. */
    readonly value: T,
    /** The key's 1-based position in key order: literal, or an expression. */
    readonly ordinal: number,
    /** Pass as `forEach` to the resource; `undefined` for a literal key. */
    readonly forEach?: ITerraformIterator,
  ) {}

  private get literal(): boolean {
    return this.forEach === undefined;
  }

  /**
   * The construct ID from a pattern with `{key}`: `private-{key}-route-table` is
   * `private-us-east-1a-route-table` for a literal key, `private-route-table` with `for_each`.
   */
  id(pattern: string): string {
    return this.literal ? pattern.replace('{key}', this.key) : pattern.replace(/-?\{key\}/, '');
  }

  /** A string attribute of an object value (its snake_case attribute in a token map). */
  get(field: keyof T & string): string {
    if (this.forEach) return (this.forEach as TerraformIterator).getString(snakeCase(field));
    return (this.value as Record<string, unknown>)[field] as string;
  }
}

/** The resources a `Keyed` collection created. */
export class Instances<R extends Instance> {
  constructor(
    private readonly byKey: ReadonlyMap<string, R> | undefined,
    private readonly forEachResource: R | undefined,
  ) {}

  /**
   * An attribute of the instance for a key: `item`'s key inside another collection over the same
   * keys, a literal key, or a key expression (a token, e.g. from `choose`) with `for_each`.
   */
  ref(attribute: string, key: string | KeyedItem<unknown>): string {
    const keyValue = typeof key === 'string' ? key : key.key;
    if (this.byKey) {
      const resource = this.byKey.get(keyValue);
      if (!resource) throw new Error(`no instance for key ${keyValue}`);
      return Token.asString(resource.getStringAttribute(attribute));
    }
    const index = typeof key !== 'string' ? 'each.key' : Token.isUnresolved(key) ? key : JSON.stringify(key);
    return Token.asString(`\${${this.forEachResource!.fqn}[${index}].${attribute}}`);
  }

  /** The first key: of the literal instances in key order, or Terraform's `keys(instances)[0]`. */
  firstKey(): string {
    return this.byKey ? [...this.byKey.keys()][0] : `\${keys(${this.forEachResource!.fqn})[0]}`;
  }

  /** The attribute of every instance, in key order. */
  all(attribute: string): string[] {
    if (this.byKey) return [...this.byKey.values()].map((resource) => Token.asString(resource.getStringAttribute(attribute)));
    return Token.asList(`\${values(${this.forEachResource!.fqn})[*].${attribute}}`);
  }

  /** The attribute by key, as a map: a literal record, or a token for a Terraform map. */
  byKeyOf(attribute: string): Readonly<Record<string, string>> {
    if (this.byKey)
      return Object.fromEntries([...this.byKey].map(([key, resource]) => [key, Token.asString(resource.getStringAttribute(attribute))]));
    return Token.asAny(`\${{ for key, instance in ${this.forEachResource!.fqn} : key => instance.${attribute} }}`) as unknown as Readonly<
      Record<string, string>
    >;
  }

  /** The resources, for `depends_on`. */
  get dependables(): R[] {
    return this.byKey ? [...this.byKey.values()] : [this.forEachResource!];
  }
}

/** One of `count` copies of a resource, as the resource being created sees it. */
export class CountedItem {
  constructor(
    /** The 0-based index: literal, or `count.index`. */
    readonly index: number,
    /** Pass as `count` to the resource; `undefined` for a literal copy. */
    readonly count?: number,
  ) {}

  /** The 1-based number: literal, or `count.index + 1`. */
  get number(): number {
    return this.count === undefined ? this.index + 1 : Token.asNumber(`\${count.index + 1}`);
  }

  /** The construct ID: `instance-{number}` is `instance-2` for a literal copy, `instance` with `count`. */
  id(pattern: string): string {
    return this.count === undefined ? pattern.replace('{number}', String(this.index + 1)) : pattern.replace(/-?\{number\}/, '');
  }

  /** A value by index from a list, wrapping around: literal, or `element(list, count.index)`. */
  cycle<T>(list: readonly T[]): T {
    if (this.count === undefined && !Token.isUnresolved(list)) return list[this.index % list.length];
    const expression = Token.isUnresolved(list) ? Token.asString(list) : JSON.stringify(list);
    return Token.asString(`\${element(${expression}, count.index)}`) as unknown as T;
  }

  /** `first` for the first copy, `rest` for the others. */
  firstOr(first: number, rest: number): number {
    if (this.count === undefined) return this.index === 0 ? first : rest;
    return Token.asNumber(`\${count.index == 0 ? ${first} : ${rest}}`);
  }
}

/**
 * `count` copies of a resource: known at synthesis, one resource per copy (`instance-1`,
 * `instance-2`); a token, one resource with `count`.
 */
export function counted<R>(count: number, create: (item: CountedItem) => R): R[] {
  if (!Token.isUnresolved(count)) return Array.from({ length: count }, (_, index) => create(new CountedItem(index)));
  return [create(new CountedItem(Token.asNumber('${count.index}'), count))];
}
