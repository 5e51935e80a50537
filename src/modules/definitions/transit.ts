import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TransitHub } from '../../constructs/transit/transit-hub';
import { TransitPeering, type PeeringSide } from '../../constructs/transit/transit-peering';
import { VpcPeering, type VpcPeeringSide } from '../../constructs/transit/vpc-peering';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import { inputs } from '../inputs';

const [region, peer] = example.regions;

export const transitGatewayModule: ModuleDefinition = {
  name: 'transit-gateway',
  mainResources: ['aws_ec2_transit_gateway', 'aws_ec2_transit_gateway_route_table', 'aws_ec2_transit_gateway_vpc_attachment'],
  summary: "A Region's Transit Gateway with one explicit route table, and the VPC attached on its transit subnets.",
  description:
    "A Transit Gateway with nothing implicit: a unique private Amazon-side ASN, no default route table association or propagation, no auto-accept of shared attachments. The VPC is attached on its transit subnets, and the attachment is associated with one explicit route table that the VPC's CIDR is propagated into; peering attachments (see `transit-gateway-peering`) use the same route table.",
  build(stack) {
    const namePrefix = stack.input('name_prefix', { type: 'string', description: 'Prefix of the Name tags, e.g. "acme-shop-us-east-1".' });
    const asn = stack.input('amazon_side_asn', {
      type: 'number',
      description: 'Private ASN of the Transit Gateway, unique per Region: 64512 to 65534, or 4200000000 to 4294967294.',
      validation: [
        {
          condition:
            '${(var.amazon_side_asn >= 64512 && var.amazon_side_asn <= 65534) || (var.amazon_side_asn >= 4200000000 && var.amazon_side_asn <= 4294967294)}',
          errorMessage: 'amazon_side_asn must be a private ASN.',
        },
      ],
    });
    const vpcId = stack.input('vpc_id', { type: 'string', description: 'ID of the VPC to attach.' });
    const subnetIds = stack.input('subnet_ids', { type: 'list(string)', description: 'IDs of the transit subnets, one per AZ.' });
    const hub = new TransitHub(stack, 'hub', {
      namePrefix: namePrefix.stringValue,
      amazonSideAsn: asn.numberValue,
      vpcId: vpcId.stringValue,
      subnetIds: subnetIds.listValue,
    });
    stack.output('transit_gateway_id', hub.transitGatewayId, 'ID of the Transit Gateway.');
    stack.output('route_table_id', hub.routeTableId, 'ID of the Transit Gateway route table.');
    stack.output('vpc_attachment_id', hub.vpcAttachment.id, 'ID of the VPC attachment.');
  },
  example: {
    providers: [{ region: region.region }],
    inputs: {
      name_prefix: `acme-shop-${region.region}`,
      amazon_side_asn: region.transitGatewayAsn,
      vpc_id: 'vpc-0a1b2c3d4e5f60001',
      subnet_ids: region.azs.map((_, i) => `subnet-0a1b2c3d4e5f6020${i + 1}`),
    },
  },
};

/** What one side of a peering takes beyond its VPC's CIDR and route tables, and why the CIDRs must differ. */
interface PeeringSideShape {
  /** The extra attributes of the side's object type, e.g. `transit_gateway_id = string`. */
  readonly attributes: readonly string[];
  /** What the description says the side holds before its CIDR. */
  readonly holds: string;
  /** Why the two CIDRs must differ, for the validation message. */
  readonly distinctCidrs: string;
}

/** The input of one side of a two-Region peering (Transit Gateway or VPC), validated. */
function peeringSideInput(
  stack: Parameters<ModuleDefinition['build']>[0],
  side: 'requester' | 'accepter',
  provider: string,
  shape: PeeringSideShape,
) {
  const other = side === 'requester' ? 'accepter' : 'requester';
  return stack.input(side, {
    type: `object({ ${[...shape.attributes, 'vpc_cidr = string', 'vpc_route_table_ids = map(string)'].join(', ')} })`,
    description: `The ${side} side, in the Region of the ${provider} provider: ${shape.holds}, and the VPC route tables that should reach the ${other}'s CIDR, by a stable name (e.g. { "private-us-east-1a" = "rtb-...", database = "rtb-..." }).`,
    validation: [
      { condition: `\${can(cidrhost(var.${side}.vpc_cidr, 0))}`, errorMessage: `${side}.vpc_cidr must be an IPv4 CIDR block.` },
      ...(side === 'accepter'
        ? [
            {
              condition: '${var.accepter.vpc_cidr != var.requester.vpc_cidr}',
              errorMessage: `accepter.vpc_cidr must differ from requester.vpc_cidr: ${shape.distinctCidrs}.`,
            },
          ]
        : []),
    ],
  });
}

const TRANSIT_GATEWAY_SIDE: PeeringSideShape = {
  attributes: ['transit_gateway_id = string', 'transit_gateway_route_table_id = string'],
  holds: "its Transit Gateway and the route table its VPC attachment uses (outputs of `transit-gateway`), its VPC's CIDR",
  distinctCidrs: 'routes between the VPCs need distinct CIDRs',
};

const VPC_SIDE: PeeringSideShape = {
  attributes: ['vpc_id = string'],
  holds: "its VPC, the VPC's CIDR",
  distinctCidrs: 'peered VPCs need distinct CIDRs',
};

export const transitGatewayPeeringModule: ModuleDefinition = {
  name: 'transit-gateway-peering',
  mainResources: ['aws_ec2_transit_gateway_peering_attachment', 'aws_ec2_transit_gateway_peering_attachment_accepter'],
  summary: 'Peering between the Transit Gateways of two Regions, accepted, associated and routed both ways.',
  description:
    "Links two Regions' Transit Gateways (see `transit-gateway`). The requester side (default `aws` provider) requests the peering and the accepter side (`aws.accepter` provider) accepts it. Transit Gateway peering carries only static routes, so each side's Transit Gateway route table gets the peering attachment associated and a static route to the other side's VPC CIDR; both wait for the accepter, since an attachment cannot be used before it is accepted. The given VPC route tables of each side get a route to the other side's CIDR through their local Transit Gateway. For a full mesh of N Regions, call the module once per pair.",
  providerAliases: ['accepter'],
  build(stack) {
    const accepterProvider = stack.provider('accepter');
    const namePrefix = stack.input('name_prefix', { type: 'string', description: 'Prefix of the Name tags, e.g. "acme-shop".' });
    const accountId = inputs(stack).accountId('account_id', 'The 12-digit AWS account ID that owns both Transit Gateways.');
    const side = (name: 'requester' | 'accepter', provider: AwsProvider): PeeringSide => {
      const variable = peeringSideInput(stack, name, provider.alias ? `\`aws.${provider.alias}\`` : 'default `aws`', TRANSIT_GATEWAY_SIDE);
      return {
        region: new DataAwsRegion(stack, name, { provider }).id,
        provider,
        transitGatewayId: variable.attribute('transit_gateway_id'),
        transitGatewayRouteTableId: variable.attribute('transit_gateway_route_table_id'),
        vpcCidr: variable.attribute('vpc_cidr'),
        vpcRouteTables: variable.attribute<Readonly<Record<string, string>>>('vpc_route_table_ids'),
      };
    };
    const peering = new TransitPeering(stack, 'peering', {
      namePrefix: namePrefix.stringValue,
      accountId: accountId.stringValue,
      requester: side('requester', stack.provider()),
      accepter: side('accepter', accepterProvider),
    });
    stack.output('peering_attachment_id', peering.attachment.id, 'ID of the peering attachment (the same on both sides).');
  },
  example: {
    providers: [{ region: region.region }, { alias: peer.region.replace(/-/g, '_'), region: peer.region }],
    passProviders: { aws: 'aws', 'aws.accepter': `aws.${peer.region.replace(/-/g, '_')}` },
    inputs: {
      name_prefix: example.name,
      account_id: example.accountId,
      requester: {
        transit_gateway_id: 'tgw-0a1b2c3d4e5f60001',
        transit_gateway_route_table_id: 'tgw-rtb-0a1b2c3d4e5f60001',
        vpc_cidr: region.cidr,
        vpc_route_table_ids: Object.fromEntries([
          ...region.azs.map((az, i): [string, string] => [`private-${az}`, `rtb-0a1b2c3d4e5f6000${i + 1}`]),
          ['database', 'rtb-0a1b2c3d4e5f60009'] as [string, string],
        ]),
      },
      accepter: {
        transit_gateway_id: 'tgw-0f1e2d3c4b5a60002',
        transit_gateway_route_table_id: 'tgw-rtb-0f1e2d3c4b5a60002',
        vpc_cidr: peer.cidr,
        vpc_route_table_ids: Object.fromEntries([
          ...peer.azs.map((az, i): [string, string] => [`private-${az}`, `rtb-0f1e2d3c4b5a6000${i + 1}`]),
          ['database', 'rtb-0f1e2d3c4b5a60009'] as [string, string],
        ]),
      },
    },
  },
};

export const vpcPeeringModule: ModuleDefinition = {
  name: 'vpc-peering',
  mainResources: ['aws_vpc_peering_connection', 'aws_vpc_peering_connection_accepter'],
  summary: 'Inter-Region VPC peering between two VPCs of one account, with DNS resolution and routes both ways.',
  description:
    "Links two Regions' VPCs without a Transit Gateway. The requester side (default `aws` provider) requests the peering connection, the accepter side (`aws.accepter` provider) accepts it: cross-Region, a request cannot accept itself. Once accepted, each side turns on DNS resolution of the other VPC's public hostnames to private addresses, with its own Region's provider (AWS modifies each side's options in that side's Region), and the given VPC route tables of each side get a route to the other side's CIDR through the peering; routes wait for the accepter. VPC peering is not transitive: for a full mesh of N Regions, call the module once per pair. No hourly charge, only data transfer.",
  providerAliases: ['accepter'],
  build(stack) {
    const accepterProvider = stack.provider('accepter');
    const namePrefix = stack.input('name_prefix', { type: 'string', description: 'Prefix of the Name tags, e.g. "acme-shop".' });
    const accountId = inputs(stack).accountId('account_id', 'The 12-digit AWS account ID that owns both VPCs.');
    const side = (name: 'requester' | 'accepter', provider: AwsProvider): VpcPeeringSide => {
      const variable = peeringSideInput(stack, name, provider.alias ? `\`aws.${provider.alias}\`` : 'default `aws`', VPC_SIDE);
      return {
        region: new DataAwsRegion(stack, name, { provider }).id,
        provider,
        vpcId: variable.attribute('vpc_id'),
        vpcCidr: variable.attribute('vpc_cidr'),
        vpcRouteTables: variable.attribute<Readonly<Record<string, string>>>('vpc_route_table_ids'),
      };
    };
    const peering = new VpcPeering(stack, 'peering', {
      namePrefix: namePrefix.stringValue,
      accountId: accountId.stringValue,
      requester: side('requester', stack.provider()),
      accepter: side('accepter', accepterProvider),
    });
    stack.output(
      'peering_connection_id',
      peering.connectionId,
      'ID of the VPC peering connection (the same on both sides), once accepted.',
    );
  },
  example: {
    providers: [{ region: region.region }, { alias: peer.region.replace(/-/g, '_'), region: peer.region }],
    passProviders: { aws: 'aws', 'aws.accepter': `aws.${peer.region.replace(/-/g, '_')}` },
    inputs: {
      name_prefix: example.name,
      account_id: example.accountId,
      requester: {
        vpc_id: 'vpc-0a1b2c3d4e5f60001',
        vpc_cidr: region.cidr,
        vpc_route_table_ids: Object.fromEntries([
          ...region.azs.map((az, i): [string, string] => [`private-${az}`, `rtb-0a1b2c3d4e5f6000${i + 1}`]),
          ['database', 'rtb-0a1b2c3d4e5f60009'] as [string, string],
        ]),
      },
      accepter: {
        vpc_id: 'vpc-0f1e2d3c4b5a60002',
        vpc_cidr: peer.cidr,
        vpc_route_table_ids: Object.fromEntries([
          ...peer.azs.map((az, i): [string, string] => [`private-${az}`, `rtb-0f1e2d3c4b5a6000${i + 1}`]),
          ['database', 'rtb-0f1e2d3c4b5a60009'] as [string, string],
        ]),
      },
    },
  },
};
