import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { StateBackend } from '../src/constructs/state/state-backend';
import { StackNames } from '../src/naming';
import { ProjectStack } from './project-stack';

/**
 * The state bucket, its replica (replicating both ways) and a lock table beside each, that every
 * other stack keeps its state in. This stack keeps its own state there too, under its own key: the
 * first apply runs with a local backend and moves the state into the bucket it created
 * (`active-active bootstrap`). It needs both state Regions to plan.
 */
export class StateStack extends ProjectStack {
  /** The state buckets and lock tables. */
  readonly backend: StateBackend;

  constructor(scope: Construct, config: ResolvedConfig) {
    super(scope, StackNames.state, config, config.state.region);
    this.useRemoteState();

    const { naming } = this;
    const { region, replicaRegion } = config.state;
    this.backend = new StateBackend(this, 'state-backend', {
      primary: { region, bucketName: naming.stateBucket(region), provider: this.providerFor(region) },
      replica: {
        region: replicaRegion,
        bucketName: naming.stateBucket(replicaRegion),
        provider: this.providerFor(replicaRegion),
      },
      lockTableName: naming.stateLockTable(),
      keyAlias: naming.stateKeyAlias(),
      replicationRoleName: naming.stateReplicationRole(),
      replicaReplicationRoleName: naming.stateReplicaReplicationRole(),
      accountRootArn: naming.accountRootArn(),
      noncurrentVersionExpirationDays: config.state.noncurrentVersionExpirationDays,
      decommission: config.decommission,
    });

    this.addOutputs({
      'state-bucket': [this.backend.bucket.bucketName, 'State bucket, in the state Region'],
      'state-replica-bucket': [this.backend.replicaBucket.bucketName, 'Replica of the state bucket'],
      'lock-table': [this.backend.lockTable.name, 'DynamoDB table that locks state, in the state Region'],
      'replica-lock-table': [this.backend.replicaLockTable.name, 'DynamoDB table that locks state while the replica is in use'],
      'state-key-arn': [this.backend.key.keyArn, 'KMS key of the state bucket and lock table'],
      'state-replica-key-arn': [this.backend.replicaKey.keyArn, 'KMS key of the replica bucket and its lock table'],
    });
  }
}
