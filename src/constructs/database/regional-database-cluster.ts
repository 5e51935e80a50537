import { Fn, IResolvable, ITerraformDependable, TerraformProvider, Token, propertyAccess } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { RdsCluster, rdsClusterServerlessv2ScalingConfigurationToTerraform } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import {
  RdsClusterParameterGroup,
  rdsClusterParameterGroupParameterToTerraform,
} from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import {
  clusterParameters,
  engineFactsTable,
  GLOBAL_DATABASE_INSTANCE_CLASS,
  logExports,
  MAX_ACU,
  MIN_ACU,
  parameterGroupFamily,
  SERVERLESS_INSTANCE_CLASS,
  type AuroraEngine,
  type ClusterParameter,
} from '../../planning/aurora';
import { counted, Keyed } from '../collection';
import { conditionalBlocks, equals, replaceAll } from '../conditions';
import { namedLocal } from '../locals';
import { CidrRules } from '../network/cidr-rules';
import { ServiceRole } from '../security/service-role';
import { requireKnown } from '../validation';
import { preventsDestroy } from './protection';
import { explain } from '../rationale';

/** `formatdate` layout of the creation time in final snapshot names: digits only, as identifiers allow. */
const FINAL_SNAPSHOT_TIME_FORMAT = 'YYYYMMDDhhmmss';

/** The primary member: it holds the writer, the database and the master user. */
export interface PrimaryMember {
  /** Marks the primary member. */
  readonly kind: 'primary';
  /** The database created in the cluster. */
  readonly databaseName: string;
  /** The master user, created with the database. */
  readonly masterUsername: string;
  /** The master password, sent write-only (never stored in state): pass an ephemeral variable. */
  readonly masterPassword: string;
  /** Bump to send a new master password. */
  readonly masterPasswordVersion: number;
  /**
   * Forward writes once a switchover or failover has demoted this cluster to a secondary. The
   * primary keeps the setting unused until then, so the app of this Region, which writes through its
   * own cluster endpoint with forwarding, keeps writing wherever the writer went.
   * @default - not set: a demoted primary refuses writes
   */
  readonly writeForwarding?: boolean | IResolvable;
}

/** A secondary member: a read-only copy that carries no credentials and no database name. */
export interface SecondaryMember {
  /** Marks a secondary member. */
  readonly kind: 'secondary';
  /**
   * Forward writes to the primary.
   * @default false
   */
  readonly writeForwarding?: boolean | IResolvable;
}

/** Properties of a `RegionalDatabaseCluster`. */
export interface RegionalDatabaseClusterProps {
  /** The cluster identifier, also the prefix of the names of its instances, groups and log groups. */
  readonly clusterIdentifier: string;
  /** Whether this Region's cluster is the primary (writer) or a secondary member. */
  readonly member: PrimaryMember | SecondaryMember;
  /** The global cluster to join. */
  readonly globalClusterIdentifier: string;
  /** The engine: `aurora-postgresql` or `aurora-mysql`. */
  readonly engine: AuroraEngine;
  /** The engine version at creation; later upgrades go through the global cluster. */
  readonly engineVersion: string;
  /** The port the cluster listens on. */
  readonly port: number;
  /** ARN of this Region's customer-managed key: storage, Performance Insights and logs. */
  readonly kmsKeyArn: string;
  /** The cluster's Region, for the monitoring role's permissions. */
  readonly region: string;
  /** The account ID, for the monitoring role's trust condition and permissions. */
  readonly accountId: string;
  /** The VPC of the cluster's security group. */
  readonly vpcId: string;
  /** The database subnets. */
  readonly subnetIds: readonly string[];
  /** Availability Zones to spread instances over, in order. */
  readonly availabilityZones: readonly string[];
  /**
   * CIDRs allowed on the database port: the app tier of this Region. Other Regions' app tiers are
   * links between Regions, added to `securityGroup` where the links are made.
   */
  readonly allowedCidrs: readonly string[];
  /** A memory-optimized class, or `db.serverless`. */
  readonly instanceClass: string;
  /**
   * Serverless v2 capacity in ACUs; required with `db.serverless`.
   * @default - none: provisioned instances of `instanceClass`
   */
  readonly serverless?: {
    /** The fewest ACUs an instance scales down to. */
    readonly minCapacity: number;
    /** The most ACUs an instance scales up to. */
    readonly maxCapacity: number;
  };
  /** Instances in this Region (0 makes a headless secondary). */
  readonly instanceCount: number;
  /**
   * Days automated backups are kept (1 to 35).
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC (`hh:mm-hh:mm`). */
  readonly backupWindow: string;
  /** Weekly maintenance window, UTC (`ddd:hh:mm-ddd:hh:mm`). */
  readonly maintenanceWindow: string;
  /**
   * Deletion protection: the API refuses to delete the cluster while it is on.
   * @default true
   */
  readonly deletionProtection?: boolean | IResolvable;
  /**
   * Refuse at plan time any change that would destroy or replace the cluster
   * (`lifecycle.prevent_destroy`).
   * @default - true when `deletionProtection` is the literal `true` (or unset); false when it is a
   * Terraform expression, since `lifecycle` arguments take no expressions
   */
  readonly preventDestroy?: boolean;
  /**
   * Days Performance Insights keeps data: 7 (free), or months as multiples of 31 up to 731.
   * @default 7
   */
  readonly performanceInsightsRetentionDays?: number;
  /**
   * Enhanced Monitoring interval, seconds.
   * @default 60
   */
  readonly monitoringInterval?: number;
  /** Name of the Enhanced Monitoring role (IAM names are global: include the Region). */
  readonly monitoringRoleName: string;
  /**
   * Days the exported logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Resources the cluster must wait for in the same stack (the global cluster, when it is in scope).
   * @default - none
   */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * The provider (Region) to create the cluster with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * One Region's member of an Aurora global database: the cluster with its subnet group, a security
 * group that admits the database port from the app tiers only, a parameter group that refuses
 * unencrypted connections, encrypted log groups, and instances spread over the AZs with Performance
 * Insights and Enhanced Monitoring. Attributes that a switchover, a failover or a global upgrade change
 * behind Terraform's back are ignored.
 */
export class RegionalDatabaseCluster extends Construct {
  /** The member cluster. */
  readonly cluster: RdsCluster;
  /** The cluster's instances, spread over `availabilityZones` (none for a headless secondary). */
  readonly instances: readonly RdsClusterInstance[];
  /** The cluster's security group: the database port from `allowedCidrs`. */
  readonly securityGroup: SecurityGroup;
  /** The cluster (writer) endpoint: writes in the primary Region, forwarded writes or reads elsewhere. */
  readonly endpoint: string;
  /** The reader endpoint: the Region's instances, for local reads. */
  readonly readerEndpoint: string;
  /** The port the cluster listens on. */
  readonly port: number;

  constructor(scope: Construct, id: string, props: RegionalDatabaseClusterProps) {
    super(scope, id);
    const { provider, member, engine } = props;
    const serverless = props.instanceClass === SERVERLESS_INSTANCE_CLASS;
    requireKnown(
      props.instanceClass,
      () => serverless || GLOBAL_DATABASE_INSTANCE_CLASS.test(props.instanceClass),
      () => `RegionalDatabaseCluster ${id}: ${props.instanceClass} cannot run Aurora Global Database`,
    );
    requireKnown(
      props.instanceClass,
      () => serverless === (props.serverless !== undefined),
      () => `RegionalDatabaseCluster ${id}: serverless capacity goes with instanceClass ${SERVERLESS_INSTANCE_CLASS}, and only with it`,
    );
    if (props.serverless) {
      const { minCapacity, maxCapacity } = props.serverless;
      requireKnown(
        [minCapacity, maxCapacity],
        () => minCapacity >= MIN_ACU && maxCapacity <= MAX_ACU && minCapacity <= maxCapacity,
        () => `RegionalDatabaseCluster ${id}: capacity must satisfy ${MIN_ACU} <= min <= max <= ${MAX_ACU}`,
      );
    }
    const minimumInstances = member.kind === 'primary' ? 1 : 0;
    requireKnown(
      props.instanceCount,
      () => Number.isInteger(props.instanceCount) && props.instanceCount >= minimumInstances && props.instanceCount <= 16,
      () => `RegionalDatabaseCluster ${id}: instanceCount must be ${minimumInstances} to 16`,
    );
    const name = props.clusterIdentifier;

    const subnetGroup = new DbSubnetGroup(this, 'subnet-group', {
      provider,
      name,
      description: `Database subnets of ${name}`,
      subnetIds: [...props.subnetIds],
    });

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      provider,
      vpcId: props.vpcId,
      name: `${name}-database`,
      description: 'Database port from the app tiers only',
      tags: { Name: `${name}-database` },
    });
    explain(this.securityGroup, 'The description is constant: a new description would replace the group.');
    new CidrRules(this, 'ingress', {
      direction: 'ingress',
      provider,
      securityGroupId: this.securityGroup.id,
      port: props.port,
      cidrs: props.allowedCidrs,
      description: 'Database from app tier',
    });

    const facts = this.engineFacts(engine, props.engineVersion);
    const parameterGroup = new RdsClusterParameterGroup(this, 'parameter-group', {
      provider,
      name: `${name}-${replaceAll(facts.family, '.', '-')}`,
      family: facts.family,
      description: `${name}: TLS only`,
      lifecycle: { createBeforeDestroy: true },
    });
    explain(
      parameterGroup,
      'create_before_destroy: a new engine major needs a new family, so the new group is created before the old one is dropped.',
    );
    const parameters = Keyed.of<ClusterParameter>(facts.parameters).blocks(
      parameterGroup,
      'parameter',
      rdsClusterParameterGroupParameterToTerraform,
      (parameter) => [{ name: parameter.get('name'), value: parameter.get('value'), applyMethod: parameter.get('applyMethod') }],
    );
    if (parameters.length > 0) parameterGroup.putParameter(parameters);

    const logGroups = Keyed.ofSet(facts.logExports).each(
      (type) =>
        new CloudwatchLogGroup(this, type.id('log-group-{key}'), {
          provider,
          forEach: type.forEach,
          name: `/aws/rds/cluster/${name}/${type.key}`,
          retentionInDays: props.logRetentionDays ?? 365,
          kmsKeyId: props.kmsKeyArn,
        }),
    );
    for (const logGroup of logGroups.dependables) {
      explain(
        logGroup,
        'Created ahead of the cluster (which depends on them), encrypted and with a retention: on first export RDS would create /aws/rds/cluster/<id>/<type> itself, unencrypted and kept forever.',
      );
    }

    const monitoringRole = new ServiceRole(this, 'monitoring-role', {
      provider,
      roleName: props.monitoringRoleName,
      description: `Enhanced Monitoring of ${name}`,
      servicePrincipal: 'monitoring.rds.amazonaws.com',
      trustConditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] }],
      statements: [
        {
          sid: 'EnhancedMonitoringLogGroup',
          effect: 'Allow',
          actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
          resources: [`arn:aws:logs:${props.region}:${props.accountId}:log-group:RDSOSMetrics`],
        },
        {
          sid: 'EnhancedMonitoringLogStreams',
          effect: 'Allow',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
          resources: [`arn:aws:logs:${props.region}:${props.accountId}:log-group:RDSOSMetrics:log-stream:*`],
        },
      ],
    });

    explain(
      monitoringRole.role,
      "Enhanced Monitoring writes to the account's RDSOSMetrics log group, which RDS owns and creates: the role may only create and write that group in its Region. It is the one log group not encrypted with the Region key: creating it here would collide with any other RDS database in the account and Region.",
    );

    const credentials =
      member.kind === 'primary'
        ? {
            databaseName: member.databaseName,
            masterUsername: member.masterUsername,
            masterPasswordWo: member.masterPassword,
            masterPasswordWoVersion: member.masterPasswordVersion,
            // "For the primary DB cluster of an Aurora global database, this value is used immediately
            // if the primary is demoted by a global cluster API operation, but it does nothing until
            // then" (EnableGlobalWriteForwarding, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html).
            // Set only when asked, so a layout without forwarding keeps its synthesized primary as it was.
            ...(member.writeForwarding === undefined || member.writeForwarding === false
              ? {}
              : { enableGlobalWriteForwarding: member.writeForwarding }),
          }
        : { enableGlobalWriteForwarding: member.writeForwarding ?? false };

    const preventDestroy = preventsDestroy(props.deletionProtection, props.preventDestroy);
    this.cluster = new RdsCluster(this, 'cluster', {
      provider,
      clusterIdentifier: name,
      globalClusterIdentifier: props.globalClusterIdentifier,
      engine,
      engineVersion: props.engineVersion,
      engineMode: 'provisioned',
      port: props.port,
      ...credentials,
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyArn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: parameterGroup.name,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: facts.logExports,
      backupRetentionPeriod: props.backupRetentionDays ?? 7,
      preferredBackupWindow: props.backupWindow,
      preferredMaintenanceWindow: props.maintenanceWindow,
      copyTagsToSnapshot: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final-${Fn.formatdate(FINAL_SNAPSHOT_TIME_FORMAT, Fn.plantimestamp())}`,
      deletionProtection: props.deletionProtection ?? true,
      lifecycle: {
        // What AWS changes behind Terraform's back, and only that (users change none of these on
        // purpose; test/failover.test.ts plans the layout against the state a switchover and a
        // failover leave and proves the plan empty, and that it is not without the second entry):
        // - global_cluster_identifier: the provider reads "" when RDS does not list the cluster in a
        //   global cluster (while a failover has it detached); planned back, the update would call
        //   RemoveFromGlobalCluster or fail ("existing RDS Clusters cannot be added to an existing RDS
        //   Global Cluster"), https://github.com/cloudposse/terraform-aws-rds-cluster/issues/281.
        // - replication_source_identifier: RDS reports the writer's cluster ARN on every secondary of a
        //   global database, so it appears on the demoted primary after a switchover and changes on
        //   every other secondary; removing it "will promote the read replica to a standalone
        //   cluster", and members of a global cluster must ignore it
        //   (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/rds_cluster#replication_source_identifier,
        //   https://github.com/hashicorp/terraform-provider-aws/pull/40921).
        // - engine_version: a global upgrade (or AWS's own at end of support) changes every member.
        // - master_username, database_name: set at creation only (ForceNew); after a switchover the new
        //   writer reports them too, and they are Optional+Computed, so a secondary's unset ones stay quiet.
        ignoreChanges: [
          'global_cluster_identifier',
          'replication_source_identifier',
          'engine_version',
          'master_username',
          'database_name',
          'final_snapshot_identifier',
        ],
        preventDestroy: preventDestroy || undefined,
      },
      dependsOn: [...logGroups.dependables, ...(props.dependsOn ?? [])],
    });
    explain(
      this.cluster,
      "Final snapshot names are unique per Region and outlive the cluster: a constant name would make the destroy of a re-created cluster fail (DBClusterSnapshotAlreadyExists). The plan's timestamp at creation tells the generations apart; it is kept afterwards (ignored below), and a replaced cluster is a new resource that takes a new one.",
    );
    explain(
      this.cluster,
      [
        "ignore_changes: a switchover or failover moves the writer and rewires membership (global_cluster_identifier, replication_source_identifier); a global upgrade changes every member's engine_version. Terraform must not try to undo either.",
        // A secondary sets neither: the rationale would describe values it does not have.
        ...(member.kind === 'primary'
          ? ['master_username and database_name can only be set at creation (a change would replace the cluster), so they are fixed;']
          : []),
        'final_snapshot_identifier keeps the name of its creation.',
      ].join(' '),
    );
    explain(
      this.cluster,
      preventDestroy
        ? 'Deletion protection refuses deletes at the API; prevent_destroy refuses plans that would destroy the cluster.'
        : 'Deletion protection refuses deletes at the API.',
    );
    if (props.serverless) {
      const [scaling] = conditionalBlocks(
        this.cluster,
        'serverlessv2_scaling_configuration',
        [{ when: equals(props.instanceClass, SERVERLESS_INSTANCE_CLASS), block: props.serverless }],
        rdsClusterServerlessv2ScalingConfigurationToTerraform,
      );
      if (scaling) this.cluster.putServerlessv2ScalingConfiguration(scaling);
    }

    this.instances = counted(
      props.instanceCount,
      (instance) =>
        new RdsClusterInstance(this, instance.id('instance-{number}'), {
          provider,
          count: instance.count,
          identifier: `${name}-${Token.asString(instance.number)}`,
          clusterIdentifier: this.cluster.id,
          engine,
          instanceClass: props.instanceClass,
          availabilityZone: instance.cycle(props.availabilityZones),
          dbSubnetGroupName: subnetGroup.name,
          publiclyAccessible: false,
          autoMinorVersionUpgrade: false,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: props.kmsKeyArn,
          performanceInsightsRetentionPeriod: props.performanceInsightsRetentionDays ?? 7,
          monitoringInterval: props.monitoringInterval ?? 60,
          monitoringRoleArn: monitoringRole.roleArn,
          promotionTier: instance.firstOr(0, 1),
          copyTagsToSnapshot: true,
        }),
    );

    for (const instance of this.instances) {
      explain(
        instance,
        "Upgrades go through the global cluster's engine_version only: Aurora does not auto-upgrade members of a global database anyway (https://repost.aws/knowledge-center/aurora-mysql-global-cluster-upgrade), and an instance that claims it would makes the intent unclear and any upgrade it triggers a drift. The first instance is the one to promote to writer (promotion_tier 0).",
      );
    }
    this.endpoint = this.cluster.endpoint;
    this.readerEndpoint = this.cluster.readerEndpoint;
    this.port = props.port;
  }

  /**
   * Parameter group family, cluster parameters and log types of the engine: computed here for a
   * known engine and version, or a `local` value over the tokens (an HCL module's inputs).
   */
  private engineFacts(
    engine: AuroraEngine,
    version: string,
  ): { family: string; parameters: Readonly<Record<string, ClusterParameter>>; logExports: string[] } {
    if (!Token.isUnresolved(engine) && !Token.isUnresolved(version)) {
      return { family: parameterGroupFamily(engine, version), parameters: clusterParameters(engine), logExports: logExports(engine) };
    }
    const table = namedLocal(this, 'engines', engineFactsTable(version));
    const fact = (...path: string[]) => propertyAccess(Token.asAny(table), [engine, ...path]);
    return {
      family: Token.asString(fact('family')),
      parameters: fact('parameters') as unknown as Readonly<Record<string, ClusterParameter>>,
      logExports: Token.asList(fact('log_exports')),
    };
  }
}
