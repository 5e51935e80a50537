import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { times } from '../conditions';
import { explain } from '../rationale';
import { requireIntegerInRange, requireKnown } from '../validation';

/** One minute: the period of every alarm here, the finest the load balancer and Aurora metrics have. */
export const ALARM_PERIOD_SECONDS = 60;

/** The names of a Region's alarms. */
export interface RegionAlarmNames {
  /** The alarm on the target group's healthy hosts. */
  readonly healthyHosts: string;
  /** The alarm on the share of requests answered with 5xx. */
  readonly http5xx: string;
  /** The alarm on the Aurora global replication lag of the Region's cluster. */
  readonly replicationLag: string;
  /** The composite "Region impaired" alarm. */
  readonly impaired: string;
}

/** Properties of `RegionAlarms`. */
export interface RegionAlarmsProps {
  /** Alarm names, unique in the account and Region. */
  readonly alarmNames: RegionAlarmNames;
  /** The load balancer's `arn_suffix` (`app/<name>/<id>`), the `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: string;
  /** The target group's `arn_suffix` (`targetgroup/<name>/<id>`), the `TargetGroup` dimension. */
  readonly targetGroupArnSuffix: string;
  /** Identifier of the Region's Aurora cluster, a member of the global database. */
  readonly dbClusterIdentifier: string;
  /** The SNS topic every alarm notifies when it enters ALARM and when it returns to OK. */
  readonly topicArn: string;
  /**
   * Consecutive one-minute periods a metric must breach before its alarm fires, 1 to 10.
   * @default 3
   */
  readonly evaluationPeriods?: number;
  /**
   * Share of requests answered with 5xx, by the load balancer or its targets, that fires the 5xx alarm, 1 to 100 percent.
   * @default 5
   */
  readonly http5xxPercent?: number;
  /**
   * Aurora global replication lag of the Region's cluster that fires the lag alarm, in seconds.
   * @default 60
   */
  readonly replicationLagSeconds?: number;
  /**
   * The provider (Region) of the alarms: the Region of the load balancer and the cluster.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * The health signals of one Region in its own CloudWatch: no healthy target behind the load balancer,
 * a 5xx rate above the threshold, Aurora replication lag above the threshold, and a composite
 * "Region impaired" alarm that is in ALARM while any of them is. Every alarm notifies the topic on
 * ALARM and on OK.
 *
 * Day 2: `alarm_name` forces replacement of both alarm kinds (the name is the alarm's identity in the
 * PutMetricAlarm and PutCompositeAlarm APIs); everything else is updated in place. AWS changes nothing
 * of them behind Terraform's back: the alarm state is not an argument.
 */
export class RegionAlarms extends Construct {
  /** The alarm on healthy hosts (a plain metric alarm, usable by a Route 53 CloudWatch-alarm health check). */
  readonly healthyHostsAlarm: CloudwatchMetricAlarm;
  /** The alarm on the 5xx rate (metric math). */
  readonly http5xxAlarm: CloudwatchMetricAlarm;
  /** The alarm on replication lag (a plain metric alarm, usable by a Route 53 CloudWatch-alarm health check). */
  readonly replicationLagAlarm: CloudwatchMetricAlarm;
  /** The composite "Region impaired" alarm. */
  readonly impairedAlarm: CloudwatchCompositeAlarm;
  /** Name of the composite "Region impaired" alarm. */
  readonly impairedAlarmName: string;
  /** ARN of the composite "Region impaired" alarm (the source of its EventBridge state-change events). */
  readonly impairedAlarmArn: string;
  /** Name of the healthy-hosts alarm. */
  readonly healthyHostsAlarmName: string;
  /** ARN of the healthy-hosts alarm. */
  readonly healthyHostsAlarmArn: string;
  /** Name of the 5xx alarm. */
  readonly http5xxAlarmName: string;
  /** ARN of the 5xx alarm. */
  readonly http5xxAlarmArn: string;
  /** Name of the replication-lag alarm. */
  readonly replicationLagAlarmName: string;
  /** ARN of the replication-lag alarm. */
  readonly replicationLagAlarmArn: string;

  constructor(scope: Construct, id: string, props: RegionAlarmsProps) {
    super(scope, id);
    const { provider, alarmNames: names } = props;
    const evaluationPeriods = props.evaluationPeriods ?? 3;
    const http5xxPercent = props.http5xxPercent ?? 5;
    const replicationLagSeconds = props.replicationLagSeconds ?? 60;
    requireIntegerInRange(evaluationPeriods, 1, 10, () => `RegionAlarms ${id}: evaluationPeriods ${evaluationPeriods} must be 1 to 10`);
    requireIntegerInRange(http5xxPercent, 1, 100, () => `RegionAlarms ${id}: http5xxPercent ${http5xxPercent} must be 1 to 100`);
    requireIntegerInRange(
      replicationLagSeconds,
      1,
      86400,
      () => `RegionAlarms ${id}: replicationLagSeconds ${replicationLagSeconds} must be 1 to 86400`,
    );
    const distinct = [names.healthyHosts, names.http5xx, names.replicationLag, names.impaired];
    requireKnown(
      distinct,
      () => new Set(distinct).size === distinct.length,
      () => `RegionAlarms ${id}: the four alarm names must differ, got ${distinct.join(', ')}`,
    );

    const actions = { alarmActions: [props.topicArn], okActions: [props.topicArn] };
    const common = { provider, evaluationPeriods, ...actions };

    // ALB target metrics: HealthyHostCount by TargetGroup and LoadBalancer (both arn_suffix), whose
    // reporting criterion is that health checks are enabled (not that requests flow).
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
    this.healthyHostsAlarm = new CloudwatchMetricAlarm(this, 'healthy-hosts', {
      ...common,
      alarmName: names.healthyHosts,
      alarmDescription: 'No healthy target behind the load balancer: the Region serves no request.',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HealthyHostCount',
      dimensions: { TargetGroup: props.targetGroupArnSuffix, LoadBalancer: props.loadBalancerArnSuffix },
      statistic: 'Minimum',
      period: ALARM_PERIOD_SECONDS,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      treatMissingData: 'breaching',
    });
    explain(
      this.healthyHostsAlarm,
      'The load balancer reports HealthyHostCount whenever its health checks are on, with or without requests: no data means nothing reports a healthy target, so missing data breaches.',
    );

    // 5xx share of requests. The ELB and target 5xx counts and RequestCount are reported only for
    // minutes with requests; FILL(..., 0) makes a quiet minute 0 % instead of missing, and the IF keeps a
    // minute without requests from dividing by zero.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
    const loadBalancerMetric = (metricName: string) => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensions: { LoadBalancer: props.loadBalancerArnSuffix },
      stat: 'Sum',
      period: ALARM_PERIOD_SECONDS,
    });
    this.http5xxAlarm = new CloudwatchMetricAlarm(this, 'http-5xx', {
      ...common,
      alarmName: names.http5xx,
      alarmDescription: 'Share of requests answered with 5xx by the load balancer or its targets, percent.',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: http5xxPercent,
      treatMissingData: 'notBreaching',
      metricQuery: [
        {
          id: 'rate',
          label: '5xx share of requests (%)',
          expression: 'IF(FILL(requests, 0) > 0, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / FILL(requests, 0), 0)',
          returnData: true,
        },
        { id: 'elb5xx', metric: loadBalancerMetric('HTTPCode_ELB_5XX_Count') },
        { id: 'target5xx', metric: loadBalancerMetric('HTTPCode_Target_5XX_Count') },
        { id: 'requests', metric: loadBalancerMetric('RequestCount') },
      ],
    });

    // AuroraGlobalDBReplicationLag, in milliseconds, by DBClusterIdentifier, published by a secondary
    // cluster of a global database; the writer's cluster publishes none. Watched in every Region
    // because a switchover moves the writer: whichever clusters are secondaries then publish it.
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/dimensions.html
    this.replicationLagAlarm = new CloudwatchMetricAlarm(this, 'replication-lag', {
      ...common,
      alarmName: names.replicationLag,
      alarmDescription: "Aurora global replication lag of this Region's cluster (a secondary) above the threshold.",
      namespace: 'AWS/RDS',
      metricName: 'AuroraGlobalDBReplicationLag',
      dimensions: { DBClusterIdentifier: props.dbClusterIdentifier },
      statistic: 'Maximum',
      period: ALARM_PERIOD_SECONDS,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: times(replicationLagSeconds, 1000),
      treatMissingData: 'notBreaching',
    });
    explain(this.replicationLagAlarm, 'The writer publishes no replication lag: missing data is not a breach.');

    this.healthyHostsAlarmName = this.healthyHostsAlarm.alarmName;
    this.healthyHostsAlarmArn = this.healthyHostsAlarm.arn;
    this.http5xxAlarmName = this.http5xxAlarm.alarmName;
    this.http5xxAlarmArn = this.http5xxAlarm.arn;
    this.replicationLagAlarmName = this.replicationLagAlarm.alarmName;
    this.replicationLagAlarmArn = this.replicationLagAlarm.arn;

    // A composite alarm's rule may name only alarms that exist: the references order its creation
    // after theirs. https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutCompositeAlarm.html
    const rule = [this.healthyHostsAlarmName, this.http5xxAlarmName, this.replicationLagAlarmName]
      .map((name) => `ALARM("${name}")`)
      .join(' OR ');
    this.impairedAlarm = new CloudwatchCompositeAlarm(this, 'impaired', {
      provider,
      alarmName: names.impaired,
      alarmDescription: 'Region impaired: no healthy target, a high 5xx rate, or high replication lag.',
      alarmRule: rule,
      ...actions,
    });
    this.impairedAlarmName = this.impairedAlarm.alarmName;
    this.impairedAlarmArn = this.impairedAlarm.arn;
  }
}
