import { Fn, ITerraformDependable, TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { fargateMemoryOptions, isImageReference, privateEcrImage } from '../../planning/fargate';
import { CidrRules } from '../network/cidr-rules';
import { ServiceRole } from '../security/service-role';
import { explain } from '../rationale';

/** Properties of a `FargateService`. */
export interface FargateServiceProps {
  /** Prefix of names: the cluster, the task family, the security group. */
  readonly name: string;
  /** The Region: of the logs, of the execution role's conditions and of the image pull permissions. */
  readonly region: string;
  /** The account ID, for the execution role's conditions and the image pull permissions. */
  readonly accountId: string;
  /** The VPC of the service's security group. */
  readonly vpcId: string;
  /** Private subnets for the tasks (they get no public IP). */
  readonly subnetIds: readonly string[];
  /** The load balancer's security group: the only source the tasks accept traffic from. */
  readonly loadBalancerSecurityGroupId: string;
  /** The target group the service registers its tasks in. */
  readonly targetGroupArn: string;
  /** Listeners that forward to the target group: the service waits for them. */
  readonly listeners: readonly ITerraformDependable[];
  /**
   * Container image reference. The execution role may pull it when it is a private ECR image (of any
   * account whose repository policy admits the role); for any other image, it may pull from this
   * account's repositories in `region`, so that a later image from there works too.
   */
  readonly image: string;
  /** Port the container listens on. */
  readonly port: number;
  /** CPU units per task: a value Fargate offers with `memory`. */
  readonly cpu: number;
  /** Memory per task, MiB: a value Fargate offers with `cpu`. */
  readonly memory: number;
  /** Tasks to start with. */
  readonly desiredCount: number;
  /** Fewest tasks scaling may leave. */
  readonly minCount: number;
  /** Most tasks scaling may start. */
  readonly maxCount: number;
  /** Average CPU the service scales to keep, percent. */
  readonly cpuTargetPercent: number;
  /**
   * CPU architecture of the tasks; the image must have a variant for it.
   * @default 'x86_64'
   */
  readonly architecture?: 'x86_64' | 'arm64';
  /**
   * Run the tasks beyond `onDemandBase` on Fargate Spot and on demand in the ratio of the weights.
   * @default - every task on demand
   */
  readonly spot?: { readonly onDemandBase: number; readonly onDemandWeight: number; readonly spotWeight: number };
  /** Plain environment variables: configuration, never secrets. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * The database port and the CIDRs of this Region's database tier, which the tasks may reach besides
   * HTTPS. Other Regions' database tiers are links between Regions, added to `securityGroup` where the
   * links are made.
   */
  readonly databaseAccess: {
    /** The database port. */
    readonly port: number;
    /** The CIDRs of the database tier. */
    readonly cidrs: readonly string[];
  };
  /** Log group of the containers, encrypted with `kmsKeyArn`. */
  readonly logGroupName: string;
  /** Days the container logs are kept. */
  readonly logRetentionDays: number;
  /** ARN of the key that encrypts the log group. */
  readonly kmsKeyArn: string;
  /** Name of the execution role, which pulls the image and writes the logs (global: include the Region). */
  readonly executionRoleName: string;
  /** Name of the task role, which starts without permissions (global: include the Region). */
  readonly taskRoleName: string;
  /**
   * The provider (Region).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A web service on ECS Fargate behind the Region's load balancer: tasks in private subnets without
 * public IPs, reachable only from the load balancer, logging to an encrypted log group, scaling on
 * CPU, rolled back automatically when a deployment fails. The execution role may only pull the
 * image from ECR and write the service's logs; the task role starts without permissions.
 */
export class FargateService extends Construct {
  /** The ECS cluster. */
  readonly cluster: EcsCluster;
  /** The ECS service. */
  readonly service: EcsService;
  /** The tasks' security group: the load balancer in, HTTPS and the database out. */
  readonly securityGroup: SecurityGroup;
  /** ARN of the task role, to grant the application permissions. */
  readonly taskRoleArn: string;
  /** The task role's name, to attach the application's permissions to. */
  readonly taskRoleName: string;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    const { provider } = props;
    const memory = fargateMemoryOptions(props.cpu);
    if (!memory || !memory.includes(props.memory)) {
      throw new Error(`FargateService ${id}: Fargate has no task with ${props.cpu} CPU units and ${props.memory} MiB`);
    }
    if (!isImageReference(props.image)) throw new Error(`FargateService ${id}: "${props.image}" is not an image reference`);
    if (!(props.minCount <= props.desiredCount && props.desiredCount <= props.maxCount)) {
      throw new Error(`FargateService ${id}: counts must satisfy minCount <= desiredCount <= maxCount`);
    }

    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });

    this.cluster = new EcsCluster(this, 'cluster', {
      provider,
      name: props.name,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    // Both Fargate capacity providers, whether Spot is on or not: a strategy may only name providers
    // associated with the cluster, and a constant list never changes when Spot is turned on or off.
    // https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
    const capacityProviders = new EcsClusterCapacityProviders(this, 'capacity-providers', {
      provider,
      clusterName: this.cluster.name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    });

    const executionRole = new ServiceRole(this, 'execution-role', {
      provider,
      roleName: props.executionRoleName,
      description: `Starts the tasks of ${props.name}: pulls the image, writes their logs`,
      servicePrincipal: 'ecs-tasks.amazonaws.com',
      // No aws:SourceArn or aws:SourceAccount condition here: AWS documents the execution role's trust
      // policy without conditions and recommends the confused-deputy conditions for the task role
      // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html,
      // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html). A condition
      // on a key ECS does not send when it assumes the execution role would fail every image pull and
      // log write. Only principals of this account holding iam:PassRole can hand the role to ECS.
      statements: [
        {
          // GetAuthorizationToken has no resource-level permissions: it must be granted on "*".
          // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html
          sid: 'RegistryToken',
          effect: 'Allow',
          actions: ['ecr:GetAuthorizationToken'],
          resources: ['*'],
        },
        {
          sid: 'PullImage',
          effect: 'Allow',
          actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          resources: [pullableRepositories(props)],
        },
        {
          sid: 'WriteContainerLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${logGroup.arn}:*`],
        },
      ],
    });
    const taskRole = new ServiceRole(this, 'task-role', {
      provider,
      roleName: props.taskRoleName,
      description: `The application in ${props.name}: add the permissions it needs`,
      servicePrincipal: 'ecs-tasks.amazonaws.com',
      // ECS assumes the task role for tasks of this account and Region only (confused deputy).
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:ecs:${props.region}:${props.accountId}:*`] },
      ],
    });
    this.taskRoleArn = taskRole.roleArn;
    this.taskRoleName = taskRole.role.name;

    const containerName = 'app';
    const taskDefinition = new EcsTaskDefinition(this, 'task-definition', {
      provider,
      family: `${props.name}-app`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu),
      memory: String(props.memory),
      executionRoleArn: executionRole.roleArn,
      taskRoleArn: taskRole.roleArn,
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: props.architecture === 'arm64' ? 'ARM64' : 'X86_64' },
      containerDefinitions: Fn.jsonencode([
        {
          name: containerName,
          image: props.image,
          essential: true,
          portMappings: [{ containerPort: props.port, protocol: 'tcp' }],
          environment: Object.entries(props.environment)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([name, value]) => ({ name, value })),
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-group': logGroup.name, 'awslogs-region': props.region, 'awslogs-stream-prefix': containerName },
          },
        },
      ]),
    });

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      provider,
      vpcId: props.vpcId,
      name: `${props.name}-tasks`,
      description: 'Tasks: the workload port from the load balancer only', // constant: a new description replaces the group
      tags: { Name: `${props.name}-tasks` },
    });
    new VpcSecurityGroupIngressRule(this, 'ingress-from-load-balancer', {
      provider,
      securityGroupId: this.securityGroup.id,
      description: 'From the load balancer',
      ipProtocol: 'tcp',
      fromPort: props.port,
      toPort: props.port,
      referencedSecurityGroupId: props.loadBalancerSecurityGroupId,
    });
    new VpcSecurityGroupEgressRule(this, 'egress-https', {
      provider,
      securityGroupId: this.securityGroup.id,
      description: 'HTTPS: AWS APIs and image registries',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    new CidrRules(this, 'egress-database', {
      provider,
      securityGroupId: this.securityGroup.id,
      direction: 'egress',
      port: props.databaseAccess.port,
      cidrs: props.databaseAccess.cidrs,
      description: 'Database tier',
    });

    this.service = new EcsService(this, 'service', {
      provider,
      name: containerName,
      cluster: this.cluster.arn,
      taskDefinition: taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: capacityProviderStrategy(props.spot),
      forceNewDeployment: true,
      // LATEST is 1.4.0 or later, which Fargate Spot needs for ARM64 tasks.
      platformVersion: 'LATEST',
      propagateTags: 'SERVICE',
      enableEcsManagedTags: true,
      healthCheckGracePeriodSeconds: 60,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: { subnets: [...props.subnetIds], securityGroups: [this.securityGroup.id], assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: props.targetGroupArn, containerName, containerPort: props.port }],
      lifecycle: { ignoreChanges: ['desired_count'] },
      dependsOn: [...props.listeners, capacityProviders],
    });
    explain(
      this.service,
      'A capacity provider strategy, never launch_type, and force_new_deployment: hashicorp/aws 5.x replaces a service that moves between launch_type and a strategy, and changes a strategy in place only with force_new_deployment, so turning Spot on or off is an in-place deployment.',
    );
    explain(this.service, 'ignore_changes = [desired_count]: autoscaling owns the count after the first deployment.');

    const scalingTarget = new AppautoscalingTarget(this, 'scaling-target', {
      provider,
      serviceNamespace: 'ecs',
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
      // ECS deregisters a service's scalable target when the service is deleted, and the target's
      // arguments (the service's name) do not change when the service is replaced: without this, a
      // replaced service would run without autoscaling (hashicorp/terraform-provider-aws#14254).
      lifecycle: { replaceTriggeredBy: [`${this.service.terraformResourceType}.${this.service.friendlyUniqueId}.id`] },
    });
    new AppautoscalingPolicy(this, 'cpu-scaling', {
      provider,
      name: `${props.name}-cpu`,
      policyType: 'TargetTrackingScaling',
      serviceNamespace: scalingTarget.serviceNamespace,
      resourceId: scalingTarget.resourceId,
      scalableDimension: scalingTarget.scalableDimension,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: props.cpuTargetPercent,
        predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        scaleInCooldown: 120,
        scaleOutCooldown: 60,
      },
      lifecycle: { replaceTriggeredBy: [`${scalingTarget.terraformResourceType}.${scalingTarget.friendlyUniqueId}.id`] },
    });
  }
}

/**
 * The ECR repositories the execution role may pull from: the image's own repository when it is a
 * private ECR image, otherwise (ECR Public, Docker Hub: no ECR permission involved) this account's
 * repositories in the Region.
 */
function pullableRepositories(props: FargateServiceProps): string {
  const registry = Token.isUnresolved(props.image) ? undefined : privateEcrImage(props.image);
  return registry
    ? `arn:aws:ecr:${registry.region}:${registry.account}:repository/${registry.repository}`
    : `arn:aws:ecr:${props.region}:${props.accountId}:repository/*`;
}

/**
 * The service's capacity provider strategy: every task on demand, or `onDemandBase` tasks on demand
 * and the rest split between on demand and Spot by weight. The strategy always has a FARGATE entry,
 * so switching Spot on or off changes a non-empty strategy (in place) rather than adding one.
 */
export function capacityProviderStrategy(spot: FargateServiceProps['spot']) {
  if (!spot) return [{ capacityProvider: 'FARGATE', base: 0, weight: 1 }];
  return [
    { capacityProvider: 'FARGATE', base: spot.onDemandBase, weight: spot.onDemandWeight },
    { capacityProvider: 'FARGATE_SPOT', base: 0, weight: spot.spotWeight },
  ];
}
