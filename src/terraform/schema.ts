import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeScratchDir, removeScratchDir } from '../scratch';
import { writeCliConfig } from './cli-config';
import { AWS_PROVIDER_ADDRESS, findProviderMirror } from './mirror';
import { runTerraform } from './run';

/** Schemas read so far, by provider version: one run after another reads the same 14 MB of JSON only once. */
const schemasByVersion = new Map<string, Promise<unknown>>();

/** The AWS provider version `init` selected in a directory, from its dependency lock file. */
function lockedVersion(initializedDir: string): string | undefined {
  const lock = path.join(initializedDir, '.terraform.lock.hcl');
  if (!fs.existsSync(lock)) return undefined;
  const match = /provider "registry\.terraform\.io\/hashicorp\/aws" \{\s*version\s*=\s*"([^"]+)"/.exec(fs.readFileSync(lock, 'utf8'));
  return match?.[1];
}

/** `terraform providers schema -json` in an initialized directory, for the AWS provider; read once per provider version. */
export function readProviderSchema<T>(initializedDir: string, env: NodeJS.ProcessEnv): Promise<T> {
  const version = lockedVersion(initializedDir);
  if (version === undefined) return readSchemaNow<T>(initializedDir, env);
  let schema = schemasByVersion.get(version);
  if (!schema) {
    schema = readSchemaNow<T>(initializedDir, env);
    // A failed read is not kept: the next run tries again.
    schema.catch(() => schemasByVersion.delete(version));
    schemasByVersion.set(version, schema);
  }
  return schema as Promise<T>;
}

async function readSchemaNow<T>(initializedDir: string, env: NodeJS.ProcessEnv): Promise<T> {
  const result = await runTerraform(['providers', 'schema', '-json'], { cwd: initializedDir, env });
  if (result.code !== 0) throw new Error(`terraform providers schema failed:\n${result.stderr}${result.stdout}`);
  const all = JSON.parse(result.stdout) as { provider_schemas?: Record<string, T> };
  const schema = all.provider_schemas?.[AWS_PROVIDER_ADDRESS];
  if (!schema) throw new Error(`terraform providers schema printed no ${AWS_PROVIDER_ADDRESS}`);
  return schema;
}

/** The AWS provider's schema, from a scratch directory initialized against the local mirror (or the registry). */
export async function fetchProviderSchema<T>(versionConstraint: string, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const dir = makeScratchDir('active-active-schema-');
  try {
    const terraformEnv = {
      ...env,
      TF_CLI_CONFIG_FILE: writeCliConfig(dir, findProviderMirror(env)),
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    };
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: versionConstraint } } } }),
    );
    const init = await runTerraform(['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env: terraformEnv });
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stderr}${init.stdout}`);
    return await readProviderSchema<T>(dir, terraformEnv);
  } finally {
    removeScratchDir(dir);
  }
}
