import { TerraformStack, Testing } from 'cdktf';
import type { ResolvedConfig } from '../src/config';
import { RegionAlarms } from '../src/constructs/resilience/region-alarms';
import { RegionHealthChecks } from '../src/constructs/resilience/region-health-checks';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, crossStack, exampleInput, exampleLayouts, ref, resources, synth, type Synthesized } from './helpers';

const ROUTE53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };

/** The Region of the provider a resource uses (`aws.<alias>` or the default one). */
function providerRegion(stack: TerraformJson, providerRef: string | undefined): string {
  const alias = providerRef?.startsWith('aws.') ? providerRef.slice(4) : undefined;
  return (stack.provider.aws as TerraformJson[]).find((p) => p.alias === alias)!.region;
}

/** The metric alarms of a stack by the alarm's name. */
function alarmsByName(stack: TerraformJson): Record<string, TerraformJson & { key: string }> {
  return Object.fromEntries(
    Object.entries(resources(stack, 'aws_cloudwatch_metric_alarm')).map(([key, body]) => [body.alarm_name, { ...body, key }]),
  );
}

/** The health checks of the edge stack for one Region, by purpose (from their Name tags). */
function checksOf(edge: TerraformJson, config: ResolvedConfig, region: string): Record<string, TerraformJson & { key: string }> {
  return Object.fromEntries(
    Object.entries(resources(edge, 'aws_route53_health_check'))
      .filter(([, body]) => (body.tags.Name as string).startsWith(`${config.name}-${region}-`))
      .map(([key, body]) => [(body.tags.Name as string).slice(`${config.name}-${region}-`.length), { ...body, key }]),
  );
}

/** Where a cross-stack reference of the edge stack leads in a Region stack. */
function followed(result: Synthesized, reference: string): string {
  return crossStack(result, reference).value;
}

describe.each(exampleLayouts())('health signals: %s', (_label, config) => {
  const result = synth(config);
  const edge = result.stacks.get('edge')!;
  const { alarms } = config.resilience;

  test.each(config.regions.map((r) => [r.region]))(
    '%s has the four alarms, with the thresholds of the config, on its alerts topic',
    (region) => {
      const stack = result.stacks.get(`region-${region}`)!;
      const topic = Object.keys(resources(stack, 'aws_sns_topic'));
      expect(topic).toHaveLength(1);
      const topicArn = ref('aws_sns_topic', topic[0], 'arn');
      const byName = alarmsByName(stack);
      const name = (signal: string) => `${config.name}-${region}-${signal}`;
      expect(Object.keys(byName).sort()).toEqual([name('healthy-hosts'), name('http-5xx'), name('replication-lag')].sort());

      const lb = Object.keys(resources(stack, 'aws_lb'))[0];
      const tg = Object.keys(resources(stack, 'aws_lb_target_group'))[0];
      const cluster = Object.keys(resources(stack, 'aws_rds_cluster'))[0];
      expect(byName[name('healthy-hosts')]).toMatchObject({
        namespace: 'AWS/ApplicationELB',
        metric_name: 'HealthyHostCount',
        dimensions: { TargetGroup: ref('aws_lb_target_group', tg, 'arn_suffix'), LoadBalancer: ref('aws_lb', lb, 'arn_suffix') },
        statistic: 'Minimum',
        period: 60,
        evaluation_periods: alarms.evaluationPeriods,
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
      });
      const http5xx = byName[name('http-5xx')];
      expect(http5xx).toMatchObject({
        threshold: alarms.http5xxPercent,
        treat_missing_data: 'notBreaching',
        comparison_operator: 'GreaterThanThreshold',
      });
      const queries = Object.fromEntries((http5xx.metric_query as TerraformJson[]).map((q) => [q.id, q]));
      expect(queries.rate).toMatchObject({ return_data: true });
      expect(queries.rate.expression).toMatch(/100 \* \(FILL\(elb5xx, 0\) \+ FILL\(target5xx, 0\)\) \/ FILL\(requests, 0\)/);
      expect(Object.fromEntries(['elb5xx', 'target5xx', 'requests'].map((id) => [id, queries[id].metric.metric_name]))).toEqual({
        elb5xx: 'HTTPCode_ELB_5XX_Count',
        target5xx: 'HTTPCode_Target_5XX_Count',
        requests: 'RequestCount',
      });
      expect(byName[name('replication-lag')]).toMatchObject({
        namespace: 'AWS/RDS',
        metric_name: 'AuroraGlobalDBReplicationLag',
        dimensions: { DBClusterIdentifier: ref('aws_rds_cluster', cluster, 'cluster_identifier') },
        threshold: alarms.replicationLagSeconds * 1000,
        treat_missing_data: 'notBreaching',
      });

      const composite = Object.values(resources(stack, 'aws_cloudwatch_composite_alarm'));
      expect(composite).toHaveLength(1);
      expect(composite[0].alarm_name).toBe(name('impaired'));
      const members = Object.values(byName).map((alarm) => `ALARM("${ref('aws_cloudwatch_metric_alarm', alarm.key, 'alarm_name')}")`);
      expect((composite[0].alarm_rule as string).split(' OR ').sort()).toEqual(members.sort());
      for (const alarm of [...Object.values(byName), composite[0]]) {
        expect(alarm.alarm_actions).toEqual([topicArn]);
        expect(alarm.ok_actions).toEqual([topicArn]);
      }
      expect(stack.output['impaired-alarm-arn'].value).toBe(
        ref('aws_cloudwatch_composite_alarm', Object.keys(resources(stack, 'aws_cloudwatch_composite_alarm'))[0], 'arn'),
      );
    },
  );

  test('every Region has an HTTP entry check on its load balancer and a lag check on its replication-lag alarm', () => {
    for (const { region } of config.regions) {
      const checks = checksOf(edge, config, region);
      expect(Object.keys(checks).sort()).toEqual(['entry', 'lag']);
      expect(checks.entry).toMatchObject({
        type: 'HTTP',
        port: 80,
        resource_path: config.traffic.healthCheck.path,
        request_interval: config.resilience.healthChecks.requestIntervalSeconds,
        failure_threshold: config.resilience.healthChecks.failureThreshold,
        measure_latency: false,
      });
      for (const check of [checks.entry, checks.lag]) expect(check.lifecycle).toEqual({ create_before_destroy: true });
      expect(checks.entry.regions).toBeUndefined();
      expect(checks.entry.reference_name).toBeUndefined();
      expect(followed(result, checks.entry.fqdn)).toMatch(/^\$\{aws_lb\.[^.]+\.dns_name\}$/);
      expect(checks.lag).toMatchObject({
        type: 'CLOUDWATCH_METRIC',
        cloudwatch_alarm_region: region,
        insufficient_data_health_status: 'Healthy',
      });
      const lagAlarm = alarmsByName(result.stacks.get(`region-${region}`)!)[`${config.name}-${region}-replication-lag`];
      expect(followed(result, checks.lag.cloudwatch_alarm_name)).toBe(ref('aws_cloudwatch_metric_alarm', lagAlarm.key, 'alarm_name'));
    }
  });

  test('the HealthCheckStatus alarms use a us-east-1 provider and notify a topic in us-east-1', () => {
    const statusAlarms = Object.values(resources(edge, 'aws_cloudwatch_metric_alarm'));
    expect(statusAlarms).toHaveLength(config.regions.length);
    const topics = resources(edge, 'aws_sns_topic');
    for (const { region } of config.regions) {
      const alarm = statusAlarms.find((a) => a.alarm_name === `${config.name}-${region}-entry-check`)!;
      expect(alarm).toMatchObject({ namespace: 'AWS/Route53', metric_name: 'HealthCheckStatus', statistic: 'Minimum', threshold: 1 });
      expect(alarm.dimensions.HealthCheckId).toBe(ref('aws_route53_health_check', checksOf(edge, config, region).entry.key, 'id'));
      expect(providerRegion(edge, alarm.provider)).toBe('us-east-1');
      const [topic] = (alarm.alarm_actions as string[]).map((arn) => /^\$\{aws_sns_topic\.([^.]+)\.arn\}$/.exec(arn)![1]);
      expect(providerRegion(edge, topics[topic].provider)).toBe('us-east-1');
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
    }
  });
});

describe('health signal options', () => {
  const base = exampleInput();
  const certificates = base.regions.map((r) => ({
    ...r,
    certificateArn: `arn:aws:acm:${r.region}:111122223333:certificate/0e8c5a8e-1111-4222-8333-94444555566${r.primary ? '6' : '7'}`,
  }));

  test('route53-latency with certificates and a search string: HTTPS string match, a switch check on each latency record', () => {
    const config = configFrom({
      ...base,
      regions: certificates,
      traffic: { mode: 'route53-latency', route53: ROUTE53 },
      resilience: { healthChecks: { searchString: 'ok', requestIntervalSeconds: 10, failureThreshold: 2 } },
    });
    const result = synth(config);
    const edge = result.stacks.get('edge')!;
    const records = Object.values(resources(edge, 'aws_route53_record'));
    expect(records).toHaveLength(config.regions.length);
    for (const { region } of config.regions) {
      const checks = checksOf(edge, config, region);
      expect(checks.entry).toMatchObject({
        type: 'HTTPS_STR_MATCH',
        port: 443,
        search_string: 'ok',
        enable_sni: true,
        request_interval: 10,
        failure_threshold: 2,
      });
      expect(checks.switch).toMatchObject({
        type: 'CALCULATED',
        child_healthchecks: [ref('aws_route53_health_check', checks.entry.key, 'id')],
        child_health_threshold: 1,
        lifecycle: { create_before_destroy: true, ignore_changes: ['child_health_threshold'] },
      });
      const record = records.find((r) => r.set_identifier === region)!;
      expect(record.health_check_id).toBe(ref('aws_route53_health_check', checks.switch.key, 'id'));
      expect(record.alias.evaluate_target_health).toBe(true);
    }
    // The edge stack's home is us-east-1: its own alerts topic takes the alarms, and no second key or topic.
    expect(Object.keys(resources(edge, 'aws_sns_topic'))).toHaveLength(1);
    expect(Object.keys(resources(edge, 'aws_kms_key'))).toHaveLength(1);
    for (const alarm of Object.values(resources(edge, 'aws_cloudwatch_metric_alarm'))) {
      expect(providerRegion(edge, alarm.provider)).toBe('us-east-1');
    }
  });

  test('an internal load balancer gets an entry check on its healthy-hosts alarm, which needs no public reachability', () => {
    const config = configFrom({ ...base, traffic: { loadBalancer: { internal: true } } });
    const result = synth(config);
    const edge = result.stacks.get('edge')!;
    for (const { region } of config.regions) {
      const entry = checksOf(edge, config, region).entry;
      expect(entry).toMatchObject({
        type: 'CLOUDWATCH_METRIC',
        cloudwatch_alarm_region: region,
        insufficient_data_health_status: 'Unhealthy',
      });
      expect(entry.fqdn).toBeUndefined();
      const healthy = alarmsByName(result.stacks.get(`region-${region}`)!)[`${config.name}-${region}-healthy-hosts`];
      expect(followed(result, entry.cloudwatch_alarm_name)).toBe(ref('aws_cloudwatch_metric_alarm', healthy.key, 'alarm_name'));
    }
  });

  test('health checks off: no checks, no alarms on them, no us-east-1 resources in the edge stack; the regional alarms stay', () => {
    const config = configFrom({ ...base, resilience: { healthChecks: { enabled: false } } });
    const result = synth(config);
    const edge = result.stacks.get('edge')!;
    expect(resources(edge, 'aws_route53_health_check')).toEqual({});
    expect(resources(edge, 'aws_cloudwatch_metric_alarm')).toEqual({});
    expect((edge.provider.aws as TerraformJson[]).map((p) => p.region)).toEqual(['us-west-2']);
    for (const { region } of config.regions) {
      const stack = result.stacks.get(`region-${region}`)!;
      expect(Object.keys(resources(stack, 'aws_cloudwatch_metric_alarm'))).toHaveLength(3);
      expect(Object.keys(resources(stack, 'aws_cloudwatch_composite_alarm'))).toHaveLength(1);
    }
  });
});

describe('constructs', () => {
  const props = {
    alarmNames: { healthyHosts: 'a-hh', http5xx: 'a-5xx', replicationLag: 'a-lag', impaired: 'a-impaired' },
    loadBalancerArnSuffix: 'app/a/1',
    targetGroupArnSuffix: 'targetgroup/a/1',
    dbClusterIdentifier: 'a',
    topicArn: 'arn:aws:sns:us-east-1:111122223333:a',
  };

  test('RegionAlarms refuses thresholds out of range and names that collide', () => {
    const stack = () => new TerraformStack(Testing.app(), 'test');
    expect(() => new RegionAlarms(stack(), 'x', { ...props, evaluationPeriods: 0 })).toThrow(/evaluationPeriods 0 must be 1 to 10/);
    expect(() => new RegionAlarms(stack(), 'x', { ...props, http5xxPercent: 101 })).toThrow(/http5xxPercent 101/);
    expect(() => new RegionAlarms(stack(), 'x', { ...props, alarmNames: { ...props.alarmNames, impaired: 'a-hh' } })).toThrow(
      /alarm names must differ/,
    );
  });

  test('RegionHealthChecks refuses a request interval Route 53 does not offer and a switch check without a name', () => {
    const stack = () => new TerraformStack(Testing.app(), 'test');
    const checks = {
      region: 'us-east-1',
      names: { entry: 'e', lag: 'l' },
      entry: { kind: 'endpoint' as const, fqdn: 'lb.example.com', protocol: 'HTTP' as const, resourcePath: '/' },
      replicationLagAlarmName: 'a-lag',
    };
    expect(() => new RegionHealthChecks(stack(), 'x', { ...checks, requestIntervalSeconds: 20 })).toThrow(/must be 10 or 30/);
    expect(() => new RegionHealthChecks(stack(), 'x', { ...checks, switchCheck: true })).toThrow(/switchCheck needs names.switch/);
  });
});
