import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { isDualStack } from '../src/config/traffic-schema';
import { CustomerManagedKey } from '../src/constructs/security/customer-managed-key';
import { AlertsTopic } from '../src/constructs/resilience/alerts-topic';
import { HEALTH_CHECK_METRICS_REGION, RegionHealthChecks } from '../src/constructs/resilience/region-health-checks';
import { cloudWatchAlarmsKeyStatement, cloudWatchLogsKeyStatement, logDeliveryKeyStatement } from '../src/constructs/security/key-policies';
import { Accelerator, GLOBAL_ACCELERATOR_REGION } from '../src/constructs/traffic/accelerator';
import { AcceleratorEndpoint } from '../src/constructs/traffic/accelerator-endpoint';
import { AliasRecords } from '../src/constructs/traffic/alias-records';
import { FailoverRecords } from '../src/constructs/traffic/failover-records';
import { GeolocationRecords, type RoutedRegion } from '../src/constructs/traffic/geolocation-records';
import { RunbookTrigger } from '../src/constructs/resilience/runbook-trigger';
import { TrafficRunbooks, type RegionHealthCheckIds } from '../src/constructs/resilience/traffic-runbooks';
import { StackNames, type Naming } from '../src/naming';
import { ProjectStack } from './project-stack';
import type { RegionStack } from './region-stack';

/**
 * Route 53 is a global service whose control plane runs in us-east-1
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html):
 * latency records are changed through it whatever the provider's Region.
 */
export const ROUTE53_CONTROL_PLANE_REGION = 'us-east-1';

/** The Region of the edge stack's only provider: the control plane of the mode's routing service. */
export function edgeRegion(config: ResolvedConfig): string {
  return config.traffic.mode === 'global-accelerator' ? GLOBAL_ACCELERATOR_REGION : ROUTE53_CONTROL_PLANE_REGION;
}

/**
 * Everything users reach the Regions through, with one provider: in `global-accelerator` mode the
 * accelerator, its listeners, its flow-log bucket and key (us-west-2), every Region's endpoint group
 * and the DNS alias; in `route53-latency` mode every Region's latency records. Region stacks then
 * carry no provider but their own Region's, so an outage of one Region blocks no other Region's plans.
 */
export class EdgeStack extends ProjectStack {
  /** The accelerator, in `global-accelerator` mode. */
  readonly accelerator?: Accelerator;
  /** The key of the stack's own data in its home Region: runbook logs, alerts and, with an accelerator, its flow logs. */
  readonly key: CustomerManagedKey;
  /** The alerts topic in the stack's home Region, which its runbooks and alarms there notify. */
  readonly alerts: AlertsTopic;
  /**
   * The alerts topic in us-east-1 that the alarms on the health checks notify: `alerts` itself in
   * `route53-latency` mode (home us-east-1), a topic of its own with an accelerator; none without health checks.
   */
  readonly healthCheckAlerts?: AlertsTopic;
  /** The Route 53 health checks by Region; empty when `resilience.healthChecks.enabled` is off. */
  readonly healthChecks: ReadonlyMap<string, RegionHealthCheckIds>;
  /** The evacuate and restore runbooks, when `resilience.runbooks` is enabled and every Region has its health checks. */
  readonly trafficRunbooks?: TrafficRunbooks;

  constructor(scope: Construct, config: ResolvedConfig, regions: readonly RegionStack[]) {
    super(scope, StackNames.edge, config, edgeRegion(config));
    this.useRemoteState();
    const { naming } = this;
    const { traffic } = config;
    const home = edgeRegion(config);

    // The flow-log bucket lives beside the accelerator's API in us-west-2 and S3 encrypts with a KMS key
    // of the bucket's own Region only, so the accelerator's flow logs share this key.
    this.key = new CustomerManagedKey(this, 'key', {
      alias: naming.globalKeyAlias(),
      description: `Encrypts the edge data of ${config.name} in ${home}`,
      accountRootArn: naming.accountRootArn(),
      statements: [
        // Vended log delivery: the accelerator's flow logs, and the runbooks' execution logs.
        logDeliveryKeyStatement(config.accountId),
        cloudWatchLogsKeyStatement(home, naming.logGroupArnPatterns(home)),
        cloudWatchAlarmsKeyStatement(),
      ],
    });
    this.alerts = new AlertsTopic(this, 'alerts', {
      topicName: naming.edgeAlertsTopic(),
      kmsKeyArn: this.key.keyArn,
      region: home,
      accountId: config.accountId,
      emails: config.alerts.emails,
    });
    this.addOutputs({ 'alerts-topic-arn': [this.alerts.topicArn, `SNS topic that alarms and runbooks in ${home} notify`] });

    this.healthCheckAlerts = config.resilience.healthChecks.enabled ? this.healthCheckAlertsTopic(config) : undefined;
    const checks = this.healthCheckAlerts
      ? this.regionHealthChecks(config, regions, this.healthCheckAlerts)
      : new Map<string, RegionHealthChecks>();
    this.healthChecks = new Map([...checks].map(([region, c]) => [region, ids(c)]));

    if (traffic.mode === 'route53-geolocation' || traffic.mode === 'route53-failover') {
      this.routingRecords(config, regions, checks);
      this.trafficRunbooks = this.runbooks(regions, new Map(), this.healthChecks);
      return;
    }
    if (traffic.mode === 'route53-latency') {
      for (const stack of regions) {
        const { loadBalancer } = stack.ingress;
        new AliasRecords(this, `dns-${stack.region.region}`, {
          hostedZoneId: traffic.route53!.hostedZoneId,
          recordName: traffic.route53!.recordName,
          target: { dnsName: loadBalancer.dnsName, hostedZoneId: loadBalancer.zoneId },
          evaluateTargetHealth: true,
          latencyRegion: stack.region.region,
          // The switch check passes the entry's health through, and lets the evacuate runbook take the
          // Region out of DNS while its load balancer is still healthy (a grey failure, a planned drain).
          healthCheckId: checks.get(stack.region.region)?.switchHealthCheckId,
        });
      }
      this.trafficRunbooks = this.runbooks(regions, new Map(), this.healthChecks);
      return;
    }

    this.accelerator = new Accelerator(this, 'accelerator', {
      name: naming.accelerator(),
      ipAddressType: traffic.accelerator.ipAddressType,
      clientAffinity: traffic.accelerator.clientAffinity,
      listenerPorts: traffic.accelerator.listenerPorts,
      flowLogs: {
        bucketName: naming.acceleratorFlowLogBucket(GLOBAL_ACCELERATOR_REGION),
        kmsKeyArn: this.key.keyArn,
        retentionDays: traffic.accelerator.flowLogRetentionDays,
        accountId: config.accountId,
        forceDestroy: config.decommission,
      },
    });
    const listenerArns = this.accelerator.listenerArns;
    const endpointGroupArns = new Map<string, string[]>();
    for (const stack of regions) {
      const { region } = stack;
      const endpoint = new AcceleratorEndpoint(this, `endpoints-${region.region}`, {
        groups: Object.fromEntries(
          Object.entries(listenerArns).map(([port, listenerArn]) => [
            port,
            {
              listenerArn,
              region: region.region,
              loadBalancerArn: stack.ingress.loadBalancer.arn,
              trafficDialPercentage: region.trafficDial,
              weight: region.endpointWeight,
            },
          ]),
        ),
      });
      endpointGroupArns.set(
        region.region,
        endpoint.endpointGroups.map((group) => group.arn),
      );
    }
    if (traffic.route53) {
      new AliasRecords(this, 'dns', {
        hostedZoneId: traffic.route53.hostedZoneId,
        recordName: traffic.route53.recordName,
        // The accelerator's dns_name resolves to its IPv4 addresses only; a dual-stack accelerator has a
        // second name with A and AAAA records for all four addresses.
        // https://docs.aws.amazon.com/global-accelerator/latest/dg/dns-addressing-custom-domains.dns-addressing.html
        target: {
          dnsName: isDualStack(traffic) ? this.accelerator.accelerator.dualStackDnsName : this.accelerator.dnsName,
          hostedZoneId: this.accelerator.hostedZoneId,
        },
        evaluateTargetHealth: false,
        ipv6: isDualStack(traffic),
      });
    }
    this.addOutputs({
      'accelerator-dns-name': [this.accelerator.dnsName, 'DNS name of the accelerator'],
      'accelerator-ip-sets': [this.accelerator.accelerator.ipSets, 'Static anycast addresses of the accelerator'],
    });
    this.trafficRunbooks = this.runbooks(regions, endpointGroupArns, this.healthChecks);
  }

  /**
   * The evacuate and restore runbooks in the home Region (where the routing API is), their outputs,
   * and `resilience.autoEvacuate`'s rule that starts evacuate when a Region's "Region impaired"
   * alarm enters ALARM (its Region stack forwards the event here; the home Region's own alarm
   * arrives here directly). restore reads every Region's Route 53 entry and lag health checks
   * (`healthChecks`, by Region): without them for every Region, there are no runbooks.
   */
  private runbooks(
    regions: readonly RegionStack[],
    endpointGroupArns: ReadonlyMap<string, readonly string[]>,
    healthChecks: ReadonlyMap<string, RegionHealthCheckIds>,
  ): TrafficRunbooks | undefined {
    const { config, naming } = this;
    const { resilience } = config;
    if (!resilience.runbooks.enabled || !regions.every((stack) => healthChecks.has(stack.region.region))) return undefined;
    const home = edgeRegion(config);
    const runbooks = new TrafficRunbooks(this, 'traffic-runbooks', {
      mode: config.traffic.mode,
      regions: regions.map(({ region }) => ({
        region: region.region,
        endpointGroupArns: endpointGroupArns.get(region.region),
        trafficDialPercentage: region.trafficDial,
        ...healthChecks.get(region.region)!,
      })),
      region: home,
      accountId: config.accountId,
      kmsKeyArn: this.key.keyArn,
      topicArn: this.alerts.topicArn,
      timeoutMinutes: resilience.runbooks.timeoutMinutes,
      logRetentionDays: resilience.runbooks.logRetentionDays,
      evacuate: runbookNames(naming, 'evacuate', home),
      restore: runbookNames(naming, 'restore', home),
      ...(config.traffic.mode === 'global-accelerator'
        ? {
            automation: {
              updateDocumentName: naming.automationDocument('update-endpoint-group'),
              describeDocumentName: naming.automationDocument('describe-endpoint-group'),
              roleName: naming.automationRole(home),
            },
          }
        : {}),
    });
    this.addOutputs({
      'evacuate-arn': [
        runbooks.evacuateArn,
        `State machine that takes a Region out of traffic: input {"region": "<region>"}, run in ${home}`,
      ],
      'restore-arn': [
        runbooks.restoreArn,
        `State machine that brings a Region back once healthy: input {"region": "<region>"}, run in ${home}`,
      ],
    });
    if (resilience.autoEvacuate) {
      new RunbookTrigger(this, 'auto-evacuate', {
        ruleName: naming.runbookTriggerRule('evacuate'),
        alarmNames: regions.map(({ region }) => naming.regionImpairedAlarm(region.region)),
        stateMachineArn: runbooks.evacuateArn,
        // A forwarded event keeps the `region` of the alarm that fired: the Region to evacuate.
        input: { fromEvent: { region: '$.region' } },
        region: home,
        accountId: config.accountId,
        roleName: naming.runbookTriggerRole('evacuate', home),
        stateMachineKmsKeyArn: this.key.keyArn,
      });
    }
    return runbooks;
  }

  /**
   * The geolocation or failover records: every record to a load balancer carries its Region's switch
   * check, which passes the entry check's health through and lets the evacuate runbook take the Region
   * out (config validation requires the health checks in these modes).
   */
  private routingRecords(config: ResolvedConfig, regions: readonly RegionStack[], checks: ReadonlyMap<string, RegionHealthChecks>): void {
    const route53 = config.traffic.route53!;
    const routed = (stack: RegionStack): RoutedRegion => {
      const switchId = checks.get(stack.region.region)?.switchHealthCheckId;
      if (switchId === undefined) throw new Error(`${stack.region.region} has no switch health check; validation requires them`);
      return { dnsName: stack.ingress.loadBalancer.dnsName, hostedZoneId: stack.ingress.loadBalancer.zoneId, healthCheckId: switchId };
    };
    const byRegion = new Map(regions.map((stack) => [stack.region.region, stack]));
    const { geolocation, failover } = config.traffic;
    if (geolocation) {
      new GeolocationRecords(this, 'dns-geolocation', {
        hostedZoneId: route53.hostedZoneId,
        recordName: route53.recordName,
        regions: Object.fromEntries(regions.map((stack) => [stack.region.region, routed(stack)])),
        locations: geolocation.locations,
        defaultRegion: geolocation.defaultRegion,
        fallbackRegion: geolocation.fallbackRegion,
      });
    }
    if (failover) {
      new FailoverRecords(this, 'dns-failover', {
        hostedZoneId: route53.hostedZoneId,
        recordName: route53.recordName,
        order: failover.order.map((region) => ({ region, ...routed(byRegion.get(region)!) })),
      });
    }
  }

  /**
   * The Route 53 health checks of every Region, with their alarms in us-east-1 on a topic there, when
   * `resilience.healthChecks.enabled`.
   */
  private regionHealthChecks(config: ResolvedConfig, regions: readonly RegionStack[], topic: AlertsTopic): Map<string, RegionHealthChecks> {
    const settings = config.resilience.healthChecks;
    const checks = new Map<string, RegionHealthChecks>();
    const { naming } = this;
    const { traffic } = config;
    const metricsProvider = this.providerFor(HEALTH_CHECK_METRICS_REGION);
    for (const stack of regions) {
      const { region } = stack.region;
      const internal = traffic.loadBalancer.internal;
      checks.set(
        region,
        new RegionHealthChecks(this, `health-checks-${region}`, {
          region,
          names: {
            entry: naming.healthCheck(region, 'entry'),
            lag: naming.healthCheck(region, 'lag'),
            switch: naming.healthCheck(region, 'switch'),
          },
          entry: internal
            ? { kind: 'alarm', alarmName: stack.alarms.healthyHostsAlarmName }
            : {
                kind: 'endpoint',
                fqdn: stack.ingress.loadBalancer.dnsName,
                protocol: stack.region.certificateArn ? 'HTTPS' : 'HTTP',
                resourcePath: traffic.healthCheck.path,
                searchString: settings.searchString,
              },
          replicationLagAlarmName: stack.alarms.replicationLagAlarmName,
          requestIntervalSeconds: settings.requestIntervalSeconds,
          failureThreshold: settings.failureThreshold,
          switchCheck: traffic.mode !== 'global-accelerator',
          entryStatusAlarm: {
            alarmName: naming.alarm(region, 'entry-check'),
            topicArn: topic.topicArn,
            evaluationPeriods: config.resilience.alarms.evaluationPeriods,
            provider: metricsProvider,
          },
        }),
      );
    }
    return checks;
  }

  /**
   * The us-east-1 topic for the alarms on the health checks: the stack's own when its home is
   * us-east-1; otherwise a topic and key of their own there (SNS accepts only a key of the topic's Region,
   * https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html).
   */
  private healthCheckAlertsTopic(config: ResolvedConfig): AlertsTopic {
    if (this.homeRegion === HEALTH_CHECK_METRICS_REGION) return this.alerts;
    const { naming } = this;
    const provider = this.providerFor(HEALTH_CHECK_METRICS_REGION);
    const key = new CustomerManagedKey(this, 'health-check-key', {
      provider,
      alias: naming.globalKeyAlias(),
      description: `Encrypts the health-check alerts of ${config.name} in ${HEALTH_CHECK_METRICS_REGION}`,
      accountRootArn: naming.accountRootArn(),
      statements: [cloudWatchAlarmsKeyStatement()],
    });
    const topic = new AlertsTopic(this, 'health-check-alerts', {
      provider,
      topicName: naming.edgeAlertsTopic(),
      kmsKeyArn: key.keyArn,
      region: HEALTH_CHECK_METRICS_REGION,
      accountId: config.accountId,
      emails: config.alerts.emails,
    });
    this.addOutputs({
      'health-check-alerts-topic-arn': [
        topic.topicArn,
        `SNS topic that the alarms on the Route 53 health checks notify, in ${HEALTH_CHECK_METRICS_REGION}`,
      ],
    });
    return topic;
  }
}

/** The IDs the runbooks need of a Region's checks. */
function ids(checks: RegionHealthChecks): RegionHealthCheckIds {
  return {
    entryHealthCheckId: checks.entryHealthCheckId,
    lagHealthCheckId: checks.lagHealthCheckId,
    ...(checks.switchHealthCheckId === undefined ? {} : { switchHealthCheckId: checks.switchHealthCheckId }),
  };
}

function runbookNames(naming: Naming, runbook: 'evacuate' | 'restore', region: string) {
  return {
    stateMachineName: naming.runbook(runbook),
    logGroupName: naming.runbookLogGroup(runbook),
    roleName: naming.runbookRole(runbook, region),
  };
}
