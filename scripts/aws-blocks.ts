/**
 * Writes src/modules/aws-blocks.json: which keys of each resource and data source the modules use
 * are nested blocks, from the AWS provider schema (local mirror or registry). Run after a construct
 * starts using a new resource type: npm run aws-blocks
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_PROVIDER_CONSTRAINT } from '../stacks/project-stack';
import { blockDataFor, type ProviderBlockSchema } from '../src/modules/block-data';
import { MODULES } from '../src/modules/catalog';
import { BLOCK_DATA_PATH, synthesizeModules, typesUsed } from '../src/modules/generate';
import { packageRoot } from '../src/package-root';
import { fetchProviderSchema } from '../src/terraform/schema';

async function main(): Promise<void> {
  const schema = await fetchProviderSchema<ProviderBlockSchema>(AWS_PROVIDER_CONSTRAINT);
  const data = blockDataFor(schema, typesUsed(synthesizeModules(MODULES)));
  const file = path.join(packageRoot(), BLOCK_DATA_PATH);
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  process.stdout.write(
    `Wrote ${path.relative(process.cwd(), file)}: ${Object.keys(data.resource).length} resource and ${Object.keys(data.data).length} data source types.\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
