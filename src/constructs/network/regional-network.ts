import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DefaultNetworkAcl } from '@cdktf/provider-aws/lib/default-network-acl';
import { DefaultRouteTable } from '@cdktf/provider-aws/lib/default-route-table';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { SUBNET_TIERS, type SubnetPlan, type SubnetTier } from '../../planning/subnets';
import { VpcFlowLogs, type VpcFlowLogsProps } from './vpc-flow-logs';

export type NatGatewayMode = 'per-az' | 'single' | 'none';

export interface RegionalNetworkProps {
  /** Prefix of the `Name` tags, e.g. `acme-shop-us-east-1`. */
  readonly namePrefix: string;
  /** The Region, for endpoint service names. */
  readonly region: string;
  /** The VPC's IPv4 CIDR block. */
  readonly cidr: string;
  /** The subnets of every tier, one per AZ, as planned by `planSubnets`. */
  readonly subnets: SubnetPlan;
  /**
   * NAT for the private subnets: one per AZ, one for the VPC, or none.
   * @default "per-az"
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Interface endpoint services (`ecr.api`, `logs`, ...) in the private subnets, reachable on 443 from the VPC.
   * @default - none
   */
  readonly interfaceEndpoints?: readonly string[];
  /** Flow log settings: everything but the VPC and provider, which this construct supplies. */
  readonly flowLogs: Omit<VpcFlowLogsProps, 'vpcId' | 'provider'>;
  /**
   * The provider (Region) to create the network with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * One Region's VPC: public, private (app), database and transit subnets in every AZ; an internet
 * gateway for the public tier; NAT per the chosen mode for the private tier; no internet route for
 * the database and transit tiers; S3 and DynamoDB gateway endpoints; optional interface endpoints;
 * flow logs; and the VPC defaults (security group, network ACL, main route table) taken under
 * management so nothing falls back to AWS's permissive defaults.
 */
export class RegionalNetwork extends Construct {
  readonly vpc: Vpc;
  readonly vpcId: string;
  readonly vpcCidr: string;
  /** Subnet IDs per tier, in the order of the AZs. */
  readonly subnetIds: Readonly<Record<SubnetTier, string[]>>;
  /** Route table IDs per tier: one per AZ for `private`, one each for the others. */
  readonly routeTableIds: Readonly<Record<SubnetTier, string[]>>;
  readonly flowLogs: VpcFlowLogs;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const { provider, namePrefix } = props;
    const natMode = props.natGateways ?? 'per-az';
    const azs = props.subnets.private.subnets.map((s) => s.az);
    for (const tier of SUBNET_TIERS) {
      const tierAzs = props.subnets[tier].subnets.map((s) => s.az);
      if (tierAzs.join() !== azs.join()) {
        throw new Error(`RegionalNetwork ${id}: the ${tier} tier must have one subnet in each of ${azs.join(', ')}`);
      }
    }
    if (azs.length < 2) throw new Error(`RegionalNetwork ${id}: at least two Availability Zones are required`);
    const name = (suffix: string) => ({ Name: `${namePrefix}-${suffix}` });

    this.vpc = new Vpc(this, 'vpc', {
      provider,
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name('vpc'),
    });
    this.vpcId = this.vpc.id;
    this.vpcCidr = this.vpc.cidrBlock;

    new DefaultSecurityGroup(this, 'default-security-group', {
      provider,
      vpcId: this.vpc.id,
      tags: name('default-deny-all'),
    });
    new DefaultRouteTable(this, 'default-route-table', {
      provider,
      defaultRouteTableId: this.vpc.defaultRouteTableId,
      route: [],
      tags: name('default-no-routes'),
    });
    // Security groups filter traffic; the network ACL stays open but under management, so a manual
    // change shows up as drift.
    const allowAll = { ruleNo: 100, action: 'allow', protocol: '-1', cidrBlock: '0.0.0.0/0', fromPort: 0, toPort: 0 };
    new DefaultNetworkAcl(this, 'default-network-acl', {
      provider,
      defaultNetworkAclId: this.vpc.defaultNetworkAclId,
      ingress: [allowAll],
      egress: [allowAll],
      tags: name('default'),
      lifecycle: { ignoreChanges: ['subnet_ids'] },
    });

    const subnets = {} as Record<SubnetTier, Subnet[]>;
    for (const tier of SUBNET_TIERS) {
      subnets[tier] = props.subnets[tier].subnets.map(
        ({ az, cidr }) =>
          new Subnet(this, `${tier}-${az}`, {
            provider,
            vpcId: this.vpc.id,
            cidrBlock: cidr,
            availabilityZone: az,
            mapPublicIpOnLaunch: false,
            tags: { ...name(`${tier}-${az}`), Tier: tier },
          }),
      );
    }
    this.subnetIds = Object.fromEntries(SUBNET_TIERS.map((t) => [t, subnets[t].map((s) => s.id)])) as Record<SubnetTier, string[]>;

    const routeTable = (tableId: string) =>
      new RouteTable(this, `${tableId}-route-table`, { provider, vpcId: this.vpc.id, tags: name(tableId) });
    const associate = (tier: SubnetTier, tables: RouteTable[]) =>
      subnets[tier].forEach(
        (subnet, i) =>
          new RouteTableAssociation(this, `${tier}-${azs[i]}-association`, {
            provider,
            subnetId: subnet.id,
            routeTableId: tables[Math.min(i, tables.length - 1)].id,
          }),
      );

    const internetGateway = new InternetGateway(this, 'internet-gateway', { provider, vpcId: this.vpc.id, tags: name('igw') });
    const publicTable = routeTable('public');
    new Route(this, 'public-default-route', {
      provider,
      routeTableId: publicTable.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });
    associate('public', [publicTable]);

    const privateTables = azs.map((az) => routeTable(`private-${az}`));
    associate('private', privateTables);
    const natAzs = natMode === 'per-az' ? azs : natMode === 'single' ? [azs[0]] : [];
    const natGateways = natAzs.map((az, i) => {
      const eip = new Eip(this, `nat-${az}-eip`, { provider, domain: 'vpc', tags: name(`nat-${az}`) });
      return new NatGateway(this, `nat-${az}`, {
        provider,
        allocationId: eip.id,
        subnetId: subnets.public[i].id,
        tags: name(`nat-${az}`),
        dependsOn: [internetGateway],
      });
    });
    if (natGateways.length > 0) {
      privateTables.forEach(
        (table, i) =>
          new Route(this, `private-${azs[i]}-default-route`, {
            provider,
            routeTableId: table.id,
            destinationCidrBlock: '0.0.0.0/0',
            natGatewayId: natGateways[Math.min(i, natGateways.length - 1)].id,
          }),
      );
    }

    const databaseTable = routeTable('database');
    associate('database', [databaseTable]);
    const transitTable = routeTable('transit');
    associate('transit', [transitTable]);

    this.routeTableIds = {
      public: [publicTable.id],
      private: privateTables.map((t) => t.id),
      database: [databaseTable.id],
      transit: [transitTable.id],
    };

    for (const service of ['s3', 'dynamodb']) {
      new VpcEndpoint(this, `${service}-gateway-endpoint`, {
        provider,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [...this.routeTableIds.private, ...this.routeTableIds.database],
        tags: name(`${service}-endpoint`),
      });
    }

    const interfaceEndpoints = props.interfaceEndpoints ?? [];
    if (interfaceEndpoints.length > 0) {
      const endpointSecurityGroup = new SecurityGroup(this, 'endpoints-security-group', {
        provider,
        vpcId: this.vpc.id,
        name: `${namePrefix}-vpc-endpoints`,
        description: 'HTTPS from the VPC to interface endpoints',
        tags: name('vpc-endpoints'),
      });
      new VpcSecurityGroupIngressRule(this, 'endpoints-https-from-vpc', {
        provider,
        securityGroupId: endpointSecurityGroup.id,
        description: 'HTTPS from the VPC',
        ipProtocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        cidrIpv4: props.cidr,
      });
      for (const service of interfaceEndpoints) {
        new VpcEndpoint(this, `${service.replace(/\./g, '-')}-interface-endpoint`, {
          provider,
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          subnetIds: this.subnetIds.private,
          securityGroupIds: [endpointSecurityGroup.id],
          privateDnsEnabled: true,
          tags: name(`${service}-endpoint`),
        });
      }
    }

    this.flowLogs = new VpcFlowLogs(this, 'flow-logs', { ...props.flowLogs, vpcId: this.vpc.id, provider });
  }
}
