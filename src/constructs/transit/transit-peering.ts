import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Ec2TransitGatewayPeeringAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment';
import { Ec2TransitGatewayPeeringAttachmentAccepter } from '@cdktf/provider-aws/lib/ec2-transit-gateway-peering-attachment-accepter';
import { Ec2TransitGatewayRoute } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route';
import { Ec2TransitGatewayRouteTableAssociation } from '@cdktf/provider-aws/lib/ec2-transit-gateway-route-table-association';
import { Route } from '@cdktf/provider-aws/lib/route';
import { Keyed } from '../collection';
import { requireKnown } from '../validation';
import { explain } from '../rationale';

/** One side of a peering: a Region's hub and the VPC route tables that should reach the other side. */
export interface PeeringSide {
  /** The Region. */
  readonly region: string;
  /** The provider for this Region. */
  readonly provider: TerraformProvider;
  /** The Region's Transit Gateway. */
  readonly transitGatewayId: string;
  /** The Transit Gateway route table that the VPC attachment uses. */
  readonly transitGatewayRouteTableId: string;
  /** The Region's VPC CIDR: the other side routes it through the peering. */
  readonly vpcCidr: string;
  /**
   * VPC route tables that get a route to the other side's CIDR through the Transit Gateway, by a
   * stable name (`private-us-east-1a`, `database`) so adding a table never renames the others' routes;
   * or a token for such a map.
   */
  readonly vpcRouteTables: Readonly<Record<string, string>>;
}

/** Properties of a `TransitPeering`. */
export interface TransitPeeringProps {
  /** Prefix of the `Name` tags, e.g. `acme-shop`. */
  readonly namePrefix: string;
  /** The account that owns both Transit Gateways. */
  readonly accountId: string;
  /** The side that requests the peering. */
  readonly requester: PeeringSide;
  /** The side that accepts it. */
  readonly accepter: PeeringSide;
}

/**
 * Transit Gateway peering between two Regions, routed both ways. Peering carries only static routes,
 * so each side gets a static route to the other's VPC CIDR; those routes and the route table
 * associations wait for the accepter, since a peering attachment cannot be used before it is
 * accepted. The VPC route tables of each side send the other side's CIDR to their local Transit
 * Gateway.
 */
export class TransitPeering extends Construct {
  /** The peering attachment, requested by the requester side. */
  readonly attachment: Ec2TransitGatewayPeeringAttachment;
  /** The accepter side's acceptance of the attachment. */
  readonly accepter: Ec2TransitGatewayPeeringAttachmentAccepter;

  constructor(scope: Construct, id: string, props: TransitPeeringProps) {
    super(scope, id);
    const { requester, accepter } = props;
    requireKnown(
      [requester.region, accepter.region],
      () => requester.region !== accepter.region,
      () => `TransitPeering ${id}: both sides are in ${requester.region}; peering links two Regions`,
    );
    const name = `${props.namePrefix}-${requester.region}-${accepter.region}`;

    this.attachment = new Ec2TransitGatewayPeeringAttachment(this, 'attachment', {
      provider: requester.provider,
      transitGatewayId: requester.transitGatewayId,
      peerTransitGatewayId: accepter.transitGatewayId,
      peerRegion: accepter.region,
      peerAccountId: props.accountId,
      tags: { Name: name, Side: 'requester' },
    });
    this.accepter = new Ec2TransitGatewayPeeringAttachmentAccepter(this, 'accepter', {
      provider: accepter.provider,
      transitGatewayAttachmentId: this.attachment.id,
      tags: { Name: name, Side: 'accepter' },
    });

    const sides: Array<[string, PeeringSide, PeeringSide]> = [
      ['requester', requester, accepter],
      ['accepter', accepter, requester],
    ];
    for (const [label, local, remote] of sides) {
      const association = new Ec2TransitGatewayRouteTableAssociation(this, `${label}-association`, {
        provider: local.provider,
        transitGatewayAttachmentId: this.attachment.id,
        transitGatewayRouteTableId: local.transitGatewayRouteTableId,
        dependsOn: [this.accepter],
      });
      const route = new Ec2TransitGatewayRoute(this, `${label}-transit-gateway-route`, {
        provider: local.provider,
        destinationCidrBlock: remote.vpcCidr,
        transitGatewayAttachmentId: this.attachment.id,
        transitGatewayRouteTableId: local.transitGatewayRouteTableId,
        dependsOn: [this.accepter],
      });
      for (const resource of [association, route])
        explain(resource, 'depends_on the accepter: a peering attachment cannot be used before it is accepted.');
      explain(
        route,
        "Transit Gateway peering carries only static routes: each side routes the other side's VPC CIDR to the peering explicitly.",
      );
      Keyed.of(local.vpcRouteTables).each(
        (table) =>
          new Route(this, table.id(`${label}-{key}-route`), {
            provider: local.provider,
            forEach: table.forEach,
            routeTableId: table.value,
            destinationCidrBlock: remote.vpcCidr,
            transitGatewayId: local.transitGatewayId,
          }),
      );
    }
  }
}
