import { IResolvable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { globalDatabaseVersionProblem, type AuroraEngine } from '../../planning/aurora';
import { requireKnown } from '../validation';
import { preventsDestroy } from './protection';
import { explain } from '../rationale';

/** Properties of a `GlobalDatabase`. */
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
   * Refuse at plan time any change that would destroy or replace the global cluster
   * (`lifecycle.prevent_destroy`).
   * @default - true when `deletionProtection` is the literal `true` (or unset); false when it is a
   * Terraform expression, since `lifecycle` arguments take no expressions
   */
  readonly preventDestroy?: boolean;
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
  /** The Aurora global cluster that the Regions' clusters join. */
  readonly globalCluster: RdsGlobalCluster;
  /** The identifier members join with. */
  readonly globalClusterIdentifier: string;
  /** The writer endpoint that follows the primary through switchovers and failovers. */
  readonly writerEndpoint: string;
  /**
   * The version the members run, as RDS reports it: differs from `engineVersion` only after AWS
   * applied an upgrade itself (at the end of a version's support), which the config must then follow.
   */
  readonly engineVersionActual: string;

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
      lifecycle: preventsDestroy(props.deletionProtection, props.preventDestroy) ? { preventDestroy: true } : undefined,
    });
    explain(
      this.globalCluster,
      'No force_destroy: members leave before the global cluster is deleted (their stacks or modules depend on it, so a destroy removes them first); it only matters with source_db_cluster_identifier.',
    );
    this.globalClusterIdentifier = this.globalCluster.id;
    this.writerEndpoint = this.globalCluster.endpoint;
    this.engineVersionActual = this.globalCluster.engineVersionActual;
  }
}
