import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeCliConfig } from './cli-config';
import { AWS_PROVIDER_ADDRESS, findProviderMirror } from './mirror';
import { runTerraform } from './run';

/** `terraform providers schema -json` in an initialized directory, for the AWS provider. */
export async function readProviderSchema<T>(initializedDir: string, env: NodeJS.ProcessEnv): Promise<T> {
  const result = await runTerraform(['providers', 'schema', '-json'], { cwd: initializedDir, env });
  if (result.code !== 0) throw new Error(`terraform providers schema failed:\n${result.stderr}${result.stdout}`);
  const all = JSON.parse(result.stdout) as { provider_schemas?: Record<string, T> };
  const schema = all.provider_schemas?.[AWS_PROVIDER_ADDRESS];
  if (!schema) throw new Error(`terraform providers schema printed no ${AWS_PROVIDER_ADDRESS}`);
  return schema;
}

/** The AWS provider's schema, from a scratch directory initialized against the local mirror (or the registry). */
export async function fetchProviderSchema<T>(versionConstraint: string, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'active-active-schema-'));
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
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
