import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import { Keyed } from '../collection';
import { requireKnown } from '../validation';
import { explain } from '../rationale';

/** One side of a VPC peering: a Region's VPC and the route tables that should reach the other side. */
export interface VpcPeeringSide {
  /** The Region. */
  readonly region: string;
  /** The provider for this Region. */
  readonly provider: TerraformProvider;
  /** The Region's VPC. */
  readonly vpcId: string;
  /** The Region's VPC CIDR: the other side routes it through the peering. */
  readonly vpcCidr: string;
  /**
   * VPC route tables that get a route to the other side's CIDR through the peering, by a stable name
   * (`private-us-east-1a`, `database`) so adding a table never renames the others' routes; or a
   * token for such a map.
   */
  readonly vpcRouteTables: Readonly<Record<string, string>>;
}

/** Properties of a `VpcPeering`. */
export interface VpcPeeringProps {
  /** Prefix of the `Name` tags, e.g. `acme-shop`. */
  readonly namePrefix: string;
  /** The account that owns both VPCs (the peer owner of the request). */
  readonly accountId: string;
  /** The side that requests the peering. */
  readonly requester: VpcPeeringSide;
  /** The side that accepts it. */
  readonly accepter: VpcPeeringSide;
  /**
   * Let each VPC resolve the other's public DNS hostnames to private addresses.
   * @default true
   */
  readonly remoteDnsResolution?: boolean;
}

/**
 * Inter-Region VPC peering between two VPCs of one account, routed both ways. The requester asks in
 * its Region, the accepter accepts in its own; DNS options and routes wait for the acceptance, since
 * AWS refuses both on a connection that is still pending.
 *
 * Peering is not transitive (https://docs.aws.amazon.com/vpc/latest/peering/vpc-peering-basics.html):
 * each pair the topology links gets its own connection, and the route ids are the ones
 * `TransitPeering` uses, so switching a pair between the two changes each route's target in place
 * (ReplaceRoute) instead of deleting and creating it.
 */
export class VpcPeering extends Construct {
  /** The peering connection, requested by the requester side. */
  readonly connection: VpcPeeringConnection;
  /** The accepter side's acceptance of the connection. */
  readonly accepter: VpcPeeringConnectionAccepterA;
  /** The DNS options of each side, by side. */
  readonly options: { readonly requester: VpcPeeringConnectionOptions; readonly accepter: VpcPeeringConnectionOptions };
  /** The peering connection's ID, read from the acceptance: whoever uses it waits for it. */
  readonly connectionId: string;

  constructor(scope: Construct, id: string, props: VpcPeeringProps) {
    super(scope, id);
    const { requester, accepter } = props;
    requireKnown(
      [requester.region, accepter.region],
      () => requester.region !== accepter.region,
      () => `VpcPeering ${id}: both sides are in ${requester.region}; inter-Region peering links two Regions`,
    );
    const name = `${props.namePrefix}-${requester.region}-${accepter.region}`;
    const dns = props.remoteDnsResolution ?? true;

    // Cross-Region, the request cannot accept itself: auto_accept must be false (or unset) on the
    // requester and the accepter resource accepts in the peer Region.
    // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/vpc_peering_connection
    this.connection = new VpcPeeringConnection(this, 'connection', {
      provider: requester.provider,
      vpcId: requester.vpcId,
      peerVpcId: accepter.vpcId,
      peerRegion: accepter.region,
      peerOwnerId: props.accountId,
      autoAccept: false,
      tags: { Name: name, Side: 'requester' },
    });
    explain(
      this.connection,
      'Day 2: vpc_id, peer_vpc_id, peer_owner_id and peer_region force a new connection; all four are fixed per pair (a VPC is never replaced: its CIDR and AZs cannot change), so only tags change in place.',
    );
    this.accepter = new VpcPeeringConnectionAccepterA(this, 'accepter', {
      provider: accepter.provider,
      vpcPeeringConnectionId: this.connection.id,
      autoAccept: true,
      tags: { Name: name, Side: 'accepter' },
    });
    this.connectionId = this.accepter.id;

    // Inter-Region options: each side's options are modified with its own Region's API
    // (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcPeeringConnectionOptions.html),
    // hence one options resource per side with that side's provider, and only once the connection is
    // active, which the reference to the accepter ensures. The connection's own requester/accepter
    // blocks are left unset: the provider warns not to manage options in both places.
    // https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/vpc_peering_connection_options
    this.options = {
      requester: new VpcPeeringConnectionOptions(this, 'requester-options', {
        provider: requester.provider,
        vpcPeeringConnectionId: this.connectionId,
        requester: { allowRemoteVpcDnsResolution: dns },
      }),
      accepter: new VpcPeeringConnectionOptions(this, 'accepter-options', {
        provider: accepter.provider,
        vpcPeeringConnectionId: this.connectionId,
        accepter: { allowRemoteVpcDnsResolution: dns },
      }),
    };
    for (const options of Object.values(this.options)) {
      explain(
        options,
        "After acceptance: AWS modifies the options of an active connection only. Allows remote DNS resolution: the other VPC's public DNS names (RDS endpoints included) resolve to private addresses from this side. Both VPCs enable DNS support and hostnames, which the option needs.",
      );
    }

    const sides: Array<[string, VpcPeeringSide, VpcPeeringSide]> = [
      ['requester', requester, accepter],
      ['accepter', accepter, requester],
    ];
    for (const [label, local, remote] of sides) {
      Keyed.of(local.vpcRouteTables).each((table) => {
        const route = new Route(this, table.id(`${label}-{key}-route`), {
          provider: local.provider,
          forEach: table.forEach,
          routeTableId: table.value,
          destinationCidrBlock: remote.vpcCidr,
          vpcPeeringConnectionId: this.connection.id,
          dependsOn: [this.accepter],
        });
        explain(
          route,
          "depends_on the accepter: a route through a pending peering connection is refused. Day 2: route_table_id and destination_cidr_block force a new route; the target changes in place (ReplaceRoute), so moving a pair between Transit Gateway and VPC peering keeps the route's address.",
        );
        return route;
      });
    }
  }
}
