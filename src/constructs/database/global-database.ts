import { IResolvable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { globalDatabaseVersionProblem, type AuroraEngine } from '../../planning/aurora';
import { requireKnown } from '../validation';

export interface GlobalDatabaseProps {
  /** The global cluster identifier. */
  readonly globalClusterIdentifier: string;
  /** `aurora-postgresql` or `aurora-mysql`. */
  readonly engine: AuroraEngine;
  /** The engine version; upgrades are made here and flow to every member. */
  readonly engineVersion: string;
  /**
   * Refuse to delete the global cluster.
   * @default true
   */
  readonly deletionProtection?: boolean | IResolvable;
  /**
   * The provider of the primary Region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * An Aurora global cluster: the container that the primary and secondary Region clusters join. Storage
 * is encrypted (each member with its own Region's key). The engine version lives here: a change is a
 * global upgrade of every member, which therefore ignore their own `engine_version`.
 */
export class GlobalDatabase extends Construct {
  readonly globalCluster: RdsGlobalCluster;
  /** The identifier members join with. */
  readonly globalClusterIdentifier: string;
  /** The writer endpoint that follows the primary through switchovers and failovers. */
  readonly writerEndpoint: string;

  constructor(scope: Construct, id: string, props: GlobalDatabaseProps) {
    super(scope, id);
    requireKnown(
      [props.engine, props.engineVersion],
      () => globalDatabaseVersionProblem(props.engine, props.engineVersion) === undefined,
      () => `GlobalDatabase ${id}: ${globalDatabaseVersionProblem(props.engine, props.engineVersion)}`,
    );
    this.globalCluster = new RdsGlobalCluster(this, 'global-cluster', {
      provider: props.provider,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine: props.engine,
      engineVersion: props.engineVersion,
      storageEncrypted: true,
      deletionProtection: props.deletionProtection ?? true,
    });
    this.globalClusterIdentifier = this.globalCluster.id;
    this.writerEndpoint = this.globalCluster.endpoint;
  }
}
