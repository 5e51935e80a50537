import type { ResolvedConfig } from '../config';
import { regionPairs } from '../planning/pairs';

/** A Mermaid node ID for a Region: `us-east-1` -> `us_east_1` (hyphens would read as edges). */
export function regionNodeId(region: string): string {
  return region.replace(/-/g, '_');
}

const TRAFFIC_ENTRY = {
  'global-accelerator': 'Global Accelerator: two static anycast IPs',
  'route53-latency': 'Route 53 latency records',
  'route53-geolocation': 'Route 53 geolocation records',
  'route53-failover': 'Route 53 failover records',
} as const;

/** How a pair's private link reads in the diagram, by `topology.link`. */
const LINK_LABEL = { 'transit-gateway': 'Transit Gateway peering', 'vpc-peering': 'VPC peering', none: 'none' } as const;

/**
 * A Mermaid flowchart of the layout: users and the traffic entry in front, every Region (the primary
 * marked), the private links of `topology.peering` (Transit Gateway or VPC peerings, none without a
 * link), Aurora replication from the primary
 * to each secondary, S3 replication between every pair of Regions (it does not depend on the
 * peerings), and the Terraform state bucket's replication. Deterministic: Regions in config order,
 * pairs in `regionPairs` order.
 */
export function recoveryDiagram(config: ResolvedConfig): string {
  const regions = config.regions.map((r) => r.region);
  const id = regionNodeId;
  const { state } = config;
  const stateOnly = [state.region, state.replicaRegion].filter((r) => !regions.includes(r));
  const lines = [
    'flowchart TB',
    '  users(["Users"])',
    `  entry{{"${TRAFFIC_ENTRY[config.traffic.mode]}"}}`,
    ...config.regions.map((r) => `  ${id(r.region)}["${r.region}${r.primary ? ' (primary)' : ''}"]`),
    ...stateOnly.map((r) => `  ${id(r)}["${r} (Terraform state only)"]`),
    '  users --> entry',
    ...regions.map((r) => `  entry --> ${id(r)}`),
    ...(config.topology.link === 'none' ? [] : regionPairs(regions, config.primaryRegion, config.topology.peering)).map(
      ({ requester, accepter }) => `  ${id(requester)} ---|"${LINK_LABEL[config.topology.link]}"| ${id(accepter)}`,
    ),
    ...config.secondaryRegions.map((r) => `  ${id(config.primaryRegion)} -.->|"Aurora replication"| ${id(r)}`),
  ];
  const buckets = config.storage.buckets.map((b) => b.name);
  if (buckets.length > 0) {
    const label = `S3 replication: ${buckets.join(', ')}`;
    lines.push(
      ...regionPairs(regions, config.primaryRegion, 'full-mesh').map(
        ({ requester, accepter }) => `  ${id(requester)} <-.->|"${label}"| ${id(accepter)}`,
      ),
    );
  }
  lines.push(`  ${id(state.region)} <-.->|"Terraform state replication"| ${id(state.replicaRegion)}`);
  lines.push('  classDef primary stroke-width:3px', `  class ${id(config.primaryRegion)} primary`);
  return lines.join('\n');
}
