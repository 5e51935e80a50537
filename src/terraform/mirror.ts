import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors';

/** Environment variable naming a provider mirror directory; it wins over the search. */
export const MIRROR_ENV_VAR = 'ACTIVE_ACTIVE_PROVIDER_MIRROR';

/** The provider the generated configurations use. */
export const AWS_PROVIDER_ADDRESS = 'registry.terraform.io/hashicorp/aws';

/** Terraform's name for this machine's platform, as used in the mirror layout. */
export function terraformPlatform(): string {
  const arch = ({ x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' } as Record<string, string>)[process.arch] ?? process.arch;
  return `${process.platform}_${arch}`;
}

export interface ProviderMirror {
  /** The directory that holds `registry.terraform.io/...`: what `filesystem_mirror.path` takes. */
  readonly path: string;
  /** The `hashicorp/aws` versions it holds for this platform, e.g. `["5.100.0"]`. */
  readonly awsVersions: readonly string[];
}

/** The `hashicorp/aws` versions `dir` holds in the unpacked or packed mirror layout for this platform. */
export function awsVersionsIn(dir: string): string[] {
  const providerDir = path.join(dir, AWS_PROVIDER_ADDRESS);
  let entries: string[];
  try {
    entries = fs.readdirSync(providerDir);
  } catch {
    return [];
  }
  const platform = terraformPlatform();
  const versions = new Set<string>();
  for (const entry of entries) {
    if (fs.existsSync(path.join(providerDir, entry, platform))) versions.add(entry);
    const packed = /^terraform-provider-aws_(.+)_([a-z0-9]+_[a-z0-9]+)\.zip$/.exec(entry);
    if (packed && packed[2] === platform) versions.add(packed[1]);
  }
  return [...versions].sort();
}

/** Places Terraform itself looks for local providers, then common mirror locations. */
function wellKnownDirs(env: NodeJS.ProcessEnv): string[] {
  const home = env.HOME ?? os.homedir();
  const dataDirs = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [
    path.join(home, '.terraform.d', 'plugins'),
    path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'terraform', 'plugins'),
    ...dataDirs.map((dir) => path.join(dir, 'terraform', 'plugins')),
  ];
}

/** Directories never worth descending into while searching for a mirror. */
const SKIPPED = new Set(['proc', 'sys', 'dev', 'run', 'tmp', 'node_modules', '.git', 'lost+found', 'snap']);

/**
 * Breadth-first search below `roots` for a directory holding `registry.terraform.io/hashicorp/aws`,
 * at most `maxDepth` levels down: bounded, so it costs milliseconds, not a scan of the disk.
 */
function searchBelow(roots: readonly string[], maxDepth: number): ProviderMirror | undefined {
  let level = roots.map((root) => path.resolve(root));
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      const versions = awsVersionsIn(dir);
      if (versions.length > 0) return { path: dir, awsVersions: versions };
      if (depth === maxDepth) continue;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (entry.isDirectory() && !SKIPPED.has(entry.name)) next.push(path.join(dir, entry.name));
      }
    }
    level = next.sort();
  }
  return undefined;
}

export class MirrorError extends UserError {}

/**
 * Finds a local `hashicorp/aws` provider mirror: `$ACTIVE_ACTIVE_PROVIDER_MIRROR` if set (an error if
 * it holds no provider for this platform), else Terraform's own plugin directories, else a bounded
 * search of the filesystem. `undefined` means none: Terraform then installs from the registry.
 */
export function findProviderMirror(env: NodeJS.ProcessEnv = process.env): ProviderMirror | undefined {
  const override = env[MIRROR_ENV_VAR];
  if (override) {
    const versions = awsVersionsIn(override);
    if (versions.length === 0) {
      throw new MirrorError(
        `${MIRROR_ENV_VAR}=${override} holds no ${AWS_PROVIDER_ADDRESS} provider for ${terraformPlatform()}. ` +
          `Fix: point it at the directory that contains "registry.terraform.io/", or unset it`,
      );
    }
    return { path: path.resolve(override), awsVersions: versions };
  }
  for (const dir of wellKnownDirs(env)) {
    const versions = awsVersionsIn(dir);
    if (versions.length > 0) return { path: dir, awsVersions: versions };
  }
  return searchBelow([path.parse(process.cwd()).root], 3);
}
