import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_PROVIDER_ADDRESS, type ProviderMirror } from './mirror';

/**
 * Terraform CLI configuration for the harness: `hashicorp/aws` from the local mirror (no network),
 * every other provider from its registry. Without a mirror, everything comes from the registry.
 */
export function cliConfigText(mirror: ProviderMirror | undefined): string {
  if (!mirror) return '# No local provider mirror: providers install from their registries.\n';
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirror.path)}`,
    `    include = [${JSON.stringify(AWS_PROVIDER_ADDRESS)}]`,
    '  }',
    '  direct {',
    `    exclude = [${JSON.stringify(AWS_PROVIDER_ADDRESS)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Writes the CLI configuration into `dir` and returns its path, for `TF_CLI_CONFIG_FILE`. */
export function writeCliConfig(dir: string, mirror: ProviderMirror | undefined): string {
  const file = path.join(dir, 'terraform.tfrc');
  fs.writeFileSync(file, cliConfigText(mirror));
  return file;
}
