import { Construct } from 'constructs';
import type { ResolvedConfig, ResolvedRegion } from '../src/config';
import { RegionalNetwork } from '../src/constructs/network/regional-network';
import { CustomerManagedKey } from '../src/constructs/security/customer-managed-key';
import { cloudWatchLogsKeyStatement } from '../src/constructs/security/key-policies';
import { TransitHub } from '../src/constructs/transit/transit-hub';
import { StackNames } from '../src/naming';
import { ProjectStack } from './project-stack';

/** Everything that lives in one Region: its own state object, so one Region's outage never blocks another's plans. */
export class RegionStack extends ProjectStack {
  /** The Region's general purpose customer-managed key. */
  readonly key: CustomerManagedKey;
  readonly network: RegionalNetwork;
  readonly hub: TransitHub;

  constructor(scope: Construct, config: ResolvedConfig, readonly region: ResolvedRegion) {
    super(scope, StackNames.region(region.region), config, region.region);
    this.useRemoteState();
    const { naming } = this;
    const prefix = naming.regionalPrefix(region.region);

    this.key = new CustomerManagedKey(this, 'regional-key', {
      alias: naming.regionalKeyAlias(),
      description: `Encrypts the data of ${config.name} in ${region.region}`,
      accountRootArn: naming.accountRootArn(),
      statements: [cloudWatchLogsKeyStatement(region.region, naming.logGroupArnPattern(region.region))],
    });

    this.network = new RegionalNetwork(this, 'network', {
      namePrefix: prefix,
      region: region.region,
      cidr: region.cidr,
      subnets: region.subnets,
      natGateways: config.network.natGateways,
      interfaceEndpoints: config.network.interfaceEndpoints,
      flowLogs: {
        logGroupName: naming.flowLogGroup(),
        kmsKeyArn: this.key.keyArn,
        roleName: naming.flowLogRole(region.region),
        region: region.region,
        accountId: config.accountId,
        retentionInDays: config.network.flowLogs.retentionDays,
        trafficType: config.network.flowLogs.trafficType,
      },
    });

    this.hub = new TransitHub(this, 'transit-hub', {
      namePrefix: prefix,
      amazonSideAsn: region.transitGatewayAsn,
      vpcId: this.network.vpcId,
      subnetIds: this.network.subnetIds.transit,
    });

    this.addOutputs({
      'kms-key-arn': [this.key.keyArn, `Customer-managed KMS key of ${region.region}`],
      'vpc-id': [this.network.vpcId, 'VPC ID'],
      'vpc-cidr': [this.network.vpcCidr, 'VPC CIDR block'],
      'public-subnet-ids': [this.network.subnetIds.public, 'Public subnet IDs, one per AZ'],
      'private-subnet-ids': [this.network.subnetIds.private, 'Private (app) subnet IDs, one per AZ'],
      'database-subnet-ids': [this.network.subnetIds.database, 'Database subnet IDs, one per AZ'],
      'transit-gateway-id': [this.hub.transitGatewayId, 'Transit Gateway ID'],
    });
  }
}
