import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { ALARM_DEFAULTS, RUNBOOK_DEFAULTS } from '../../config/resilience-schema';
import { terraformArithmetic } from '../../constructs/conditions';
import { Runbook } from '../../constructs/resilience/runbook';
import { promoteDatabaseDefinition, promoteDatabaseStatements } from '../../planning/runbooks/promote-database';
import { RegionAlarms } from '../../constructs/resilience/region-alarms';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import { inputs } from '../inputs';

const region = example.regions[0];
const account = example.accountId;
const secondary = example.regions[1];

export const regionAlarmsModule: ModuleDefinition = {
  name: 'region-alarms',
  mainResources: ['aws_cloudwatch_composite_alarm'],
  summary:
    "A Region's health alarms: no healthy target, 5xx share, Aurora replication lag, and a composite 'Region impaired' alarm over them.",
  description:
    "The health signals of one Region as the stacks create them, all notifying `alarm_topic_arn` on ALARM and on OK: `<alarm_name_prefix>-healthy-hosts` fires when the target group's `HealthyHostCount` (minimum per minute) stays below 1 (no data is a breach: the load balancer reports it whenever health checks are on); `<alarm_name_prefix>-http-5xx` when the load balancer's and its targets' 5xx responses exceed `http_5xx_percent` of its requests (metric math; a minute without requests is 0 %); `<alarm_name_prefix>-replication-lag` when `AuroraGlobalDBReplicationLag` of the cluster exceeds `replication_lag_seconds` (the metric is in milliseconds; the writer publishes none, so no data is not a breach; put it on every Region's cluster, since a switchover moves the writer); each after `evaluation_periods` one-minute periods in a row. `<alarm_name_prefix>-impaired` is a composite alarm in ALARM while any of them is: the one signal to page on, or to start an evacuation from (its state changes reach EventBridge). The healthy-hosts and lag alarms are plain metric alarms, so a Route 53 CloudWatch-alarm health check can follow them. The topic's key policy must let `cloudwatch.amazonaws.com` use the key (the `regional-key` module's does).",
  build(stack) {
    const input = inputs(stack);
    const prefix = input.matching(
      'alarm_name_prefix',
      'Prefix of the alarm names, e.g. "acme-shop-us-east-1": the alarms are <prefix>-healthy-hosts, -http-5xx, -replication-lag and -impaired.',
      '^[A-Za-z0-9._-]{1,200}$',
      'alarm_name_prefix must be 1 to 200 letters, digits, dots, underscores and hyphens.',
    );
    const loadBalancer = input.matching(
      'load_balancer_arn_suffix',
      'The `arn_suffix` of the Application Load Balancer (`app/<name>/<id>`): the regional-ingress output `load_balancer_arn_suffix`.',
      '^app/[^/]+/[0-9a-f]+$',
      'load_balancer_arn_suffix must look like app/<name>/<id>.',
    );
    const targetGroup = input.matching(
      'target_group_arn_suffix',
      'The `arn_suffix` of the target group (`targetgroup/<name>/<id>`): the regional-ingress output `target_group_arn_suffix`.',
      '^targetgroup/[^/]+/[0-9a-f]+$',
      'target_group_arn_suffix must look like targetgroup/<name>/<id>.',
    );
    const cluster = stack.input('db_cluster_identifier', {
      type: 'string',
      description: "Identifier of the Region's Aurora cluster, a member of the global database.",
    });
    const topic = input.matching(
      'alarm_topic_arn',
      'ARN of the SNS topic in this Region that the alarms notify.',
      '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$',
      'alarm_topic_arn must be the ARN of an SNS topic.',
    );
    const periods = input.wholeNumber(
      'evaluation_periods',
      'Consecutive one-minute periods a metric must breach before its alarm fires.',
      1,
      10,
      ALARM_DEFAULTS.evaluationPeriods,
    );
    const percent = input.wholeNumber(
      'http_5xx_percent',
      'Share of requests answered with 5xx (by the load balancer or its targets) that fires the 5xx alarm, percent.',
      1,
      100,
      ALARM_DEFAULTS.http5xxPercent,
    );
    const lag = input.wholeNumber(
      'replication_lag_seconds',
      'Aurora global replication lag of the cluster that fires the lag alarm, seconds.',
      1,
      86400,
      ALARM_DEFAULTS.replicationLagSeconds,
    );
    const name = (signal: string) => `${prefix.stringValue}-${signal}`;
    const alarms = new RegionAlarms(stack, 'alarms', {
      alarmNames: {
        healthyHosts: name('healthy-hosts'),
        http5xx: name('http-5xx'),
        replicationLag: name('replication-lag'),
        impaired: name('impaired'),
      },
      loadBalancerArnSuffix: loadBalancer.stringValue,
      targetGroupArnSuffix: targetGroup.stringValue,
      dbClusterIdentifier: cluster.stringValue,
      topicArn: topic.stringValue,
      evaluationPeriods: periods.numberValue,
      http5xxPercent: percent.numberValue,
      replicationLagSeconds: lag.numberValue,
    });
    stack.output('impaired_alarm_name', alarms.impairedAlarmName, 'Name of the composite "Region impaired" alarm.');
    stack.output(
      'impaired_alarm_arn',
      alarms.impairedAlarmArn,
      'ARN of the composite "Region impaired" alarm (the source of its EventBridge events).',
    );
    stack.output(
      'healthy_hosts_alarm_name',
      alarms.healthyHostsAlarmName,
      'Name of the healthy-hosts alarm (for a Route 53 CloudWatch-alarm health check).',
    );
    stack.output('healthy_hosts_alarm_arn', alarms.healthyHostsAlarmArn, 'ARN of the healthy-hosts alarm.');
    stack.output('http_5xx_alarm_name', alarms.http5xxAlarmName, 'Name of the 5xx alarm.');
    stack.output('http_5xx_alarm_arn', alarms.http5xxAlarmArn, 'ARN of the 5xx alarm.');
    stack.output(
      'replication_lag_alarm_name',
      alarms.replicationLagAlarmName,
      'Name of the replication-lag alarm (for a Route 53 CloudWatch-alarm health check).',
    );
    stack.output('replication_lag_alarm_arn', alarms.replicationLagAlarmArn, 'ARN of the replication-lag alarm.');
  },
  example: {
    providers: [{ region: region.region }],
    inputs: {
      alarm_name_prefix: `acme-shop-${region.region}`,
      load_balancer_arn_suffix: 'app/acme-shop/50dc6c495c0c9188',
      target_group_arn_suffix: 'targetgroup/acme-20260101000000/73e2d6bc24d8a067',
      db_cluster_identifier: `acme-shop-${region.region}`,
      alarm_topic_arn: `arn:aws:sns:${region.region}:${account}:acme-shop-alerts`,
      replication_lag_seconds: 30,
    },
  },
};

export const promoteDatabaseRunbookModule: ModuleDefinition = {
  name: 'promote-database-runbook',
  mainResources: ['aws_sfn_state_machine'],
  summary:
    "The promote-database runbook of one Region: a Step Functions state machine that makes this Region's Aurora cluster the writer of the global database.",
  description:
    'The runbook the stacks create in every Region, for teams that use Terraform only. The state machine `<name_prefix>-promote-database` (standard, encrypted with `kms_key_arn`, every execution logged with its data to `/<name_prefix>/runbooks/promote-database`, kept `log_retention_days`) runs in the Region of this cluster and takes `{"mode":"switchover"}` (no data loss, while the writer Region is healthy) or `{"mode":"failover","allowDataLoss":true}` (when it is not: writes not yet replicated are lost). It checks that the cluster is a member and not already the writer and that the global cluster is available, asks RDS in this Region for the promotion, then polls every 30 seconds until the cluster is the writer of an available global cluster, for at most `timeout_minutes`; every step and refusal notifies `alerts_topic_arn`. Its role `<name_prefix>-promote-db-<region>` may describe the global cluster, promote it to the clusters that `member_cluster_arn_pattern` matches (the writer it takes over from is one of them), publish to the topic and use `kms_key_arn` through SNS only. The key must be the topic\'s key, and its policy must let CloudWatch Logs use it for the log group (the `regional-key` module\'s does).',
  build(stack) {
    const input = inputs(stack);
    const prefix = input.matching(
      'name_prefix',
      'Prefix of the names, e.g. "acme-shop": the state machine <prefix>-promote-database, its log group /<prefix>/runbooks/promote-database and its role <prefix>-promote-db-<region>.',
      '^[A-Za-z0-9-]{1,32}$',
      'name_prefix must be 1 to 32 letters, digits and hyphens.',
    );
    const accountId = input.accountId();
    const globalCluster = input.matching(
      'global_cluster_identifier',
      'Identifier of the Aurora global database.',
      '^[A-Za-z][A-Za-z0-9-]{0,62}$',
      'global_cluster_identifier must start with a letter and have at most 63 letters, digits and hyphens.',
    );
    const clusterArn = input.matching(
      'cluster_arn',
      "ARN of this Region's Aurora cluster, a member of the global database: the cluster the runbook makes the writer.",
      '^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster:[A-Za-z][A-Za-z0-9-]{0,62}$',
      'cluster_arn must be the ARN of an Aurora DB cluster.',
    );
    const members = input.matching(
      'member_cluster_arn_pattern',
      "The clusters a promotion may involve, as a cluster ARN with * wildcards (e.g. arn:aws:rds:*:<account>:cluster:acme-shop-*): this Region's cluster and every cluster that may be the writer when it runs.",
      '^arn:aws[a-z-]*:rds:[a-z0-9*-]+:[0-9]{12}:cluster:[A-Za-z0-9*-]+$',
      'member_cluster_arn_pattern must be a DB cluster ARN, with * wildcards at most in the Region and the identifier.',
    );
    const topic = input.matching(
      'alerts_topic_arn',
      'ARN of the SNS topic in this Region that every step of the runbook notifies.',
      '^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]+$',
      'alerts_topic_arn must be the ARN of an SNS topic.',
    );
    const key = input.matching(
      'kms_key_arn',
      "ARN of this Region's customer-managed KMS key: it encrypts the state machine's data and its log group, and is the alerts topic's key.",
      '^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-f0-9-]+$',
      'kms_key_arn must be the ARN of a KMS key (not an alias).',
    );
    const retention = input.logRetention(
      'log_retention_days',
      "Days the runbook's execution logs are kept (one of the periods CloudWatch Logs accepts).",
      RUNBOOK_DEFAULTS.logRetentionDays,
    );
    const timeout = input.wholeNumber(
      'timeout_minutes',
      "Minutes the runbook waits for this Region's cluster to become the writer of an available global cluster before it fails with Timeout.",
      5,
      240,
      RUNBOOK_DEFAULTS.timeoutMinutes,
    );
    const region = new DataAwsRegion(stack, 'current', {}).id;
    const name = prefix.stringValue;
    const runbook = new Runbook(stack, 'promote-database', {
      stateMachineName: `${name}-promote-database`,
      definition: promoteDatabaseDefinition({
        region,
        globalClusterIdentifier: globalCluster.stringValue,
        clusterArn: clusterArn.stringValue,
        topicArn: topic.stringValue,
        // The timeout is a Terraform number: the poll count and hard timeout become Terraform
        // arithmetic on it. The Runbook's JSON.stringify writes each number token as its encoded
        // float, which cdktf resolves inside the string like a string token, so the definition is a
        // JSON template with the expressions in place of the numbers.
        timeoutMinutes: timeout.numberValue,
        arithmetic: terraformArithmetic,
      }),
      region,
      accountId: accountId.stringValue,
      kmsKeyArn: key.stringValue,
      logGroupName: `/${name}/runbooks/promote-database`,
      logRetentionDays: retention.numberValue,
      roleName: `${name}-promote-db-${region}`,
      statements: promoteDatabaseStatements({
        region,
        globalClusterArn: `arn:aws:rds::${accountId.stringValue}:global-cluster:${globalCluster.stringValue}`,
        memberClusterArns: members.stringValue,
        topicArn: topic.stringValue,
        topicKeyArn: key.stringValue,
      }),
    });
    stack.output(
      'state_machine_arn',
      runbook.stateMachineArn,
      'ARN of the state machine: start it with `aws stepfunctions start-execution --input \'{"mode":"switchover"}\'` in this Region.',
    );
    stack.output('role_arn', runbook.role.roleArn, "ARN of the runbook's execution role.");
  },
  example: {
    providers: [{ region: secondary.region }],
    inputs: {
      name_prefix: 'acme-shop',
      account_id: account,
      global_cluster_identifier: 'acme-shop',
      cluster_arn: `arn:aws:rds:${secondary.region}:${account}:cluster:acme-shop-${secondary.region}`,
      member_cluster_arn_pattern: `arn:aws:rds:*:${account}:cluster:acme-shop-*`,
      alerts_topic_arn: `arn:aws:sns:${secondary.region}:${account}:acme-shop-alerts`,
      kms_key_arn: `arn:aws:kms:${secondary.region}:${account}:key/5678efab-56ef-78ab-90cd-5678901234ef`,
      timeout_minutes: 45,
    },
  },
};
