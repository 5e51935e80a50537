import type { BlockData } from './render-module';

interface SchemaBlock {
  readonly block_types?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

/** Provider schema, as `terraform providers schema -json` prints it for one provider. */
export interface ProviderBlockSchema {
  readonly resource_schemas: Readonly<Record<string, { readonly block: SchemaBlock }>>;
  readonly data_source_schemas: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

function nestedPaths(block: SchemaBlock, prefix = ''): string[] {
  return Object.entries(block.block_types ?? {}).flatMap(([name, nested]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    return [path, ...nestedPaths(nested.block, path)];
  });
}

/** The nested block paths of the given resource and data source types. */
export function blockDataFor(schema: ProviderBlockSchema, types: { resource: readonly string[]; data: readonly string[] }): BlockData {
  const pick = (schemas: ProviderBlockSchema['resource_schemas'], names: readonly string[]) =>
    Object.fromEntries(
      [...new Set(names)].sort().map((name) => {
        const entry = schemas[name];
        if (!entry) throw new Error(`the provider schema has no ${name}`);
        return [name, nestedPaths(entry.block).sort()];
      }),
    );
  return { resource: pick(schema.resource_schemas, types.resource), data: pick(schema.data_source_schemas, types.data) };
}
