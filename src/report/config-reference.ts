import { configJsonSchema, type JsonSchemaNode } from '../config/json-schema';
import { AWS_REGION_CODES } from '../config/regions';

/** Where the generated field reference is committed, relative to the package root. */
export const CONFIG_REFERENCE_PATH = 'docs/configuration.md';

/** The command that regenerates the reference, named in its header and in the staleness test. */
export const CONFIG_REFERENCE_COMMAND = 'npm run docs';

/** One row of the reference: a field of config files and what the schema says about it. */
export interface ConfigField {
  /** Dotted path, `[]` for the items of an array, e.g. `regions[].cidr`. */
  readonly path: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly constraints: string[];
  readonly description: string;
}

/**
 * A bound worth printing: a number below the safe-integer limit that zod writes for a bare `.int()`,
 * which is no rule anyone set.
 */
const printableBound = (value: unknown): number | undefined =>
  typeof value === 'number' && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;

const sameValues = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((value, i) => value === b[i]);

const code = (text: string) => `\`${text}\``;

/** A value as it is written in a config file: strings quoted. */
const literal = (value: unknown) => code(JSON.stringify(value));

/** The object branch of a union such as `"none"` or an object, the one with fields to list. */
function structured(node: JsonSchemaNode): JsonSchemaNode {
  return node.anyOf?.find((branch) => branch.properties) ?? node;
}

function typeOf(node: JsonSchemaNode): string {
  if (node.anyOf) return node.anyOf.map((branch) => ('const' in branch ? literal(branch.const) : typeOf(branch))).join(' or ');
  if (node.type === 'array') return node.items?.properties ? 'object[]' : `${node.items ? typeOf(node.items) : 'unknown'}[]`;
  if (node.type === 'object' && typeof node.additionalProperties === 'object') return `map of ${typeOf(node.additionalProperties)}`;
  return Array.isArray(node.type) ? node.type.join(' or ') : (node.type ?? 'unknown');
}

/** Rules of one value: what `enum`, the bounds, `pattern` and `format` allow. */
function rulesOf(node: JsonSchemaNode): string[] {
  const rules: string[] = [];
  const values = node.enum as unknown[] | undefined;
  if (values)
    rules.push(
      sameValues(values, AWS_REGION_CODES) ? 'a [supported Region](#supported-regions)' : `one of ${values.map(literal).join(', ')}`,
    );
  const range = (min: unknown, max: unknown, noun = '') => {
    const low = printableBound(min);
    const high = printableBound(max);
    const unit = (last: unknown) => (noun ? ` ${noun}${last === 1 ? '' : 's'}` : '');
    if (low !== undefined && high !== undefined) rules.push(`${low} to ${high}${unit(high)}`);
    else if (low !== undefined) rules.push(`at least ${low}${unit(low)}`);
    else if (high !== undefined) rules.push(`at most ${high}${unit(high)}`);
  };
  range(node.minimum, node.maximum);
  range(node.minLength, node.maxLength, 'character');
  range(node.minItems, node.maxItems, 'item');
  if (typeof node.format === 'string') rules.push(`format ${code(node.format)}`);
  if (typeof node.pattern === 'string') rules.push(`pattern ${code(node.pattern)}`);
  return rules;
}

function constraintsOf(node: JsonSchemaNode): string[] {
  const of = (label: string, inner: unknown) => {
    const rules = inner && typeof inner === 'object' && !('properties' in inner) ? rulesOf(inner as JsonSchemaNode) : [];
    return rules.length > 0 ? [`${label}: ${rules.join(', ')}`] : [];
  };
  return [...rulesOf(node), ...of('each', node.items), ...of('keys', node.propertyNames), ...of('values', node.additionalProperties)];
}

/**
 * The default column. Defaults the schema cannot hold (they depend on other fields) are stated as
 * the description's last sentence, `Default: ...`, which moves here.
 */
function defaultOf(
  node: JsonSchemaNode,
  required: boolean,
  description: string,
  parentDefault: unknown,
): { defaultValue: string; description: string } {
  const stated = /\s*Default: ([^]*)\.$/.exec(description);
  if (stated) return { defaultValue: stated[1], description: description.slice(0, stated.index) };
  // A field its object requires still has a default when the whole object may be left out.
  if (required)
    return {
      defaultValue: parentDefault === undefined ? 'required' : `${literal(parentDefault)} (required if the object is given)`,
      description,
    };
  if (!('default' in node)) return { defaultValue: 'none', description };
  const value = node.default;
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
  return { defaultValue: isObject ? "its fields' defaults" : literal(value), description };
}

/** Every field of config files, parents before their fields, in the schema's order. */
export function configFields(schema: JsonSchemaNode = configJsonSchema()): ConfigField[] {
  const walk = (parent: JsonSchemaNode, prefix: string, parentDefaults: Record<string, unknown> | undefined): ConfigField[] => {
    const node = structured(parent);
    const required = new Set(node.required as string[] | undefined);
    return Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      const { defaultValue, description } = defaultOf(child, required.has(key), child.description ?? '', parentDefaults?.[key]);
      const field: ConfigField = { path, type: typeOf(child), defaultValue, constraints: constraintsOf(child), description };
      const inner = structured(child);
      const ownDefault = child.default;
      const defaults =
        typeof ownDefault === 'object' && ownDefault !== null && !Array.isArray(ownDefault)
          ? (ownDefault as Record<string, unknown>)
          : undefined;
      const nested = inner.items?.properties ? walk(inner.items, `${path}[]`, undefined) : walk(inner, path, defaults);
      return [field, ...nested];
    });
  };
  return walk(schema, '', undefined);
}

/** Markdown table cells cannot hold a bare `|` or a line break. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(fields: readonly ConfigField[]): string[] {
  return [
    '| field | type | default | constraints | description |',
    '| --- | --- | --- | --- | --- |',
    ...fields.map(
      (f) => `| ${[code(f.path), f.type, f.defaultValue, f.constraints.join('; ') || '-', f.description].map(cell).join(' | ')} |`,
    ),
  ];
}

/** docs/configuration.md: every field of config files, generated from the JSON Schema's descriptions. */
export function configReference(schema: JsonSchemaNode = configJsonSchema()): string {
  const fields = configFields(schema);
  const topLevel = fields.filter((f) => !f.path.includes('.') && !f.path.includes('['));
  const sections = topLevel.flatMap((parent) => {
    const inner = fields.filter((f) => f.path.startsWith(`${parent.path}.`) || f.path.startsWith(`${parent.path}[]`));
    return inner.length > 0 ? ['', `## ${parent.path}`, '', parent.description, '', ...table(inner)] : [];
  });
  return [
    '# Configuration reference',
    '',
    `<!-- Generated from schema/active-active.schema.json by \`${CONFIG_REFERENCE_COMMAND}\`; do not edit by hand. -->`,
    '',
    'Every field of a config file, with its type, default, constraints and description, as the config',
    'schema states them (`src/config/schema.ts`). A file may name its JSON Schema through `$schema`',
    '(`./schema/active-active.schema.json`), so editors complete and check it. Unknown keys are errors,',
    'and validation also checks rules that span several fields (CIDR overlaps, windows, engine versions):',
    'each error names the field and the fix. A default in words depends on other fields.',
    '',
    '## Top level',
    '',
    ...table(topLevel),
    ...sections,
    '',
    '## Supported Regions',
    '',
    'The commercial partition; opt-in Regions must be enabled in the account first.',
    '',
    AWS_REGION_CODES.map((region) => code(region)).join(', '),
    '',
  ].join('\n');
}
