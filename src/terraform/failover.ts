/**
 * The state of a deployed layout as AWS leaves it once the Aurora writer has moved to another
 * Region: what `terraform refresh` (or the refresh of the next plan) would read back from RDS after a
 * switchover (`SwitchoverGlobalCluster`) or a managed failover (`FailoverGlobalCluster` with
 * `AllowDataLoss`). Planned against it, the unchanged configuration must change nothing: Terraform
 * must neither move the writer back, nor replace a cluster, nor send credentials to the new writer.
 *
 * Each alteration names what the AWS provider (hashicorp/aws 5.100.0) reads into the attribute and
 * what RDS reports there after the move:
 * - RDS: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html
 *   ("promotes the specified secondary cluster ... and demotes the current primary cluster to a
 *   secondary (read-only) cluster, maintaining the original replication topology") and
 *   https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html.
 * - The provider's reads: internal/service/rds/cluster.go (`resourceClusterRead`),
 *   global_cluster.go (`resourceGlobalClusterRead`) and cluster_instance.go in
 *   https://github.com/hashicorp/terraform-provider-aws.
 */
import type { ResolvedConfig } from '../config';
import { StackNames } from '../naming';
import type { StateInstance, StateResource, TerraformState } from './prior-state';

/** How the writer left its Region. */
export type WriterMoveKind = 'switchover' | 'failover';

/** A move of the Aurora writer from one Region to another. */
export interface WriterMove {
  /** `switchover` (planned, no data loss) or `failover` (unplanned; the old writer rejoined as a secondary once its Region recovered). */
  readonly kind: WriterMoveKind;
  /**
   * The Region the writer leaves.
   * @default - the configured primary Region
   */
  readonly from?: string;
  /**
   * The Region that takes the writer.
   * @default - `resilience.failoverRegion`
   */
  readonly to?: string;
}

/** What `afterWriterMove` changed, per stack and address, for messages and tests. */
export interface WriterMoveAlteration {
  readonly stack: string;
  readonly address: string;
  readonly attributes: readonly string[];
}

/** The states of every stack after the move, and the alterations made to them. */
export interface MovedLayout {
  readonly states: Record<string, TerraformState>;
  readonly alterations: readonly WriterMoveAlteration[];
}

type Attributes = Record<string, unknown>;

function addressOf(resource: StateResource, instance: StateInstance): string {
  const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
  return `${resource.module ? `${resource.module}.` : ''}${resource.type}.${resource.name}${key}`;
}

function instancesOf(state: TerraformState, type: string): Array<{ resource: StateResource; instance: StateInstance }> {
  return state.resources
    .filter((resource) => resource.type === type)
    .flatMap((resource) => resource.instances.map((instance) => ({ resource, instance })));
}

/** The one instance of `type` in a stack's state, or an error naming what is missing. */
function single(state: TerraformState, stack: string, type: string): { resource: StateResource; instance: StateInstance } {
  const found = instancesOf(state, type);
  if (found.length !== 1) throw new Error(`stack ${stack}: expected one ${type} in its state, found ${found.length}`);
  return found[0];
}

/**
 * `states` (every stack of a layout, as `settleLayout` returns them) altered as AWS leaves them after
 * the writer moved from `move.from` to `move.to`. The input is not modified.
 *
 * A failover ends, once the old writer's Region has recovered, in the same Terraform-visible state as
 * a switchover: AWS's guide to recovering from an unplanned outage describes Aurora adding the old
 * primary cluster back to the global cluster as a secondary once its Region is available again
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html#aurora-global-database-failover).
 * The cluster is the same resource, so its identifier and ARN stay; the operations guide has the
 * command that checks the membership before its stack is planned again.
 * What differs is in the data (writes not yet replicated are lost), which Terraform does not manage.
 * `kind` is kept for messages.
 */
export function afterWriterMove(states: Readonly<Record<string, TerraformState>>, config: ResolvedConfig, move: WriterMove): MovedLayout {
  const from = move.from ?? config.primaryRegion;
  const to = move.to ?? config.resilience.failoverRegion;
  const regions = config.regions.map((r) => r.region);
  for (const region of [from, to]) {
    if (!regions.includes(region)) throw new Error(`${move.kind}: ${region} is not a Region of the layout (${regions.join(', ')})`);
  }
  if (from === to) throw new Error(`${move.kind}: the writer is already in ${to}`);

  const moved: Record<string, TerraformState> = structuredClone(states);
  const alterations: WriterMoveAlteration[] = [];
  const changed = new Set<string>();
  const alter = (stack: string, resource: StateResource, instance: StateInstance, values: Attributes) => {
    const attributes = instance.attributes;
    const names = Object.keys(values).filter((name) => JSON.stringify(attributes[name]) !== JSON.stringify(values[name]));
    if (names.length === 0) return;
    for (const name of names) attributes[name] = values[name];
    alterations.push({ stack, address: addressOf(resource, instance), attributes: names });
    changed.add(stack);
  };
  const stateOf = (stack: string) => {
    const state = moved[stack];
    if (!state) throw new Error(`no state for stack ${stack}: settle every stack of the layout first`);
    return state;
  };

  const clusters = new Map(
    regions.map((region) => {
      const stack = StackNames.region(region);
      return [region, { stack, ...single(stateOf(stack), stack, 'aws_rds_cluster') }] as const;
    }),
  );
  const arnOf = (region: string) => String(clusters.get(region)!.instance.attributes.arn);
  const writerArn = arnOf(to);

  // The global cluster: the provider reads `global_cluster_members` from DescribeGlobalClusters'
  // GlobalClusterMembers, where IsWriter now marks the new writer's cluster
  // (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html). Its
  // `endpoint` (the global writer endpoint) is the same name and now resolves to the new writer
  // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-connecting.html).
  // `source_db_cluster_identifier` is never read back, and `engine_version` does not change with the writer.
  const global = single(stateOf(StackNames.global), StackNames.global, 'aws_rds_global_cluster');
  alter(StackNames.global, global.resource, global.instance, {
    global_cluster_members: regions.map((region) => ({ db_cluster_arn: arnOf(region), is_writer: region === to })),
  });

  for (const region of regions) {
    const { stack, resource, instance } = clusters.get(region)!;
    const isWriter = region === to;
    alter(stack, resource, instance, {
      // DescribeDBClusters reports ReplicationSourceIdentifier on every secondary of a global database
      // (the writer's cluster ARN) and none on the writer; the provider copies it as it is, an absent
      // value as "" (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/rds_cluster#replication_source_identifier
      // says to ignore it on members of a global cluster for this reason).
      replication_source_identifier: isWriter ? '' : writerArn,
      // The master user and the database are the global database's, reported by every member: the
      // new writer, created as a secondary without them, now shows them too.
      master_username: config.database.masterUsername,
      database_name: config.database.databaseName,
    });
  }

  // Instances: the provider reads `writer` from the cluster's DBClusterMembers (IsClusterWriter). The
  // new writer is the instance of the promoted cluster with the lowest promotion tier (the first,
  // tier 0, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html#Aurora.Managing.FaultTolerance);
  // every instance of the demoted cluster becomes a reader. `promotion_tier` is the instance's own setting and stays.
  for (const region of regions) {
    const stack = StackNames.region(region);
    const instances = instancesOf(stateOf(stack), 'aws_rds_cluster_instance');
    const tier = (instance: StateInstance) => Number(instance.attributes.promotion_tier ?? 0);
    const first = region === to ? [...instances].sort((a, b) => tier(a.instance) - tier(b.instance))[0] : undefined;
    for (const { resource, instance } of instances) alter(stack, resource, instance, { writer: instance === first?.instance });
  }

  for (const stack of changed) moved[stack] = { ...moved[stack], serial: moved[stack].serial + 1 };
  return { states: moved, alterations };
}
