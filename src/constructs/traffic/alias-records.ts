import { TerraformProvider } from 'cdktf';
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
   * A health check the records carry: Route 53 answers with them only while it is healthy (on top of
   * the target's own health with `evaluateTargetHealth`).
   * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
   * @default - none
   */
  readonly healthCheckId?: string;
  /**
   * The provider (Route 53 is global; any Region's works).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Alias records (A, and AAAA when asked) for one name: simple, or one Region's share of latency routing. */
export class AliasRecords extends Construct {
  /** The records: `A`, and `AAAA` for a dual-stack target. */
  readonly records: readonly Route53Record[];

  constructor(scope: Construct, id: string, props: AliasRecordsProps) {
    super(scope, id);
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
          ...(props.healthCheckId === undefined ? {} : { healthCheckId: props.healthCheckId }),
        }),
    );
  }
}
