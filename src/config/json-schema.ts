import { z } from 'zod';
import { ConfigSchema } from './schema';

/** Where the generated JSON Schema is committed, relative to the package root. */
export const JSON_SCHEMA_PATH = 'schema/active-active.schema.json';

export type JsonSchemaNode = {
  description?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
  anyOf?: JsonSchemaNode[];
  [key: string]: unknown;
};

/** The JSON Schema of config files (what a file may contain), generated from the zod schema. */
export function configJsonSchema(): JsonSchemaNode {
  const generated = z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' });
  return { ...generated, title: 'active-active-cdktf configuration' } as JsonSchemaNode;
}

/** A union ("none" or an object): the branch that describes objects or arrays. */
function structured(node: JsonSchemaNode | undefined): JsonSchemaNode | undefined {
  return node?.anyOf?.find((branch) => branch.properties || branch.items) ?? node;
}

/** The schema node that describes the value at `path`, or `undefined` where the schema has none. */
export function schemaAt(root: JsonSchemaNode, path: readonly PropertyKey[]): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = root;
  for (const segment of path) {
    node = structured(node);
    if (node === undefined) return undefined;
    if (typeof segment === 'number') {
      node = node.items;
    } else {
      const key = String(segment);
      const additional: JsonSchemaNode | boolean | undefined = node.additionalProperties;
      node = node.properties?.[key] ?? (typeof additional === 'object' ? additional : undefined);
    }
  }
  return node;
}

/** The keys an object at `path` may have. */
export function allowedKeysAt(root: JsonSchemaNode, path: readonly PropertyKey[]): string[] {
  return Object.keys(structured(schemaAt(root, path))?.properties ?? {});
}
