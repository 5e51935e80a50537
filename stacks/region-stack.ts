import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedConfig, ResolvedRegion } from '../src/config';
import { RegionalDatabaseCluster } from '../src/constructs/database/regional-database-cluster';
import { RegionalNetwork } from '../src/constructs/network/regional-network';
import { AlarmForwarder } from '../src/constructs/resilience/alarm-forwarder';
import { AlertsTopic } from '../src/constructs/resilience/alerts-topic';
import { RegionAlarms } from '../src/constructs/resilience/region-alarms';
import { Runbook } from '../src/constructs/resilience/runbook';
import { GameDay } from '../src/constructs/resilience/game-day';
import { RunbookTrigger } from '../src/constructs/resilience/runbook-trigger';
import { CustomerManagedKey } from '../src/constructs/security/customer-managed-key';
import {
  cloudWatchAlarmsKeyStatement,
  cloudWatchLogsKeyStatement,
  logDeliveryKeyStatement,
  s3AccessLogDeliveryKeyStatement,
} from '../src/constructs/security/key-policies';
import { s3AccessLogDeliveryStatement } from '../src/constructs/storage/bucket-policies';
import { RegionalBucket } from '../src/constructs/storage/regional-bucket';
import { TableAccess } from '../src/constructs/storage/table-access';
import { FargateService } from '../src/constructs/traffic/fargate-service';
import { RegionalIngress } from '../src/constructs/traffic/regional-ingress';
import { explain } from '../src/constructs/rationale';
import { TransitHub } from '../src/constructs/transit/transit-hub';
import { s3BucketArn, StackNames } from '../src/naming';
import { dnsFailoverMinimumHealthyTargets, isDualStack, isRoute53Mode } from '../src/config/traffic-schema';
import { MAX_PASSWORD_LENGTH, masterPasswordValidation } from '../src/planning/aurora';
import { imageInRegion } from '../src/planning/fargate';
import { promoteDatabaseDefinition, promoteDatabaseStatements } from '../src/planning/runbooks/promote-database';
import { gameDayPlan } from '../src/planning/fis';
import { peersOf, regionPairs } from '../src/planning/pairs';
import { subnetsByAz } from '../src/planning/subnets';
import { edgeRegion } from './edge-stack';
import { databaseDeletionProtection, type GlobalStack } from './global-stack';
import { ProjectStack } from './project-stack';

/** The ephemeral input that carries the master password into the primary cluster, write-only. */
export const MASTER_PASSWORD_VARIABLE = 'database_master_password';

/** Everything that lives in one Region: its own state object, so one Region's outage never blocks another's plans. */
export class RegionStack extends ProjectStack {
  /** The Region's general purpose customer-managed key. */
  readonly key: CustomerManagedKey;
  /** The Region's VPC. */
  readonly network: RegionalNetwork;
  /** The Region's Transit Gateway, with link `transit-gateway` (or while `keepTransitGateways` keeps it). */
  readonly hub?: TransitHub;
  /** The Region's alerts topic. */
  readonly alerts: AlertsTopic;
  /** The Region's bucket for S3 server access logs. */
  readonly accessLogBucket: RegionalBucket;
  /** The replicated data buckets, by logical name. */
  readonly buckets: ReadonlyMap<string, RegionalBucket>;
  /** The Region's member of the global database. */
  readonly database: RegionalDatabaseCluster;
  /** The Region's load balancer. */
  readonly ingress: RegionalIngress;
  /** The default workload, unless `workload` is `none`. */
  readonly workload?: FargateService;
  /** The Region's health alarms and its composite "Region impaired" alarm. */
  readonly alarms: RegionAlarms;
  /** The runbook that makes this Region's cluster the writer of the global database, unless runbooks are off. */
  readonly promoteDatabase?: Runbook;
  /** The FIS templates that rehearse this Region's failure, with `resilience.gameDay`. */
  readonly gameDay?: GameDay;

  constructor(
    scope: Construct,
    config: ResolvedConfig,
    /** The Region this stack builds. */ readonly region: ResolvedRegion,
    global: GlobalStack,
  ) {
    super(scope, StackNames.region(region.region), config, region.region);
    this.useRemoteState();
    const { naming } = this;
    const prefix = naming.regionalPrefix(region.region);

    this.key = new CustomerManagedKey(this, 'regional-key', {
      alias: naming.regionalKeyAlias(),
      description: `Encrypts the data of ${config.name} in ${region.region}`,
      accountRootArn: naming.accountRootArn(),
      statements: [
        cloudWatchLogsKeyStatement(region.region, naming.logGroupArnPatterns(region.region)),
        s3AccessLogDeliveryKeyStatement(region.region, config.accountId),
        cloudWatchAlarmsKeyStatement(),
        // Runbook execution logs: Step Functions delivers them through vended log delivery, which
        // decrypts the state machine's data with its key.
        logDeliveryKeyStatement(config.accountId),
      ],
    });

    this.network = new RegionalNetwork(this, 'network', {
      namePrefix: prefix,
      region: region.region,
      cidr: region.cidr,
      subnets: subnetsByAz(region.subnets),
      natGateways: config.network.natGateways,
      ipv6: isDualStack(config.traffic),
      interfaceEndpoints: config.network.interfaceEndpoints,
      flowLogs: {
        logGroupName: naming.flowLogGroup(),
        kmsKeyArn: this.key.keyArn,
        roleName: naming.flowLogRole(region.region),
        region: region.region,
        accountId: config.accountId,
        retentionInDays: config.network.flowLogs.retentionDays,
        trafficType: config.network.flowLogs.trafficType,
      },
    });

    // The transit subnets stay with every link: empty subnets cost nothing, and the address plan of
    // every Region stays the same whichever link carries its traffic (change.ts refuses new CIDRs).
    const { link, keepTransitGateways } = config.topology;
    this.hub =
      link === 'transit-gateway' || keepTransitGateways
        ? new TransitHub(this, 'transit-hub', {
            namePrefix: prefix,
            amazonSideAsn: region.transitGatewayAsn,
            vpcId: this.network.vpcId,
            subnetIds: this.network.subnetIds.transit,
          })
        : undefined;

    this.alerts = new AlertsTopic(this, 'alerts', {
      topicName: naming.alertsTopic(),
      kmsKeyArn: this.key.keyArn,
      region: region.region,
      accountId: config.accountId,
      emails: config.alerts.emails,
    });

    // Log buckets do not log themselves (that would loop) and are not replicated (logs are regional).
    const accessLogBucketName = naming.accessLogBucket(region.region);
    this.accessLogBucket = new RegionalBucket(this, 'access-log-bucket', {
      bucketName: accessLogBucketName,
      kmsKeyArn: this.key.keyArn,
      expireObjectsAfterDays: config.storage.accessLogRetentionDays,
      noncurrentVersionExpirationDays: 30,
      forceDestroy: config.decommission,
      policyStatements: [
        s3AccessLogDeliveryStatement(s3BucketArn(accessLogBucketName), config.accountId, [`${s3BucketArn(config.name)}-*`]),
      ],
    });

    this.buckets = new Map(
      config.storage.buckets.map((bucket) => [
        bucket.name,
        new RegionalBucket(this, `bucket-${bucket.name}`, {
          bucketName: naming.dataBucket(bucket.name, region.region),
          kmsKeyArn: this.key.keyArn,
          noncurrentVersionExpirationDays: bucket.noncurrentVersionExpirationDays,
          forceDestroy: bucket.forceDestroy,
          accessLogs: { targetBucket: this.accessLogBucket.bucketName, targetPrefix: `${bucket.name}/` },
        }),
      ]),
    );

    this.database = this.databaseCluster(config, global);
    ({ ingress: this.ingress, workload: this.workload } = this.trafficEntry(config, global));
    // The workload reads and writes this Region's replica of every global table (mesh creates them;
    // the ARNs are computed, so this stack does not read mesh).
    if (this.workload && config.storage.tables.length > 0) {
      new TableAccess(this, 'table-access', {
        roleName: this.workload.taskRoleName,
        region: region.region,
        tableArns: config.storage.tables.map((table) => naming.tableArn(table.name, region.region)),
        kmsKeyArn: this.key.keyArn,
      });
    }
    this.promoteDatabase = config.resilience.runbooks.enabled ? this.promoteDatabaseRunbook(config) : undefined;

    const { alarms } = config.resilience;
    this.alarms = new RegionAlarms(this, 'alarms', {
      alarmNames: {
        healthyHosts: naming.alarm(region.region, 'healthy-hosts'),
        http5xx: naming.alarm(region.region, 'http-5xx'),
        replicationLag: naming.alarm(region.region, 'replication-lag'),
        impaired: naming.regionImpairedAlarm(region.region),
      },
      loadBalancerArnSuffix: this.ingress.loadBalancer.arnSuffix,
      targetGroupArnSuffix: this.ingress.targetGroup.arnSuffix,
      dbClusterIdentifier: this.database.cluster.clusterIdentifier,
      topicArn: this.alerts.topicArn,
      evaluationPeriods: alarms.evaluationPeriods,
      http5xxPercent: alarms.http5xxPercent,
      replicationLagSeconds: alarms.replicationLagSeconds,
    });

    this.gameDay = config.resilience.gameDay ? this.gameDayTemplates(config) : undefined;

    this.automaticTriggers(config);

    this.addOutputs({
      ...(this.gameDay
        ? {
            'game-day-template-ids': [
              this.gameDay.templateIds,
              `FIS experiment templates that rehearse the failure of ${region.region}, by template: aws fis start-experiment --region ${region.region} --experiment-template-id <id>`,
            ],
          }
        : {}),
      'database-endpoint': [this.database.endpoint, 'Cluster endpoint: the writer in the primary Region'],
      'database-reader-endpoint': [this.database.readerEndpoint, 'Reader endpoint of this Region'],
      'database-port': [String(this.database.port), 'Database port'],
      'load-balancer-dns-name': [this.ingress.loadBalancer.dnsName, "DNS name of the Region's load balancer"],
      'target-group-arn': [
        this.ingress.targetGroup.arn,
        'Target group behind the load balancer: register your own service here with workload "none"',
      ],
      'kms-key-arn': [this.key.keyArn, `Customer-managed KMS key of ${region.region}`],
      'vpc-id': [this.network.vpcId, 'VPC ID'],
      'vpc-cidr': [this.network.vpcCidr, 'VPC CIDR block'],
      'public-subnet-ids': [this.network.subnetIds.public, 'Public subnet IDs, one per AZ'],
      'private-subnet-ids': [this.network.subnetIds.private, 'Private (app) subnet IDs, one per AZ'],
      'database-subnet-ids': [this.network.subnetIds.database, 'Database subnet IDs, one per AZ'],
      ...(this.hub ? { 'transit-gateway-id': [this.hub.transitGatewayId, 'Transit Gateway ID'] } : {}),
      'alerts-topic-arn': [this.alerts.topicArn, 'SNS topic that alarms in this Region notify'],
      'impaired-alarm-arn': [this.alarms.impairedAlarmArn, 'Composite "Region impaired" alarm of this Region'],
      ...Object.fromEntries(
        [...this.buckets].map(([name, bucket]) => [`bucket-${name}-name`, [bucket.bucketName, `Bucket "${name}" in ${region.region}`]]),
      ),
      ...(this.promoteDatabase
        ? {
            'promote-database-arn': [
              this.promoteDatabase.stateMachineArn,
              `State machine that makes the database cluster in ${region.region} the writer: start it in ${region.region}`,
            ],
          }
        : {}),
    });
  }

  /**
   * promote-database, in every Region: a state machine's SDK integrations call RDS in the state
   * machine's own Region, and a promotion is asked of RDS in the Region that becomes the writer,
   * which answers while the old writer's Region is down.
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
   */
  private promoteDatabaseRunbook(config: ResolvedConfig): Runbook {
    const { region, naming } = this;
    const { runbooks } = config.resilience;
    const clusterArn = naming.databaseClusterArn(region.region);
    const globalClusterArn = naming.globalDatabaseArn();
    // Day 2: a new state machine, log group or role name replaces that resource (each name forces
    // a new one); a new definition or timeout updates the state machine in place, and running
    // executions keep the definition they started with.
    // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html
    const runbook = new Runbook(this, 'promote-database', {
      stateMachineName: naming.runbook('promote-database'),
      definition: promoteDatabaseDefinition({
        region: region.region,
        globalClusterIdentifier: naming.globalDatabase(),
        clusterArn,
        topicArn: this.alerts.topicArn,
        timeoutMinutes: runbooks.timeoutMinutes,
      }),
      region: region.region,
      accountId: config.accountId,
      kmsKeyArn: this.key.keyArn,
      logGroupName: naming.runbookLogGroup('promote-database'),
      logRetentionDays: runbooks.logRetentionDays,
      roleName: naming.runbookRole('promote-database', region.region),
      statements: promoteDatabaseStatements({
        region: region.region,
        globalClusterArn,
        memberClusterArns: naming.databaseClusterArn('*'),
        topicArn: this.alerts.topicArn,
        topicKeyArn: this.key.keyArn,
      }),
    });
    explain(
      runbook.role.role,
      "promote-database may describe the global cluster, and switch it over or fail it over to a member cluster of this layout (the promotion authorizes on the global cluster and the clusters: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html); it publishes to its Region's alerts topic, with the Region key through SNS only.",
    );
    return runbook;
  }

  /**
   * The game day templates of this Region: its app subnets and transit gateway cut off from the
   * other Regions, its buckets' replication to them paused; stopped by the other Regions' "Region
   * impaired" alarms.
   */
  private gameDayTemplates(config: ResolvedConfig): GameDay {
    const { region, naming } = this;
    const others = config.regions.map((r) => r.region).filter((r) => r !== region.region);
    const pairs = regionPairs(
      config.regions.map((r) => r.region),
      config.primaryRegion,
      config.topology.peering,
    );
    return new GameDay(this, 'game-day', {
      region: region.region,
      accountId: config.accountId,
      namePrefix: naming.regionalPrefix(region.region),
      // FIS's transit gateway action needs peering attachments: only with link "transit-gateway".
      // The route table action works with any link: it cuts the subnets' routes to the Region's ranges.
      plan: gameDayPlan(
        region.region,
        others,
        config.topology.link === 'transit-gateway' ? peersOf(region.region, pairs) : [],
        config.storage.buckets.length > 0,
      ),
      durationMinutes: config.resilience.gameDayDurationMinutes,
      vpcId: this.network.vpcId,
      // The app tier: its traffic is what leaves the Region (database replication is Aurora's own).
      subnetTags: { Tier: 'private' },
      transitGatewayArn: this.hub?.transitGateway.arn,
      transitGatewayRouteTableArn: this.hub?.routeTable.arn,
      bucketArns: [...this.buckets.values()].map((bucket) => s3BucketArn(bucket.bucketName)),
      stopConditionAlarmArns: others.map((other) => naming.alarmArn(other, naming.regionImpairedAlarm(other))),
      kmsKeyArn: this.key.keyArn,
      logGroupName: naming.gameDayLogGroup(),
      logRetentionDays: config.resilience.runbooks.logRetentionDays,
      roleName: naming.gameDayRole(region.region),
    });
  }

  /**
   * The opt-in automatic triggers, off by default. `autoEvacuate`: this Region's "Region impaired"
   * alarm entering ALARM is forwarded to the edge stack's home Region, whose rule starts evacuate
   * (not from the home Region itself: its own alarm events are already there). `autoPromote`: the
   * primary Region's alarm is forwarded to `failoverRegion`, whose rule starts promote-database as a
   * failover that allows data loss. One forwarding rule serves both.
   */
  private automaticTriggers(config: ResolvedConfig): void {
    const { naming } = this;
    const { resilience, accountId } = config;
    const region = this.region.region;
    if (!resilience.runbooks.enabled) return;
    const home = edgeRegion(config);
    const destinations = [
      ...(resilience.autoEvacuate && region !== home ? [home] : []),
      ...(resilience.autoPromote && this.region.primary ? [resilience.failoverRegion] : []),
    ];
    if (destinations.length > 0) {
      new AlarmForwarder(this, 'alarm-forwarder', {
        ruleName: naming.alarmForwarderRule(),
        alarmNames: [naming.regionImpairedAlarm(region)],
        destinationRegions: destinations,
        region,
        accountId,
        roleName: naming.alarmForwarderRole(region),
      });
    }
    if (resilience.autoPromote && region === resilience.failoverRegion) {
      new RunbookTrigger(this, 'auto-promote', {
        ruleName: naming.runbookTriggerRule('promote-database'),
        alarmNames: [naming.regionImpairedAlarm(config.primaryRegion)],
        stateMachineArn: naming.runbookArn('promote-database', region),
        // Unattended promotion is a failover: the primary Region is impaired, so a switchover (which
        // needs it) would not complete. Writes it had not replicated are lost (docs/operations.md).
        // Only while the primary's cluster still writes: after a switchover its alarm is no longer
        // about the writer, and the runbook refuses (WriterMoved).
        input: {
          fixed: { mode: 'failover', allowDataLoss: true, onlyIfWriter: naming.databaseClusterArn(config.primaryRegion) },
        },
        region,
        accountId,
        roleName: naming.runbookTriggerRole('promote-database', region),
        stateMachineKmsKeyArn: this.key.keyArn,
      });
    }
  }

  private databaseCluster(config: ResolvedConfig, global: GlobalStack): RegionalDatabaseCluster {
    const { region, naming } = this;
    const db = config.database;
    const member = region.primary
      ? {
          kind: 'primary' as const,
          databaseName: db.databaseName,
          masterUsername: db.masterUsername,
          masterPassword: this.masterPasswordVariable(MAX_PASSWORD_LENGTH[db.engine]).stringValue,
          masterPasswordVersion: db.masterPasswordVersion,
          writeForwarding: db.writeForwarding,
        }
      : { kind: 'secondary' as const, writeForwarding: db.writeForwarding };

    return new RegionalDatabaseCluster(this, 'database', {
      clusterIdentifier: naming.databaseCluster(region.region),
      member,
      globalClusterIdentifier: global.database.globalClusterIdentifier,
      engine: db.engine,
      engineVersion: db.engineVersion,
      port: db.port,
      kmsKeyArn: this.key.keyArn,
      region: region.region,
      accountId: config.accountId,
      vpcId: this.network.vpcId,
      subnetIds: this.network.subnetIds.database,
      availabilityZones: region.azs,
      allowedCidrs: region.subnets.private.subnets.map((s) => s.cidr),
      instanceClass: db.instanceClass,
      serverless: db.serverless,
      instanceCount: region.primary ? db.instances.primary : db.instances.secondary,
      backupRetentionDays: db.backupRetentionDays,
      backupWindow: db.backupWindow,
      maintenanceWindow: db.maintenanceWindow,
      deletionProtection: databaseDeletionProtection(config),
      performanceInsightsRetentionDays: db.performanceInsightsRetentionDays,
      monitoringInterval: db.monitoringInterval,
      monitoringRoleName: naming.databaseMonitoringRole(region.region),
      logRetentionDays: db.logRetentionDays,
    });
  }

  /**
   * Where the app writes: with write forwarding, its own Region's cluster endpoint, which reaches the
   * writer wherever a switchover moved it (Aurora carries the forwarded writes); otherwise the global
   * writer endpoint.
   */
  private writerEndpoint(config: ResolvedConfig, global: GlobalStack): string {
    return config.database.writeForwarding ? this.database.endpoint : global.database.writerEndpoint;
  }

  /**
   * The master password as an ephemeral, sensitive input: Terraform passes it to the write-only
   * `master_password_wo` and keeps it out of the plan and the state.
   */
  private masterPasswordVariable(maxLength: number): TerraformVariable {
    const variable = new TerraformVariable(this, MASTER_PASSWORD_VARIABLE, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description: `Master password of the primary database cluster: 8 to ${maxLength} printable ASCII characters except /, ", @ and space. Never stored; bump database.masterPasswordVersion in the config to send a new one, while the writer is in this Region (after a switchover, rotate on the writer with aws rds modify-db-cluster).`,
      validation: [masterPasswordValidation(MASTER_PASSWORD_VARIABLE, maxLength)],
    });
    // cdktf 0.21's TerraformVariable has no field for ephemeral inputs (Terraform 1.10+).
    variable.addOverride('ephemeral', true);
    return variable;
  }

  /** The load balancer and the default workload behind it; the edge stack routes users to them. */
  private trafficEntry(config: ResolvedConfig, global: GlobalStack): { ingress: RegionalIngress; workload?: FargateService } {
    const { region, naming } = this;
    const { traffic, workload } = config;
    const ingress = new RegionalIngress(this, 'ingress', {
      loadBalancerName: naming.loadBalancer(),
      targetGroupNamePrefix: naming.targetGroupNamePrefix(),
      accessLogBucketName: naming.loadBalancerLogBucket(region.region),
      accessLogRetentionDays: traffic.loadBalancer.accessLogRetentionDays,
      region: region.region,
      accountId: config.accountId,
      vpcId: this.network.vpcId,
      vpcCidr: region.cidr,
      subnetIds: traffic.loadBalancer.internal ? this.network.subnetIds.private : this.network.subnetIds.public,
      internal: traffic.loadBalancer.internal,
      ipAddressType: isDualStack(traffic) ? 'dualstack' : 'ipv4',
      deletionProtection: traffic.loadBalancer.deletionProtection && !config.decommission,
      accessLogBucketForceDestroy: config.decommission,
      certificateArn: region.certificateArn,
      targetPort: workload === 'none' ? 80 : workload.port,
      healthCheck: traffic.healthCheck,
      ...(isRoute53Mode(traffic.mode) ? { dnsFailoverMinimumHealthyTargets: dnsFailoverMinimumHealthyTargets(workload) } : {}),
    });

    const service =
      workload === 'none'
        ? undefined
        : new FargateService(this, 'workload', {
            name: naming.workloadCluster(),
            region: region.region,
            accountId: config.accountId,
            vpcId: this.network.vpcId,
            subnetIds: this.network.subnetIds.private,
            loadBalancerSecurityGroupId: ingress.securityGroup.id,
            targetGroupArn: ingress.targetGroup.arn,
            listeners: ingress.listeners,
            image: imageInRegion(workload.image, region.region),
            port: workload.port,
            cpu: workload.cpu,
            memory: workload.memory,
            desiredCount: workload.desiredCount,
            minCount: workload.minCount,
            maxCount: workload.maxCount,
            cpuTargetPercent: workload.cpuTargetPercent,
            architecture: workload.architecture,
            spot: workload.spot,
            logRetentionDays: workload.logRetentionDays,
            environment: {
              APP_REGION: region.region,
              DATABASE_WRITER_ENDPOINT: this.writerEndpoint(config, global),
              DATABASE_READER_ENDPOINT: this.database.readerEndpoint,
              DATABASE_PORT: String(this.database.port),
              DATABASE_NAME: config.database.databaseName,
            },
            databaseAccess: { port: this.database.port, cidrs: [region.subnets.database.block] },
            logGroupName: naming.workloadLogGroup(),
            kmsKeyArn: this.key.keyArn,
            executionRoleName: naming.workloadExecutionRole(region.region),
            taskRoleName: naming.workloadTaskRole(region.region),
          });

    return { ingress, workload: service };
  }
}
