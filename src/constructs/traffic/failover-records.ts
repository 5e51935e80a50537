import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { AliasRecords } from './alias-records';
import type { RoutedRegion } from './geolocation-records';

/** Properties of `FailoverRecords`. */
export interface FailoverRecordsProps {
  /** The hosted zone that gets the records. */
  readonly hostedZoneId: string;
  /** The record name, e.g. `shop.example.com` (not a wildcard with more than two Regions). */
  readonly recordName: string;
  /** The Regions in the order they take traffic, at least two, each with its load balancer and health check. */
  readonly order: readonly (RoutedRegion & { readonly region: string })[];
  /**
   * The provider (Route 53 is global; any Region's works).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** The name of link `index` (0 is the record name itself) of a failover chain. */
export function failoverLinkName(recordName: string, index: number): string {
  return index === 0 ? recordName : `failover-${index + 1}.${recordName}`;
}

/**
 * Failover records for one name over any number of Regions. Route 53 failover has one PRIMARY and one
 * SECONDARY per name, so more than two Regions form a chain: each link's PRIMARY is the next Region's
 * load balancer, and its SECONDARY an alias to the next link (`failover-2.<name>`, `failover-3.<name>`,
 * ...), whose target health Route 53 evaluates; the last link's SECONDARY is the last Region.
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
 *
 * Records to a load balancer carry their Region's health check and evaluate the load balancer's
 * health. An alias to the next link carries no health check of its own: AWS's complex configurations
 * give such aliases Evaluate Target Health instead, which is healthy while any record of the link is.
 *
 * Day 2: set identifiers name the role and the link (`failover-1-primary`), not the Region, so a new
 * order updates the alias targets in place.
 */
export class FailoverRecords extends Construct {
  /** The records, link by link: `[primary, secondary]` of each. */
  readonly links: readonly (readonly [AliasRecords, AliasRecords])[];

  constructor(scope: Construct, id: string, props: FailoverRecordsProps) {
    super(scope, id);
    const { order } = props;
    if (order.length < 2) throw new Error(`FailoverRecords ${id}: needs at least two Regions, got ${order.length}`);
    const names = order.map((r) => r.region);
    const duplicate = names.find((name, i) => names.indexOf(name) !== i);
    if (duplicate) throw new Error(`FailoverRecords ${id}: Region ${duplicate} is listed twice`);
    if (order.length > 2 && props.recordName.startsWith('*.')) {
      throw new Error(`FailoverRecords ${id}: a wildcard name cannot head a chain of more than two Regions`);
    }
    const common = { provider: props.provider, hostedZoneId: props.hostedZoneId };
    const toRegion = (r: RoutedRegion) => ({
      target: { dnsName: r.dnsName, hostedZoneId: r.hostedZoneId },
      evaluateTargetHealth: true,
      healthCheckId: r.healthCheckId,
    });
    const links: (readonly [AliasRecords, AliasRecords])[] = [];
    // From the last link back: Route 53 refuses an alias to a record that does not exist yet, so each
    // link's SECONDARY waits for the next link's records.
    // https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html (DNSName, "another record in the same hosted zone")
    for (let i = order.length - 2; i >= 0; i--) {
      const recordName = failoverLinkName(props.recordName, i);
      const last = i === order.length - 2;
      const primary = new AliasRecords(this, `failover-${i + 1}-primary`, {
        ...common,
        recordName,
        failover: 'PRIMARY',
        setIdentifier: `failover-${i + 1}-primary`,
        ...toRegion(order[i]),
      });
      const secondary = new AliasRecords(this, `failover-${i + 1}-secondary`, {
        ...common,
        recordName,
        failover: 'SECONDARY',
        setIdentifier: `failover-${i + 1}-secondary`,
        ...(last
          ? toRegion(order[i + 1])
          : {
              // An alias to a record of the same zone takes the zone's ID.
              target: { dnsName: failoverLinkName(props.recordName, i + 1), hostedZoneId: props.hostedZoneId },
              evaluateTargetHealth: true,
              dependsOn: links[0].flatMap((records) => records.records),
            }),
      });
      links.unshift([primary, secondary]);
    }
    this.links = links;
  }
}
