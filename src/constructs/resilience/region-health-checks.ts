import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { ROUTE53_REQUEST_INTERVALS } from '../../config/resilience-schema';
import { explain } from '../rationale';
import { requireIntegerInRange, requireKnown } from '../validation';

/**
 * Route 53 publishes the `HealthCheckStatus` metric of every health check in us-east-1 only
 * (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html): alarms
 * on it can live nowhere else.
 */
export const HEALTH_CHECK_METRICS_REGION = 'us-east-1';

/** What the entry health check watches. */
export type RegionEntry =
  | {
      /** An internet-facing load balancer, requested by Route 53's checkers. */
      readonly kind: 'endpoint';
      /** The load balancer's DNS name. */
      readonly fqdn: string;
      /** HTTPS (port 443) when the load balancer has a certificate (HTTP then only redirects), else HTTP (port 80). */
      readonly protocol: 'HTTP' | 'HTTPS';
      /** The path requested, the load balancer's target health path. */
      readonly resourcePath: string;
      /**
       * Text the response must contain in its first 5,120 bytes.
       * @default - any 2xx or 3xx status is healthy
       */
      readonly searchString?: string;
    }
  | {
      /**
       * An internal load balancer, which Route 53's checkers cannot reach: the check follows the
       * Region's healthy-hosts alarm instead.
       */
      readonly kind: 'alarm';
      /** Name of the Region's healthy-hosts alarm. */
      readonly alarmName: string;
    };

/** The names (`Name` tags) of a Region's health checks. */
export interface RegionHealthCheckNames {
  /** The check of the Region's entry. */
  readonly entry: string;
  /** The check that follows the replication-lag alarm. */
  readonly lag: string;
  /**
   * The calculated check the latency records carry.
   * @default - no switch check
   */
  readonly switch?: string;
}

/** The alarm on the entry check's `HealthCheckStatus`, in us-east-1. */
export interface EntryStatusAlarm {
  /** The alarm name, unique among the alarms in us-east-1. */
  readonly alarmName: string;
  /** The topic (in us-east-1) the alarm notifies on ALARM and on OK. */
  readonly topicArn: string;
  /** Consecutive one-minute periods the check must be unhealthy before the alarm fires, 1 to 10. */
  readonly evaluationPeriods: number;
  /** A provider in us-east-1. */
  readonly provider?: TerraformProvider;
}

/** Properties of `RegionHealthChecks`. */
export interface RegionHealthChecksProps {
  /** The Region whose entry is checked; its alarms live there. */
  readonly region: string;
  /** Names of the checks. */
  readonly names: RegionHealthCheckNames;
  /** What the entry check watches. */
  readonly entry: RegionEntry;
  /** Name of the Region's replication-lag alarm, which the lag check follows. */
  readonly replicationLagAlarmName: string;
  /**
   * Seconds between two requests of one Route 53 checker: 10 or 30.
   * @default 30
   */
  readonly requestIntervalSeconds?: number;
  /**
   * Consecutive failed requests that make the endpoint unhealthy to a checker, 1 to 10.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Add a calculated "switch" check over the entry check (healthy while at least one child is): the
   * check that latency records carry and that the evacuate runbook turns off.
   * @default false
   */
  readonly switchCheck?: boolean;
  /**
   * An alarm on the entry check's status, in us-east-1.
   * @default - no alarm
   */
  readonly entryStatusAlarm?: EntryStatusAlarm;
  /**
   * The provider of the health checks (Route 53 is global; its control plane is in us-east-1 whatever the provider's Region).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** The threshold of the switch check while the Region takes traffic: its one child must be healthy. */
export const SWITCH_ON_THRESHOLD = 1;

/**
 * Route 53 health checks of one Region: its entry (the load balancer, or for an internal load
 * balancer its healthy-hosts alarm), its replication-lag alarm, and optionally a calculated switch
 * check over the entry for latency records; plus an alarm on the entry check in us-east-1.
 *
 * Day 2: `type`, `request_interval`, `measure_latency`, `reference_name` and `routing_control_arn`
 * force replacement (the provider's resource documentation; UpdateHealthCheck cannot change them:
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html), so an entry
 * turning internal, gaining a search string or a certificate (HTTP to HTTPS_STR_MATCH), or a new
 * request interval replaces the check, created first, and the records and alarms that refer to it
 * follow the new ID in the same apply. `reference_name` is left unset: it only prefixes the caller
 * reference that the provider generates, and a rename would replace the check. `regions` is left unset
 * (Route 53's default checker Regions). Everything else, alarm name and Region included, is updated in
 * place. AWS changes only the switch check's threshold behind Terraform's back, and only when a
 * runbook does.
 */
export class RegionHealthChecks extends Construct {
  /** The check of the Region's entry. */
  readonly entryCheck: Route53HealthCheck;
  /** The check that follows the replication-lag alarm. */
  readonly lagCheck: Route53HealthCheck;
  /** The calculated switch check, when asked. */
  readonly switchCheck?: Route53HealthCheck;
  /** The alarm on the entry check's status in us-east-1, when asked. */
  readonly entryStatusAlarm?: CloudwatchMetricAlarm;
  /** ID of the entry check. */
  readonly entryHealthCheckId: string;
  /** ID of the lag check. */
  readonly lagHealthCheckId: string;
  /** ID of the switch check, when there is one. */
  readonly switchHealthCheckId?: string;
  /** ARN of the alarm on the entry check, when there is one. */
  readonly entryStatusAlarmArn?: string;

  constructor(scope: Construct, id: string, props: RegionHealthChecksProps) {
    super(scope, id);
    const { provider, names, entry } = props;
    // A replaced check is created first: Route 53 refuses to delete a check that a calculated check
    // still lists as a child (HealthCheckInUse, https://docs.aws.amazon.com/Route53/latest/APIReference/API_DeleteHealthCheck.html),
    // and the records and alarms move to the new ID before the old one goes.
    const lifecycle = { createBeforeDestroy: true };
    const requestInterval = props.requestIntervalSeconds ?? 30;
    const failureThreshold = props.failureThreshold ?? 3;
    requireKnown(
      requestInterval,
      () => (ROUTE53_REQUEST_INTERVALS as readonly number[]).includes(requestInterval),
      () => `RegionHealthChecks ${id}: requestIntervalSeconds ${requestInterval} must be 10 or 30`,
    );
    requireIntegerInRange(failureThreshold, 1, 10, () => `RegionHealthChecks ${id}: failureThreshold ${failureThreshold} must be 1 to 10`);
    if (props.switchCheck && !names.switch) throw new Error(`RegionHealthChecks ${id}: switchCheck needs names.switch`);
    if (entry.kind === 'endpoint') {
      requireKnown(
        entry.resourcePath,
        () => entry.resourcePath.startsWith('/'),
        () => `RegionHealthChecks ${id}: resourcePath "${entry.resourcePath}" must start with "/"`,
      );
      requireKnown(
        entry.searchString,
        () => entry.searchString === undefined || (entry.searchString.length >= 1 && entry.searchString.length <= 255),
        () => `RegionHealthChecks ${id}: searchString must be 1 to 255 characters`,
      );
    }

    // A CloudWatch-alarm check takes the alarm's name and Region; the alarm must be a plain metric alarm.
    // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-cloudwatch
    const alarmCheck = (alarmName: string, insufficientDataHealthStatus: string) => ({
      type: 'CLOUDWATCH_METRIC',
      cloudwatchAlarmName: alarmName,
      cloudwatchAlarmRegion: props.region,
      insufficientDataHealthStatus,
    });

    this.entryCheck = new Route53HealthCheck(this, 'entry', {
      provider,
      ...(entry.kind === 'endpoint'
        ? {
            // HTTPS checks do not validate the certificate, so the load balancer's own DNS name works
            // with a certificate for the public name; the _STR_MATCH types read the first 5,120 bytes.
            // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
            type: `${entry.protocol}${entry.searchString === undefined ? '' : '_STR_MATCH'}`,
            fqdn: entry.fqdn,
            port: entry.protocol === 'HTTPS' ? 443 : 80,
            resourcePath: entry.resourcePath,
            searchString: entry.searchString,
            requestInterval,
            failureThreshold,
            measureLatency: false,
            ...(entry.protocol === 'HTTPS' ? { enableSni: true } : {}),
          }
        : // Route 53 reads the alarm's metric stream, not the alarm state: a Region that stops
          // publishing (gone dark) leaves the check with insufficient data, which must count as down.
          // https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html (InsufficientDataHealthStatus)
          alarmCheck(entry.alarmName, 'Unhealthy')),
      tags: { Name: names.entry },
      lifecycle,
    });
    this.entryHealthCheckId = this.entryCheck.id;

    this.lagCheck = new Route53HealthCheck(this, 'lag', {
      provider,
      // The writer publishes no lag: insufficient data is healthy.
      ...alarmCheck(props.replicationLagAlarmName, 'Healthy'),
      tags: { Name: names.lag },
      lifecycle,
    });
    this.lagHealthCheckId = this.lagCheck.id;

    if (props.switchCheck) {
      // A calculated check is healthy while at least child_health_threshold children are; the evacuate
      // runbook raises the threshold above the number of children to take the Region out of DNS.
      // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html#health-checks-creating-values-calculated
      this.switchCheck = new Route53HealthCheck(this, 'switch', {
        provider,
        type: 'CALCULATED',
        childHealthchecks: [this.entryCheck.id],
        childHealthThreshold: SWITCH_ON_THRESHOLD,
        tags: { Name: names.switch! },
        lifecycle: { ...lifecycle, ignoreChanges: ['child_health_threshold'] },
      });
      explain(
        this.switchCheck,
        'The evacuate and restore runbooks own child_health_threshold: an apply during a drain must not put the drained Region back into DNS.',
      );
      this.switchHealthCheckId = this.switchCheck.id;
    }

    const status = props.entryStatusAlarm;
    if (status) {
      requireIntegerInRange(
        status.evaluationPeriods,
        1,
        10,
        () => `RegionHealthChecks ${id}: evaluationPeriods ${status.evaluationPeriods} must be 1 to 10`,
      );
      // HealthCheckStatus is 1 while healthy and 0 while unhealthy, by HealthCheckId, every minute.
      // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html
      this.entryStatusAlarm = new CloudwatchMetricAlarm(this, 'entry-status', {
        provider: status.provider,
        alarmName: status.alarmName,
        alarmDescription: `Route 53 sees the entry of ${props.region} unhealthy.`,
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: this.entryCheck.id },
        statistic: 'Minimum',
        period: 60,
        evaluationPeriods: status.evaluationPeriods,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        treatMissingData: 'breaching',
        alarmActions: [status.topicArn],
        okActions: [status.topicArn],
      });
      explain(this.entryStatusAlarm, 'Route 53 publishes health-check metrics only in us-east-1.');
      this.entryStatusAlarmArn = this.entryStatusAlarm.arn;
    }
  }
}
