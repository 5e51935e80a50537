import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  DefaultNetworkAcl,
  defaultNetworkAclEgressToTerraform,
  defaultNetworkAclIngressToTerraform,
} from '@cdktf/provider-aws/lib/default-network-acl';
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
import { IPV6_SUBNET_NEWBITS, ipv6SubnetNetnum, ipv6SubnetNetnumExpression, SUBNET_TIERS, type SubnetTier } from '../../planning/subnets';
import { Instances, Keyed } from '../collection';
import {
  and,
  attributeOf,
  call,
  choose,
  computedNumber,
  concat,
  conditionalBlocks,
  differs,
  equals,
  isNotEmpty,
  optional,
  or,
  type Condition,
} from '../conditions';
import { requireKnown } from '../validation';
import { VpcFlowLogs, type VpcFlowLogsProps } from './vpc-flow-logs';
import { explain } from '../rationale';

/** NAT for the private subnets: a gateway in every AZ, one for the VPC, or none. */
export type NatGatewayMode = 'per-az' | 'single' | 'none';

/** CIDR by AZ name, e.g. `{ "us-east-1a": "10.10.0.0/20" }`: a literal, or a token for a Terraform map. */
export type SubnetsByAz = Readonly<Record<string, string>>;

/** Properties of a `RegionalNetwork`. */
export interface RegionalNetworkProps {
  /** Prefix of the `Name` tags, e.g. `acme-shop-us-east-1`. */
  readonly namePrefix: string;
  /** The Region, for endpoint service names. */
  readonly region: string;
  /** The VPC's IPv4 CIDR block. */
  readonly cidr: string;
  /** The subnets of every tier, CIDR by AZ; every tier has the same AZs. */
  readonly subnets: Readonly<Record<SubnetTier, SubnetsByAz>>;
  /**
   * NAT for the private subnets: one per AZ, one for the VPC (in the first AZ), or none.
   * @default "per-az"
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Interface endpoint services (`ecr.api`, `logs`, ...) in the private subnets, reachable on 443 from the VPC.
   * @default - none
   */
  readonly interfaceEndpoints?: readonly string[];
  /**
   * Dual stack for the load balancers: an Amazon-provided IPv6 /56 on the VPC, a /64 of it on each
   * public subnet, an IPv6 default route to the internet gateway and IPv6 in the network ACL. The
   * private, database and transit tiers stay IPv4-only.
   * @default false
   */
  readonly ipv6?: Condition;
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
  /** The VPC. */
  readonly vpc: Vpc;
  /** The VPC's ID. */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR block. */
  readonly vpcCidr: string;
  /** Subnet IDs per tier, in AZ order. */
  readonly subnetIds: Readonly<Record<SubnetTier, string[]>>;
  /** Route table IDs per tier: one per AZ for `private`, one each for the others. */
  readonly routeTableIds: Readonly<Record<SubnetTier, string[]>>;
  /** The private route table of each AZ, by AZ. */
  readonly privateRouteTableIds: Readonly<Record<string, string>>;
  /** The VPC's flow logs. */
  readonly flowLogs: VpcFlowLogs;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const { provider, namePrefix } = props;
    const natMode = props.natGateways ?? 'per-az';
    const tiers = Object.fromEntries(SUBNET_TIERS.map((tier) => [tier, Keyed.of<string>(props.subnets[tier])])) as Record<
      SubnetTier,
      Keyed<string>
    >;
    if (tiers.private.known) {
      const azs = tiers.private.keys();
      for (const tier of SUBNET_TIERS) {
        if (tiers[tier].keys().join() !== azs.join())
          throw new Error(`RegionalNetwork ${id}: the ${tier} tier must have one subnet in each of ${azs.join(', ')}`);
      }
      if (azs.length < 2) throw new Error(`RegionalNetwork ${id}: at least two Availability Zones are required`);
    }
    requireKnown(
      natMode,
      () => ['per-az', 'single', 'none'].includes(natMode),
      () => `RegionalNetwork ${id}: natGateways must be per-az, single or none`,
    );
    const name = (suffix: string) => ({ Name: `${namePrefix}-${suffix}` });
    const ipv6 = props.ipv6 ?? false;

    this.vpc = new Vpc(this, 'vpc', {
      provider,
      cidrBlock: props.cidr,
      assignGeneratedIpv6CidrBlock: choose(ipv6, true, undefined),
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: name('vpc'),
    });
    explain(
      this.vpc,
      "IPv6 can be turned on later: the provider then associates the block in place, without a replacement. Without IPv6, assign_generated_ipv6_cidr_block is left out (null) rather than false, so an IPv4 VPC's configuration is unchanged.",
    );
    this.vpcId = this.vpc.id;
    this.vpcCidr = this.vpc.cidrBlock;

    const defaultSecurityGroup = new DefaultSecurityGroup(this, 'default-security-group', {
      provider,
      vpcId: this.vpc.id,
      tags: name('default-deny-all'),
    });
    explain(
      defaultSecurityGroup,
      'Managed without rules: whatever lands in the default security group by mistake can neither send nor receive.',
    );
    const defaultRouteTable = new DefaultRouteTable(this, 'default-route-table', {
      provider,
      defaultRouteTableId: this.vpc.defaultRouteTableId,
      route: [],
      tags: name('default-no-routes'),
    });
    explain(defaultRouteTable, 'Managed without routes: a subnet left without an explicit route table association reaches nothing.');
    const allowAll = { ruleNo: 100, action: 'allow', protocol: '-1', cidrBlock: '0.0.0.0/0', fromPort: 0, toPort: 0 };
    const networkAcl = new DefaultNetworkAcl(this, 'default-network-acl', {
      provider,
      defaultNetworkAclId: this.vpc.defaultNetworkAclId,
      ingress: [allowAll],
      egress: [allowAll],
      tags: name('default'),
      lifecycle: { ignoreChanges: ['subnet_ids'] },
    });
    explain(
      networkAcl,
      'Open on purpose: security groups filter the traffic, and a stateless network ACL that only repeated them would add failure modes without adding protection. It stays under management, so a manual change shows up as drift.',
    );
    explain(networkAcl, "ignore_changes = [subnet_ids]: AWS rewrites the default network ACL's subnet list as subnets come and go.");
    explain(
      networkAcl,
      'Rule 101 lets IPv6 through when the VPC has an IPv6 block: dual-stack load balancers need it, and a managed ACL keeps only the rules declared here, not the ones AWS adds (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-ip-address-type.html).',
    );
    const allowAllIpv6 = { ruleNo: 101, action: 'allow', protocol: '-1', ipv6CidrBlock: '::/0', fromPort: 0, toPort: 0 };
    const ipv6Ingress = conditionalBlocks(
      networkAcl,
      'ingress',
      [{ when: ipv6, block: allowAllIpv6 }],
      defaultNetworkAclIngressToTerraform,
    );
    if (ipv6Ingress.length > 0) networkAcl.putIngress([allowAll, ...ipv6Ingress]);
    const ipv6Egress = conditionalBlocks(networkAcl, 'egress', [{ when: ipv6, block: allowAllIpv6 }], defaultNetworkAclEgressToTerraform);
    if (ipv6Egress.length > 0) networkAcl.putEgress([allowAll, ...ipv6Egress]);

    const subnets = {} as Record<SubnetTier, Instances<Subnet>>;
    for (const tier of SUBNET_TIERS) {
      subnets[tier] = tiers[tier].each(
        (item) =>
          new Subnet(this, item.id(`${tier}-{key}`), {
            provider,
            forEach: item.forEach,
            vpcId: this.vpc.id,
            cidrBlock: item.value,
            ipv6CidrBlock: tier === 'public' ? this.publicIpv6Cidr(ipv6, item.key, item.forEach !== undefined) : undefined,
            availabilityZone: item.key,
            mapPublicIpOnLaunch: false,
            tags: { ...name(`${tier}-${item.key}`), Tier: tier },
          }),
      );
    }
    this.subnetIds = Object.fromEntries(SUBNET_TIERS.map((t) => [t, subnets[t].all('id')])) as Record<SubnetTier, string[]>;

    const routeTable = (tableId: string) =>
      new RouteTable(this, `${tableId}-route-table`, { provider, vpcId: this.vpc.id, tags: name(tableId) });
    const privateTables = tiers.private.each(
      (item) =>
        new RouteTable(this, item.id('private-{key}-route-table'), {
          provider,
          forEach: item.forEach,
          vpcId: this.vpc.id,
          tags: name(`private-${item.key}`),
        }),
    );
    const associate = (tier: SubnetTier, table: RouteTable | Instances<RouteTable>) =>
      tiers[tier].each(
        (item) =>
          new RouteTableAssociation(this, item.id(`${tier}-{key}-association`), {
            provider,
            forEach: item.forEach,
            subnetId: subnets[tier].ref('id', item),
            routeTableId: table instanceof RouteTable ? table.id : table.ref('id', item),
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
    optional(
      ipv6,
      (count) =>
        new Route(this, 'public-ipv6-default-route', {
          provider,
          count,
          routeTableId: publicTable.id,
          destinationIpv6CidrBlock: '::/0',
          gatewayId: internetGateway.id,
        }),
    );
    associate('public', publicTable);
    associate('private', privateTables);

    this.natRoutes(props, natMode, tiers, subnets, privateTables, internetGateway);

    const databaseTable = routeTable('database');
    associate('database', databaseTable);
    const transitTable = routeTable('transit');
    associate('transit', transitTable);

    this.routeTableIds = {
      public: [publicTable.id],
      private: privateTables.all('id'),
      database: [databaseTable.id],
      transit: [transitTable.id],
    };
    this.privateRouteTableIds = privateTables.byKeyOf('id');

    const gatewayRouteTables = concat(this.routeTableIds.private, [databaseTable.id]);
    for (const service of ['s3', 'dynamodb']) {
      new VpcEndpoint(this, `${service}-gateway-endpoint`, {
        provider,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: gatewayRouteTables,
        tags: name(`${service}-endpoint`),
      });
    }

    this.interfaceEndpoints(props, namePrefix, name);
    this.flowLogs = new VpcFlowLogs(this, 'flow-logs', { ...props.flowLogs, vpcId: this.vpc.id, provider });
  }

  /**
   * The /64 of a public subnet: `cidrsubnet` of the VPC's IPv6 block, which is known only after
   * apply. Added to an existing subnet, it is an in-place update as long as the subnet does not
   * assign IPv6 addresses on creation (the provider replaces the subnet only when
   * `assign_ipv6_address_on_creation` was on: CustomizeDiff of `aws_subnet` in
   * hashicorp/terraform-provider-aws, internal/service/ec2/vpc_subnet.go); it stays off.
   */
  private publicIpv6Cidr(ipv6: Condition, az: string, iterated: boolean): string | undefined {
    if (ipv6 === false) return undefined;
    const netnum = iterated ? computedNumber(ipv6SubnetNetnumExpression('public', az)) : ipv6SubnetNetnum('public', az);
    return choose(ipv6, call('cidrsubnet', this.vpc.ipv6CidrBlock, IPV6_SUBNET_NEWBITS, netnum), undefined);
  }

  /**
   * NAT gateways (with their addresses) in the public subnets of the AZs the mode asks for, and a
   * default route from each private route table to its AZ's gateway, or the single one.
   */
  private natRoutes(
    props: RegionalNetworkProps,
    natMode: NatGatewayMode,
    tiers: Record<SubnetTier, Keyed<string>>,
    subnets: Record<SubnetTier, Instances<Subnet>>,
    privateTables: Instances<RouteTable>,
    internetGateway: InternetGateway,
  ): void {
    const { provider } = props;
    const perAz = equals(natMode, 'per-az');
    const firstAz = tiers.public.firstKey();
    const wantedAzs = tiers.public.filter((az) => or(perAz, and(equals(natMode, 'single'), equals(az, firstAz))), {
      key: 'az',
      value: 'cidr',
    });
    // The addresses and the gateways share one filter: a local that the HCL module shows by name.
    const natAzs = wantedAzs.known ? wantedAzs : wantedAzs.inLocal(this, 'nat_azs');
    const eips = natAzs.each(
      (item) =>
        new Eip(this, item.id('nat-{key}-eip'), {
          provider,
          forEach: item.forEach,
          domain: 'vpc',
          tags: { Name: `${props.namePrefix}-nat-${item.key}` },
        }),
    );
    const natGateways = natAzs.each(
      (item) =>
        new NatGateway(this, item.id('nat-{key}'), {
          provider,
          forEach: item.forEach,
          allocationId: eips.ref('id', item),
          subnetId: subnets.public.ref('id', item),
          tags: { Name: `${props.namePrefix}-nat-${item.key}` },
          dependsOn: [internetGateway],
        }),
    );
    for (const natGateway of natGateways.dependables)
      explain(natGateway, 'depends_on the internet gateway: a public NAT gateway reaches the internet through it.');
    tiers.private.emptyUnless(differs(natMode, 'none')).each(
      (item) =>
        new Route(this, item.id('private-{key}-default-route'), {
          provider,
          forEach: item.forEach,
          routeTableId: privateTables.ref('id', item),
          destinationCidrBlock: '0.0.0.0/0',
          natGatewayId: natGateways.ref('id', choose(perAz, item.key, natGateways.firstKey())),
        }),
    );
  }

  /** Interface endpoints in the private subnets, behind a security group that admits HTTPS from the VPC. */
  private interfaceEndpoints(props: RegionalNetworkProps, namePrefix: string, name: (suffix: string) => { Name: string }): void {
    const { provider } = props;
    const services = props.interfaceEndpoints ?? [];
    const wanted = isNotEmpty(services);
    const endpointSecurityGroup = optional(
      wanted,
      (count) =>
        new SecurityGroup(this, 'endpoints-security-group', {
          provider,
          count,
          vpcId: this.vpc.id,
          name: `${namePrefix}-vpc-endpoints`,
          description: 'HTTPS from the VPC to interface endpoints',
          tags: name('vpc-endpoints'),
        }),
    );
    if (!endpointSecurityGroup) return;
    const groupId = attributeOf(endpointSecurityGroup, 'id');
    optional(
      wanted,
      (count) =>
        new VpcSecurityGroupIngressRule(this, 'endpoints-https-from-vpc', {
          provider,
          count,
          securityGroupId: groupId,
          description: 'HTTPS from the VPC',
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          cidrIpv4: props.cidr,
        }),
    );
    Keyed.ofSet(services).each(
      (item) =>
        new VpcEndpoint(this, item.id('{key}-interface-endpoint').replace(/\./g, '-'), {
          provider,
          forEach: item.forEach,
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${item.key}`,
          vpcEndpointType: 'Interface',
          subnetIds: this.subnetIds.private,
          securityGroupIds: [groupId],
          privateDnsEnabled: true,
          tags: name(`${item.key}-endpoint`),
        }),
    );
  }
}
