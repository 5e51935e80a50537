import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { TransitPeering, type PeeringSide } from '../src/constructs/transit/transit-peering';
import { StackNames } from '../src/naming';
import { regionPairs } from '../src/planning/pairs';
import { ProjectStack } from './project-stack';
import type { RegionStack } from './region-stack';

/**
 * Links between Regions: resources that need two Regions' providers at once. It reads the Region
 * stacks' outputs (Transit Gateways, route tables) through remote state.
 */
export class MeshStack extends ProjectStack {
  readonly peerings: readonly TransitPeering[];

  constructor(scope: Construct, config: ResolvedConfig, regions: readonly RegionStack[]) {
    super(scope, StackNames.mesh, config, config.primaryRegion);
    this.useRemoteState();

    const byRegion = new Map(regions.map((stack) => [stack.region.region, stack]));
    const side = (region: string): PeeringSide => {
      const stack = byRegion.get(region)!;
      const tables = stack.network.routeTableIds;
      return {
        region,
        provider: this.providerFor(region),
        transitGatewayId: stack.hub.transitGatewayId,
        transitGatewayRouteTableId: stack.hub.routeTableId,
        vpcCidr: stack.region.cidr,
        vpcRouteTables: {
          ...Object.fromEntries(stack.region.azs.map((az, i) => [`private-${az}`, tables.private[i]])),
          database: tables.database[0],
        },
      };
    };
    const pairs = regionPairs(config.regions.map((r) => r.region), config.primaryRegion, config.topology.peering);
    this.peerings = pairs.map(
      ({ requester, accepter }) =>
        new TransitPeering(this, `peering-${requester}-${accepter}`, {
          namePrefix: config.name,
          accountId: config.accountId,
          requester: side(requester),
          accepter: side(accepter),
        }),
    );
  }
}
