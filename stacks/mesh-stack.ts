import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { CidrRules } from '../src/constructs/network/cidr-rules';
import { BucketReplication } from '../src/constructs/storage/bucket-replication';
import { GlobalTable, type GlobalTableRegion } from '../src/constructs/storage/global-table';
import { TransitPeering, type PeeringSide } from '../src/constructs/transit/transit-peering';
import { VpcPeering, type VpcPeeringSide } from '../src/constructs/transit/vpc-peering';
import { s3BucketArn, StackNames } from '../src/naming';
import { regionPairs } from '../src/planning/pairs';
import { ProjectStack } from './project-stack';
import type { RegionStack } from './region-stack';

/**
 * Links between Regions: resources that need two Regions' providers at once. It reads the Region
 * stacks' outputs (Transit Gateways, route tables, buckets, keys) through remote state.
 */
export class MeshStack extends ProjectStack {
  /** The Transit Gateway peerings, one per pair of Regions that the topology links (link `transit-gateway`). */
  readonly peerings: readonly TransitPeering[];
  /** The VPC peerings, one per pair of Regions that the topology links (link `vpc-peering`). */
  readonly vpcPeerings: readonly VpcPeering[];
  /** One replication per data bucket and source Region, to the same bucket in every other Region. */
  readonly replications: readonly BucketReplication[];
  /** The DynamoDB global tables, by logical name. */
  readonly tables: ReadonlyMap<string, GlobalTable>;

  constructor(scope: Construct, config: ResolvedConfig, regions: readonly RegionStack[]) {
    super(scope, StackNames.mesh, config, config.primaryRegion);
    this.useRemoteState();
    // Terraform deletes a resource with the provider configuration that created it: a Region's links
    // can only go while its provider is still here ("Provider configuration not present" otherwise).
    for (const region of config.retiredRegions) this.providerFor(region);

    const byRegion = new Map(regions.map((stack) => [stack.region.region, stack]));
    // The private tables per AZ and the database table reach the other Regions; the public tables
    // do not: they hold only the load balancer and NAT gateways, which never call another Region.
    const vpcRouteTables = (stack: RegionStack): Record<string, string> => ({
      ...Object.fromEntries(Object.entries(stack.network.privateRouteTableIds).map(([az, table]) => [`private-${az}`, table])),
      database: stack.network.routeTableIds.database[0],
    });
    const side = (region: string): PeeringSide => {
      const stack = byRegion.get(region)!;
      return {
        region,
        provider: this.providerFor(region),
        transitGatewayId: stack.hub!.transitGatewayId,
        transitGatewayRouteTableId: stack.hub!.routeTableId,
        vpcCidr: stack.region.cidr,
        vpcRouteTables: vpcRouteTables(stack),
      };
    };
    const vpcSide = (region: string): VpcPeeringSide => {
      const stack = byRegion.get(region)!;
      return {
        region,
        provider: this.providerFor(region),
        vpcId: stack.network.vpcId,
        vpcCidr: stack.region.cidr,
        vpcRouteTables: vpcRouteTables(stack),
      };
    };
    const { link } = config.topology;
    const pairs =
      link === 'none'
        ? []
        : regionPairs(
            config.regions.map((r) => r.region),
            config.primaryRegion,
            config.topology.peering,
          );
    // Both kinds of link take the pair's construct id, so a route keeps its address when the link
    // changes and only its target moves.
    this.peerings =
      link === 'transit-gateway'
        ? pairs.map(
            ({ requester, accepter }) =>
              new TransitPeering(this, `peering-${requester}-${accepter}`, {
                namePrefix: config.name,
                accountId: config.accountId,
                requester: side(requester),
                accepter: side(accepter),
              }),
          )
        : [];
    this.vpcPeerings =
      link === 'vpc-peering'
        ? pairs.map(
            ({ requester, accepter }) =>
              new VpcPeering(this, `peering-${requester}-${accepter}`, {
                namePrefix: config.name,
                accountId: config.accountId,
                requester: vpcSide(requester),
                accepter: vpcSide(accepter),
              }),
          )
        : [];

    // Linked Regions' app tiers reach each other's database over the link (security groups can
    // reference peered groups only within a Region, so these stay CIDR rules). Without a link there
    // is no path, and no rule.
    for (const { requester, accepter } of pairs) {
      for (const [local, remote] of [
        [requester, accepter],
        [accepter, requester],
      ]) {
        const { database, workload } = byRegion.get(local)!;
        if (workload) {
          new CidrRules(this, `workload-${local}-to-${remote}-database`, {
            provider: this.providerFor(local),
            securityGroupId: workload.securityGroup.id,
            direction: 'egress',
            port: database.port,
            cidrs: [byRegion.get(remote)!.region.subnets.database.block],
            description: `Database tier of ${remote}`,
          });
        }
        new CidrRules(this, `database-${local}-from-${remote}`, {
          direction: 'ingress',
          provider: this.providerFor(local),
          securityGroupId: database.securityGroup.id,
          port: database.port,
          cidrs: byRegion.get(remote)!.region.subnets.private.subnets.map((s) => s.cidr),
          description: `Database from the ${remote} app tier`,
        });
      }
    }

    // Every bucket replicates to the same bucket in every other Region, whatever the peering
    // topology and link: S3 replication does not travel over the links.
    this.replications = config.storage.buckets.flatMap((bucket) =>
      regions.map((source) => {
        const ref = (stack: RegionStack) => {
          const regional = stack.buckets.get(bucket.name)!;
          // Names read from the versioning resources: the configuration cannot apply before
          // versioning is on in every involved bucket.
          return { name: regional.versionedBucketName, arn: s3BucketArn(regional.versionedBucketName), kmsKeyArn: stack.key.keyArn };
        };
        const from = ref(source);
        const sourceRegion = source.region.region;
        return new BucketReplication(this, `replication-${bucket.name}-${sourceRegion}`, {
          roleName: this.naming.bucketReplicationRole(bucket.name, sourceRegion),
          source: { bucketName: from.name, bucketArn: from.arn, kmsKeyArn: from.kmsKeyArn, region: sourceRegion },
          destinations: regions
            .filter((destination) => destination !== source)
            .map((destination) => {
              const to = ref(destination);
              return {
                bucketName: to.name,
                bucketArn: to.arn,
                kmsKeyArn: to.kmsKeyArn,
                region: destination.region.region,
                storageClass: bucket.replicaStorageClass,
              };
            }),
          replicationTimeControl: bucket.replicationTimeControl,
          replicaModifications: true,
          alarms: { topicArn: source.alerts.topicArn, namePrefix: `${config.name}-${bucket.name}-${sourceRegion}` },
          provider: this.providerFor(sourceRegion),
        });
      }),
    );

    // Global tables live here: the table and its replicas need every Region's provider and key.
    // The table is in its home Region (homeRegion, else the primary; config changes refuse a move).
    const tableRegion = (region: string): GlobalTableRegion => {
      const stack = byRegion.get(region)!;
      return { region, provider: this.providerFor(region), kmsKeyArn: stack.key.keyArn, alertsTopicArn: stack.alerts.topicArn };
    };
    this.tables = new Map(
      config.storage.tables.map((table) => [
        table.name,
        new GlobalTable(this, `table-${table.name}`, {
          tableName: this.naming.table(table.name),
          home: tableRegion(table.homeRegion),
          replicas: config.regions.filter((r) => r.region !== table.homeRegion).map((r) => tableRegion(r.region)),
          partitionKey: table.partitionKey,
          sortKey: table.sortKey,
          globalSecondaryIndexes: table.globalSecondaryIndexes,
          ttlAttribute: table.ttlAttribute,
          provisioned: table.provisioned,
          deletionProtection: table.deletionProtection && !config.decommission,
          replicationLatencyThresholdMs: table.replicationLatencyThresholdMs,
        }),
      ]),
    );
  }
}
