import type { ResolvedConfig } from '../config';
import { Naming } from '../naming';

/** The S3 backend settings of one stack, as Terraform's `backend "s3"` block takes them. */
export interface BackendSettings {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly encrypt: true;
  /** Alias ARN of the state key: resolvable before the key's ID is known. */
  readonly kmsKeyId: string;
  /** Absent when reading from the replica, whose Region has no lock table. */
  readonly dynamodbTable?: string;
  readonly useLockfile?: true;
}

/**
 * Where a stack keeps its state. With `replica`, the settings point at the replica bucket in the
 * replica Region and lock with an S3 lock file, for when the state Region is unavailable.
 */
export function backendSettings(
  config: ResolvedConfig,
  stack: string,
  options: { readonly replica?: boolean } = {},
): BackendSettings {
  const naming = new Naming(config.name, config.accountId);
  const region = options.replica ? config.state.replicaRegion : config.state.region;
  const common = {
    bucket: naming.stateBucket(region),
    key: naming.stateObjectKey(stack),
    region,
    encrypt: true as const,
    kmsKeyId: naming.kmsAliasArn(region, naming.stateKeyAlias()),
  };
  if (options.replica) return { ...common, useLockfile: true };
  return {
    ...common,
    dynamodbTable: naming.stateLockTable(),
    ...(config.state.useLockfile ? { useLockfile: true as const } : {}),
  };
}
