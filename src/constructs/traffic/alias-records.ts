import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';

/** Properties of `AliasRecords`. */
export interface AliasRecordsProps {
  /** The hosted zone that gets the records. */
  readonly hostedZoneId: string;
  /** The record name, e.g. `shop.example.com`. */
  readonly recordName: string;
  /** What the records point at: an accelerator or a load balancer. */
  readonly target: {
    /** The target's DNS name. */
    readonly dnsName: string;
    /** The target's hosted zone. */
    readonly hostedZoneId: string;
  };
  /** Let Route 53 skip this target while it is unhealthy. */
  readonly evaluateTargetHealth: boolean;
  /**
   * Add an AAAA record beside the A record.
   * @default false
   */
  readonly ipv6?: boolean;
  /**
   * Make these latency records of this Region, one of a set sharing the name.
   * @default - simple records
   */
  readonly latencyRegion?: string;
  /**
   * Make these geolocation records of one location (a continent, a country, or country "*" for the
   * default record), one of a set sharing the name. Needs `setIdentifier`.
   * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html
   * @default - not geolocation records
   */
  readonly geolocation?: { readonly continent: string } | { readonly country: string };
  /**
   * Make these the PRIMARY or SECONDARY failover records of the name. Needs `setIdentifier`.
   * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-failover.html
   * @default - not failover records
   */
  readonly failover?: 'PRIMARY' | 'SECONDARY';
  /**
   * The set identifier of geolocation or failover records, unique among the records of the name and type.
   * @default - the latency Region for latency records; none for simple records
   */
  readonly setIdentifier?: string;
  /**
   * A health check the records carry: Route 53 answers with them only while it is healthy (on top of
   * the target's own health with `evaluateTargetHealth`).
   * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
   * @default - none
   */
  readonly healthCheckId?: string;
  /**
   * What the records wait for, e.g. the records an alias to the same zone points at.
   * @default - nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * The provider (Route 53 is global; any Region's works).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Alias records (A, and AAAA when asked) for one name: simple, or one share of latency, geolocation or
 * failover routing.
 *
 * Day 2: `name`, `type`, `zone_id` and `set_identifier` identify the record and force its replacement
 * (the provider's documentation; a `set_identifier` change applied in place fails,
 * https://github.com/hashicorp/terraform-provider-aws/issues/7998), so set identifiers never depend on
 * what moves: a location's record keeps its identifier when another Region takes it. Route 53 keeps
 * one routing policy per name and type
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html), so switching modes
 * is refused by `preview` (src/config/change.ts) with a procedure.
 */
export class AliasRecords extends Construct {
  /** The records: `A`, and `AAAA` for a dual-stack target. */
  readonly records: readonly Route53Record[];

  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
    const policies = [props.latencyRegion, props.geolocation, props.failover].filter((p) => p !== undefined).length;
    if (policies > 1) throw new Error(`AliasRecords ${id}: set at most one of latencyRegion, geolocation and failover`);
    if ((props.geolocation || props.failover) && !props.setIdentifier) {
      throw new Error(`AliasRecords ${id}: geolocation and failover records need a setIdentifier`);
    }
    const types = props.ipv6 ? ['A', 'AAAA'] : ['A'];
    this.records = types.map(
      (type) =>
        new Route53Record(this, type, {
          provider: props.provider,
          zoneId: props.hostedZoneId,
          name: props.recordName,
          type,
          alias: { name: props.target.dnsName, zoneId: props.target.hostedZoneId, evaluateTargetHealth: props.evaluateTargetHealth },
          ...(props.latencyRegion ? { setIdentifier: props.latencyRegion, latencyRoutingPolicy: { region: props.latencyRegion } } : {}),
          ...(props.geolocation ? { setIdentifier: props.setIdentifier, geolocationRoutingPolicy: props.geolocation } : {}),
          ...(props.failover ? { setIdentifier: props.setIdentifier, failoverRoutingPolicy: { type: props.failover } } : {}),
          ...(props.healthCheckId === undefined ? {} : { healthCheckId: props.healthCheckId }),
          ...(props.dependsOn ? { dependsOn: [...props.dependsOn] } : {}),
        }),
    );
  }
}
