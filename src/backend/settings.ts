import type { ResolvedConfig } from '../config';
import { Naming } from '../naming';

/** The S3 backend settings of one stack, as Terraform's `backend "s3"` block takes them. */
export interface BackendSettings {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly encrypt: true;
  /** Alias ARN of the state key in the bucket's Region: resolvable before the key's ID is known. */
  readonly kmsKeyId: string;
  /** The lock table in the bucket's Region (each state Region has one, under the same name). */
  readonly dynamodbTable: string;
  readonly useLockfile?: true;
}

/**
 * Where a stack keeps its state: the bucket, key and lock table of the copy that `state.active`
 * selects. cdktf builds every `terraform_remote_state` read from the producing stack's backend
 * settings, so this one choice moves both a stack's own state and the reads of its outputs. Both
 * copies sit in one Region each, so a stack planned from the replica needs nothing from the state
 * Region.
 */
export function backendSettings(config: ResolvedConfig, stack: string): BackendSettings {
  const naming = new Naming(config.name, config.accountId);
  const region = config.state.active === 'replica' ? config.state.replicaRegion : config.state.region;
  return {
    bucket: naming.stateBucket(region),
    key: naming.stateObjectKey(stack),
    region,
    encrypt: true,
    kmsKeyId: naming.kmsAliasArn(region, naming.stateKeyAlias()),
    dynamodbTable: naming.stateLockTable(),
    ...(config.state.useLockfile ? { useLockfile: true as const } : {}),
  };
}
