import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { RegionalNetwork, type NatGatewayMode, type SubnetsByAz } from '../../constructs/network/regional-network';
import type { VpcFlowLogsProps } from '../../constructs/network/vpc-flow-logs';
import {
  FLOW_LOG_TRAFFIC_TYPES,
  MAX_VPC_PREFIX,
  MIN_VPC_PREFIX,
  NAT_MODES,
  NetworkSchema,
  NO_NAT_INTERFACE_ENDPOINTS,
  SERVICE_ENDPOINT_PATTERN,
} from '../../config/schema';
import { PRIVATE_RANGES } from '../../planning/cidr';
import { SUBNET_TIERS, subnetsByAz } from '../../planning/subnets';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import { hclList, hclLiteral, inputs } from '../inputs';

const region = example.regions[0];

export const vpcModule: ModuleDefinition = {
  name: 'vpc',
  mainResources: [
    'aws_vpc',
    'aws_internet_gateway',
    'aws_nat_gateway',
    'aws_default_security_group',
    'aws_default_route_table',
    'aws_default_network_acl',
    'aws_flow_log',
  ],
  purposes: { 'vpc/flow-logs': 'flow_log', 'vpc/endpoints-https-from-vpc': 'endpoints_https' },
  summary:
    "A Region's VPC: public, private, database and transit subnets in every AZ, NAT, gateway and interface endpoints, flow logs, locked defaults.",
  description:
    "One Region's VPC as the stacks create it. Subnets of four tiers in every AZ: `public` (load balancers, NAT), `private` (the app tier), `database` and `transit` (Transit Gateway attachments); none assigns public IPs. A public route table with the internet gateway; a private route table per AZ with its default route to that AZ's NAT gateway (`per-az`), to one NAT gateway (`single`), or none (`none`, add `interface_endpoints`); database and transit route tables without any internet route. S3 and DynamoDB gateway endpoints on the private and database route tables. With `ipv6`, dual stack for the load balancers: an Amazon-provided IPv6 /56 on the VPC, a /64 of it on each public subnet (numbered by AZ letter), an IPv6 default route to the internet gateway and IPv6 in the network ACL; the other tiers stay IPv4-only. Flow logs to a log group encrypted with `kms_key_arn`, written through a role only the flow log service of this account and Region can assume. The default security group without rules, and the default route table and network ACL under management.\n\nThe subnet CIDRs are inputs: `npx active-active subnets` prints the plan the project computes (each tier an aligned block of 8 AZ slots, so adding an AZ never moves a subnet).",
  build(stack) {
    const input = inputs(stack);
    const namePrefix = stack.input('name_prefix', { type: 'string', description: 'Prefix of the Name tags, e.g. "acme-shop-us-east-1".' });
    const cidr = stack.input('cidr', {
      type: 'string',
      description: `IPv4 CIDR of the VPC: a private /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}.`,
      validation: [
        {
          condition: `\${can(cidrhost(var.cidr, 0)) && tonumber(split("/", var.cidr)[1]) >= ${MIN_VPC_PREFIX} && tonumber(split("/", var.cidr)[1]) <= ${MAX_VPC_PREFIX}}`,
          errorMessage: `cidr must be an IPv4 CIDR block from /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}.`,
        },
        {
          condition: '${try(cidrhost(var.cidr, 0) == split("/", var.cidr)[0], false)}',
          errorMessage: 'cidr must be the network address of its block, without host bits set, e.g. "10.10.0.0/16".',
        },
        {
          // The block's address masked to each private range's prefix must be that range's address.
          condition: `\${anytrue([for block in ${hclList(PRIVATE_RANGES)} : try(tonumber(split("/", var.cidr)[1]) >= tonumber(split("/", block)[1]) && cidrhost(format("%s/%s", split("/", var.cidr)[0], split("/", block)[1]), 0) == split("/", block)[0], false)])}`,
          errorMessage: `cidr must be in a private (RFC 1918) range: ${PRIVATE_RANGES.join(', ')}.`,
        },
      ],
    });
    const subnets = stack.input('subnets', {
      type: `object({ ${SUBNET_TIERS.map((tier) => `${tier} = map(string)`).join(', ')} })`,
      description: 'Subnet CIDR by AZ name for each tier (public, private, database, transit); every tier has the same AZs, at least two.',
      validation: [
        {
          condition: `\${length(var.subnets.private) >= 2 && alltrue([for tier in [var.subnets.public, var.subnets.database, var.subnets.transit] : length(setsubtract(keys(tier), keys(var.subnets.private))) == 0 && length(tier) == length(var.subnets.private)])}`,
          errorMessage: 'subnets must give every tier the same AZs, at least two.',
        },
        {
          condition: `\${alltrue([for cidr in flatten([for tier in values(var.subnets) : values(tier)]) : can(cidrhost(cidr, 0))])}`,
          errorMessage: 'every subnet must be an IPv4 CIDR block.',
        },
      ],
    });
    const defaults = NetworkSchema.parse({});
    const natGateways = input.oneOf(
      'nat_gateways',
      '"per-az": a NAT gateway per AZ; "single": one for the VPC; "none": no NAT (needs interface_endpoints).',
      NAT_MODES,
      defaults.natGateways,
    );
    const ipv6 = stack.input('ipv6', {
      type: 'bool',
      description:
        'Dual stack for internet-facing load balancers: an Amazon-provided IPv6 /56 on the VPC and a /64 on each public subnet, with an IPv6 default route to the internet gateway. Can be turned on later without replacing anything.',
      default: false,
    });
    const endpoints = stack.input('interface_endpoints', {
      type: 'list(string)',
      description:
        'Interface endpoint services in the private subnets, e.g. ["ecr.api", "ecr.dkr", "logs", "sts", "kms", "secretsmanager"].',
      default: [],
      validation: [
        {
          condition: `\${alltrue([for service in var.interface_endpoints : can(regex(${hclLiteral(SERVICE_ENDPOINT_PATTERN.source)}, service))]) && length(distinct(var.interface_endpoints)) == length(var.interface_endpoints)}`,
          errorMessage:
            'interface_endpoints must be distinct service names such as "ecr.api" or "logs" (the part after com.amazonaws.<region>.).',
        },
        {
          // Without NAT, the private subnets reach AWS APIs only through endpoints: the workload could
          // not pull its image nor send its logs (the config file refuses the same).
          condition: '${var.nat_gateways != "none" || length(var.interface_endpoints) > 0}',
          errorMessage: `interface_endpoints must not be empty while nat_gateways is "none": the private subnets would reach no AWS API. List the endpoints the workload needs (e.g. ${NO_NAT_INTERFACE_ENDPOINTS.join(', ')}), or set nat_gateways to "single".`,
        },
      ],
    });
    const kmsKeyArn = stack.input('kms_key_arn', {
      type: 'string',
      description: 'ARN of the key that encrypts the flow log group; its policy must let CloudWatch Logs use it.',
    });
    const logGroupName = stack.input('flow_log_group_name', {
      type: 'string',
      description: 'Name of the flow log group, e.g. "/acme-shop/vpc-flow-logs".',
    });
    const roleName = input.roleName('flow_log_role_name', 'Name of the flow log role (IAM names are global: include the Region).');
    const retention = input.logRetention(
      'flow_log_retention_in_days',
      'Days the flow logs are kept (a CloudWatch Logs retention period).',
      defaults.flowLogs.retentionDays,
    );
    const trafficType = input.oneOf(
      'flow_log_traffic_type',
      'Traffic the flow logs record.',
      FLOW_LOG_TRAFFIC_TYPES,
      defaults.flowLogs.trafficType,
    );
    const accountId = input.accountId();
    const current = new DataAwsRegion(stack, 'current', {});

    const network = new RegionalNetwork(stack, 'vpc', {
      namePrefix: namePrefix.stringValue,
      region: current.id,
      cidr: cidr.stringValue,
      subnets: Object.fromEntries(SUBNET_TIERS.map((tier) => [tier, subnets.attribute<SubnetsByAz>(tier)])) as Record<
        (typeof SUBNET_TIERS)[number],
        SubnetsByAz
      >,
      natGateways: natGateways.stringValue as NatGatewayMode,
      ipv6: ipv6.booleanValue,
      interfaceEndpoints: endpoints.listValue,
      flowLogs: {
        logGroupName: logGroupName.stringValue,
        kmsKeyArn: kmsKeyArn.stringValue,
        roleName: roleName.stringValue,
        region: current.id,
        accountId: accountId.stringValue,
        retentionInDays: retention.numberValue,
        trafficType: trafficType.stringValue as VpcFlowLogsProps['trafficType'],
      },
    });
    stack.output('vpc_id', network.vpcId, 'ID of the VPC.');
    stack.output('vpc_cidr', network.vpcCidr, 'CIDR block of the VPC.');
    stack.output('vpc_ipv6_cidr_block', network.vpc.ipv6CidrBlock, 'IPv6 block of the VPC (empty without ipv6).');
    for (const tier of SUBNET_TIERS)
      stack.output(`${tier}_subnet_ids`, network.subnetIds[tier], `IDs of the ${tier} subnets, in AZ order.`);
    stack.output('private_route_table_ids', network.privateRouteTableIds, 'ID of the private route table of each AZ, by AZ.');
    stack.output('database_route_table_id', network.routeTableIds.database[0], 'ID of the database route table.');
    stack.output('public_route_table_id', network.routeTableIds.public[0], 'ID of the public route table.');
    stack.output('transit_route_table_id', network.routeTableIds.transit[0], 'ID of the transit route table.');
  },
  example: {
    providers: [{ region: region.region }],
    inputs: {
      name_prefix: `acme-shop-${region.region}`,
      cidr: region.cidr,
      subnets: subnetsByAz(region.subnets),
      nat_gateways: 'per-az',
      kms_key_arn: `arn:aws:kms:${region.region}:${example.accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      flow_log_group_name: '/acme-shop/vpc-flow-logs',
      flow_log_role_name: `acme-shop-vpc-flow-logs-${region.region}`,
      account_id: example.accountId,
    },
  },
  variants: {
    'single-nat-endpoints': { nat_gateways: 'single', interface_endpoints: ['ecr.api', 'logs'] },
    'dual-stack': { ipv6: true },
    'no-nat': { nat_gateways: 'none', interface_endpoints: ['ecr.api', 'ecr.dkr', 'logs', 'sts', 'kms', 'secretsmanager'] },
  },
};
