import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Ec2TransitGateway } from '@cdktf/provider-aws/lib/ec2-transit-gateway';
import { Ec2TransitGatewayRouteTable } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Ec2TransitGatewayRouteTablePropagation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-propagation';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { PRIVATE_ASN_RANGES } from '../../planning/asn';
import { requireKnown } from '../validation';
import { explain } from '../rationale';

/** Properties of a `TransitHub`. */
export interface TransitHubProps {
  /** Prefix of the `Name` tags, e.g. `acme-shop-us-east-1`. */
  readonly namePrefix: string;
  /** The Amazon-side BGP ASN; unique per Region, from a private range. */
  readonly amazonSideAsn: number;
  /** The VPC to attach. */
  readonly vpcId: string;
  /** The transit subnets (one per AZ) that hold the attachment's network interfaces. */
  readonly subnetIds: readonly string[];
  /**
   * The provider (Region) to create the hub with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A Region's Transit Gateway with nothing implicit: no default route table association or
 * propagation, no auto-accept of shared attachments. The VPC attachment and every peering attachment
 * use one explicit route table; the VPC's CIDR is propagated into it.
 */
export class TransitHub extends Construct {
  /** The Transit Gateway. */
  readonly transitGateway: Ec2TransitGateway;
  /** The Transit Gateway route table of the VPC attachment and the peerings. */
  readonly routeTable: Ec2TransitGatewayRouteTable;
  /** The attachment of the VPC's transit subnets. */
  readonly vpcAttachment: Ec2TransitGatewayVpcAttachment;
  /** The Transit Gateway's ID. */
  readonly transitGatewayId: string;
  /** The route table's ID. */
  readonly routeTableId: string;

  constructor(scope: Construct, id: string, props: TransitHubProps) {
    super(scope, id);
    const { provider, namePrefix } = props;
    requireKnown(
      props.amazonSideAsn,
      () => PRIVATE_ASN_RANGES.some(([low, high]) => props.amazonSideAsn >= low && props.amazonSideAsn <= high),
      () => `TransitHub ${id}: amazonSideAsn ${props.amazonSideAsn} is not a private ASN`,
    );
    if (props.subnetIds.length === 0) throw new Error(`TransitHub ${id}: at least one transit subnet is required`);

    this.transitGateway = new Ec2TransitGateway(this, 'transit-gateway', {
      provider,
      description: `${namePrefix} hub`,
      amazonSideAsn: props.amazonSideAsn,
      autoAcceptSharedAttachments: 'disable',
      defaultRouteTableAssociation: 'disable',
      defaultRouteTablePropagation: 'disable',
      dnsSupport: 'enable',
      vpnEcmpSupport: 'enable',
      tags: { Name: `${namePrefix}-tgw` },
    });
    explain(
      this.transitGateway,
      'Nothing implicit: no default route table association or propagation, no auto-accept of shared attachments; every association, propagation and route is declared. amazon_side_asn cannot change without replacing the Transit Gateway, so each Region keeps the one it was given.',
    );
    this.transitGatewayId = this.transitGateway.id;

    this.routeTable = new Ec2TransitGatewayRouteTable(this, 'route-table', {
      provider,
      transitGatewayId: this.transitGateway.id,
      tags: { Name: `${namePrefix}-tgw-routes` },
    });
    this.routeTableId = this.routeTable.id;

    this.vpcAttachment = new Ec2TransitGatewayVpcAttachment(this, 'vpc-attachment', {
      provider,
      transitGatewayId: this.transitGateway.id,
      vpcId: props.vpcId,
      subnetIds: [...props.subnetIds],
      dnsSupport: 'enable',
      transitGatewayDefaultRouteTableAssociation: false,
      transitGatewayDefaultRouteTablePropagation: false,
      tags: { Name: `${namePrefix}-tgw-vpc` },
    });
    new Ec2TransitGatewayRouteTableAssociation(this, 'vpc-association', {
      provider,
      transitGatewayAttachmentId: this.vpcAttachment.id,
      transitGatewayRouteTableId: this.routeTable.id,
    });
    new Ec2TransitGatewayRouteTablePropagation(this, 'vpc-propagation', {
      provider,
      transitGatewayAttachmentId: this.vpcAttachment.id,
      transitGatewayRouteTableId: this.routeTable.id,
    });
  }
}
