import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import {
  FisExperimentTemplate,
  type FisExperimentTemplateAction,
  type FisExperimentTemplateTarget,
} from '@cdktf/provider-aws/lib/fis-experiment-template';
import {
  FIS_LIMITS,
  FIS_TARGETS,
  isoDuration,
  ROUTE_TABLE_DISRUPT_CROSS_REGION,
  S3_BUCKET_PAUSE_REPLICATION,
  TRANSIT_GATEWAY_DISRUPT_CROSS_REGION,
  type GameDayPlan,
  type PlannedAction,
} from '../../planning/fis';
import { explain } from '../rationale';
import { ServiceRole } from '../security/service-role';

/** The tag FIS puts on the route tables and prefix lists it creates, which its role's create and delete rights require. */
const FIS_MANAGED_TAG = 'managedByFIS';

/** Properties of a `GameDay`. */
export interface GameDayProps {
  /** The Region whose failure the templates rehearse; FIS runs them there, on resources of this Region only. */
  readonly region: string;
  /** The account, for ARNs and the confused-deputy conditions. */
  readonly accountId: string;
  /** Prefix of the templates' `Name` tags, e.g. `acme-shop-us-east-1`. */
  readonly namePrefix: string;
  /** The actions of the network and replication templates (`gameDayPlan`). */
  readonly plan: GameDayPlan;
  /**
   * How long each action holds its fault, whole minutes (FIS allows up to 12 hours).
   * @default 10
   */
  readonly durationMinutes?: number;
  /** The VPC whose subnets lose their routes to the other Regions. */
  readonly vpcId: string;
  /** Tags that pick the subnets to cut off inside `vpcId` (the app tier's: its traffic is what leaves the Region). */
  readonly subnetTags: Readonly<Record<string, string>>;
  /**
   * The Region's transit gateway, whose peering attachments lose their route table association;
   * required when the plan has transit gateway actions.
   * @default - none: the plan has no transit gateway action (link other than Transit Gateway)
   */
  readonly transitGatewayArn?: string;
  /**
   * The transit gateway route table the peering attachments are associated with; required with `transitGatewayArn`.
   * @default - none
   */
  readonly transitGatewayRouteTableArn?: string;
  /**
   * The Region's replicated buckets (replication sources), at most 5.
   * @default - none: no replication template
   */
  readonly bucketArns?: readonly string[];
  /**
   * CloudWatch alarms that stop every experiment when one goes to ALARM (at most 5, a FIS quota):
   * the other Regions' "Region impaired" alarms, so that a rehearsal ends when the survivors suffer.
   */
  readonly stopConditionAlarmArns: readonly string[];
  /** The customer-managed key of `region` that encrypts the experiment log group; its policy must let CloudWatch Logs use it. */
  readonly kmsKeyArn: string;
  /** The experiment log group; under a prefix the key lets CloudWatch Logs use. */
  readonly logGroupName: string;
  /**
   * Days the experiment logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /** The experiment role's name (IAM names are global: include the Region). */
  readonly roleName: string;
  /**
   * The provider (Region) to create the templates with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * AWS FIS experiment templates that rehearse the failure of one Region: `network` cuts its subnets'
 * and its transit gateway's traffic to every other Region, `replication` pauses its buckets'
 * replication to every other Region. Both run in the Region, with one least-privilege experiment
 * role, stop conditions on the other Regions' alarms, and a KMS-encrypted log group.
 */
export class GameDay extends Construct {
  /** The network template. */
  readonly networkTemplate: FisExperimentTemplate;
  /** The replication template, when the Region has replicated buckets. */
  readonly replicationTemplate?: FisExperimentTemplate;
  /** Template IDs by template (`network`, `replication`), for `aws fis start-experiment --experiment-template-id`. */
  readonly templateIds: Readonly<Record<string, string>>;
  /** The role FIS assumes to run the experiments. */
  readonly role: ServiceRole;
  /** The experiment log group. */
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: GameDayProps) {
    super(scope, id);
    const { provider, region, accountId, plan } = props;
    const bucketArns = props.bucketArns ?? [];
    const minutes = props.durationMinutes ?? 10;
    const duration = isoDuration(minutes);
    validate(props, bucketArns);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: props.kmsKeyArn,
    });

    this.role = new ServiceRole(this, 'role', {
      provider,
      roleName: props.roleName,
      description: `Lets AWS FIS rehearse the failure of ${region}`,
      servicePrincipal: 'fis.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:fis:${region}:${accountId}:experiment/*`] },
      ],
      statements: experimentRoleStatements(props, bucketArns),
    });
    explain(
      this.role.role,
      `Exactly the permissions the FIS actions reference lists for each action (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html), narrowed to this Region, this account and this VPC: route tables and prefix lists only when FIS creates or deletes its own (tagged managedByFIS=true, as AWS's own policy for these actions requires: https://docs.aws.amazon.com/resilience-hub/latest/userguide/next-gen-resilience-testing-iam-sa-multi-region-isolation.html), replication only for the pause (s3:IsReplicationPauseRequest) towards the other Regions (s3:DestinationRegion). Describe calls and vended log delivery take no resource (https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html): those statements use "*".`,
    );

    const template = (kind: 'network' | 'replication', description: string, actions: readonly PlannedAction[]) => {
      const resource = new FisExperimentTemplate(this, `${kind}-template`, {
        provider,
        description,
        roleArn: this.role.roleArn,
        action: actions.map((action) => templateAction(action, duration)),
        target: targetsOf(actions, props, bucketArns),
        stopCondition: props.stopConditionAlarmArns.map((arn) => ({ source: 'aws:cloudwatch:alarm', value: arn })),
        // A rehearsal that silently skips a fault proves nothing: FIS fails when a target resolves to nothing.
        experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
        logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: `${this.logGroup.arn}:*` } },
        tags: { Name: `${props.namePrefix}-game-day-${kind}`, Region: region, GameDay: kind },
        // FIS checks the role's log delivery rights when the template is created.
        dependsOn: this.role.policy ? [this.role.policy] : undefined,
      });
      explain(
        resource,
        'Day 2: tags force a new template (hashicorp/aws marks them ForceNew on aws_fis_experiment_template), so the template ID in the stack outputs changes; every other argument is updated in place (UpdateExperimentTemplate). While an experiment runs, FIS changes what other stacks declare (subnet route table associations, transit gateway route table associations, replication configurations) and puts it back when the experiment ends: plan or apply no stack during a game day.',
      );
      return resource;
    };

    this.networkTemplate = template(
      'network',
      `Game day: ${region} loses its network to ${otherRegionsOf(plan.network)} for ${minutes} minutes (subnet routes${plan.network.some((a) => a.actionId === TRANSIT_GATEWAY_DISRUPT_CROSS_REGION) ? ' and transit gateway peerings' : ''}); stops if another Region is impaired.`,
      plan.network,
    );
    if (plan.replication.length > 0) {
      this.replicationTemplate = template(
        'replication',
        `Game day: ${region} stops replicating its buckets to ${otherRegionsOf(plan.replication)} for ${minutes} minutes; stops if another Region is impaired.`,
        plan.replication,
      );
    }
    this.templateIds = {
      network: this.networkTemplate.id,
      ...(this.replicationTemplate ? { replication: this.replicationTemplate.id } : {}),
    };
  }
}

function otherRegionsOf(actions: readonly PlannedAction[]): string {
  return [...new Set(actions.map((a) => a.peerRegion))].join(', ');
}

function validate(props: GameDayProps, bucketArns: readonly string[]): void {
  const { plan } = props;
  if (plan.network.length === 0) throw new Error('GameDay: the network template needs at least one other Region to cut off');
  const stops = props.stopConditionAlarmArns.length;
  if (stops < 1 || stops > FIS_LIMITS.stopConditionsPerTemplate) {
    throw new Error(
      `GameDay: ${stops} stop condition alarms; FIS takes 1 to ${FIS_LIMITS.stopConditionsPerTemplate} per template (https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html)`,
    );
  }
  if (plan.replication.length > 0 && bucketArns.length === 0) throw new Error('GameDay: replication actions need bucketArns');
  const transit = plan.network.some((a) => a.actionId === TRANSIT_GATEWAY_DISRUPT_CROSS_REGION);
  if (transit && (props.transitGatewayArn === undefined || props.transitGatewayRouteTableArn === undefined)) {
    throw new Error('GameDay: transit gateway actions need transitGatewayArn and transitGatewayRouteTableArn');
  }
  if (bucketArns.length > FIS_LIMITS.resourceArnsPerTarget) {
    throw new Error(`GameDay: ${bucketArns.length} buckets; a FIS target names at most ${FIS_LIMITS.resourceArnsPerTarget} by ARN`);
  }
  for (const actions of [plan.network, plan.replication]) {
    if (actions.length > FIS_LIMITS.parallelActionsPerExperiment) {
      throw new Error(
        `GameDay: ${actions.length} actions in one template; FIS runs at most ${FIS_LIMITS.parallelActionsPerExperiment} at once`,
      );
    }
  }
  if (Object.keys(props.subnetTags).length === 0) throw new Error('GameDay: subnetTags must pick the subnets to cut off');
}

/** Target names in a template, by action. */
const TARGET_NAMES = {
  [ROUTE_TABLE_DISRUPT_CROSS_REGION]: 'subnets',
  [TRANSIT_GATEWAY_DISRUPT_CROSS_REGION]: 'transit-gateway',
  [S3_BUCKET_PAUSE_REPLICATION]: 'buckets',
} as const;

/** What each action does, for the template's reader. */
const ACTION_DESCRIPTIONS = {
  'aws:network:route-table-disrupt-cross-region-connectivity': (peer: string) => `Traffic from the subnets to ${peer} goes nowhere`,
  'aws:network:transit-gateway-disrupt-cross-region-connectivity': (peer: string) =>
    `The transit gateway peering with ${peer} carries nothing`,
  'aws:s3:bucket-pause-replication': (peer: string) => `Replication to ${peer} pauses`,
} as const;

function templateAction(action: PlannedAction, duration: string): FisExperimentTemplateAction {
  return {
    name: action.name,
    actionId: action.actionId,
    description: ACTION_DESCRIPTIONS[action.actionId](action.peerRegion),
    parameter: [
      { key: 'region', value: action.peerRegion },
      { key: 'duration', value: duration },
    ],
    target: { key: FIS_TARGETS[action.actionId].key, value: TARGET_NAMES[action.actionId] },
  };
}

/** The targets the actions use, and no other (FIS refuses a target no action uses). */
function targetsOf(actions: readonly PlannedAction[], props: GameDayProps, bucketArns: readonly string[]): FisExperimentTemplateTarget[] {
  const used = new Set(actions.map((a) => a.actionId));
  const targets: FisExperimentTemplateTarget[] = [];
  for (const actionId of used) {
    const common = { name: TARGET_NAMES[actionId], resourceType: FIS_TARGETS[actionId].resourceType, selectionMode: 'ALL' };
    if (actionId === TRANSIT_GATEWAY_DISRUPT_CROSS_REGION) {
      targets.push({ ...common, resourceArns: [props.transitGatewayArn!] });
    } else if (actionId === S3_BUCKET_PAUSE_REPLICATION) {
      targets.push({ ...common, resourceArns: [...bucketArns] });
    } else {
      // By tag and VPC rather than by ARN: a target names at most 5 ARNs, a Region has up to 6 AZs.
      // Filters match the DescribeSubnets fields (https://docs.aws.amazon.com/fis/latest/userguide/targets.html#target-filters).
      targets.push({
        ...common,
        resourceTag: Object.entries(props.subnetTags).map(([key, value]) => ({ key, value })),
        filter: [{ path: 'VpcId', values: [props.vpcId] }],
      });
    }
  }
  return targets;
}

/** The experiment role's statements: what each action of the plan needs, scoped as narrowly as IAM allows. */
function experimentRoleStatements(props: GameDayProps, bucketArns: readonly string[]): DataAwsIamPolicyDocumentStatement[] {
  const { region, accountId, plan } = props;
  const ec2 = (type: string) => `arn:aws:ec2:${region}:${accountId}:${type}/*`;
  const vpcArn = `arn:aws:ec2:${region}:${accountId}:vpc/${props.vpcId}`;
  const inThisVpc = [{ test: 'ArnEqualsIfExists', variable: 'ec2:Vpc', values: [vpcArn] }];
  const createdByFis = [{ test: 'StringEquals', variable: `aws:RequestTag/${FIS_MANAGED_TAG}`, values: ['true'] }];
  const ownedByFis = [{ test: 'StringEquals', variable: `aws:ResourceTag/${FIS_MANAGED_TAG}`, values: ['true'] }];
  const transit = plan.network.some((a) => a.actionId === TRANSIT_GATEWAY_DISRUPT_CROSS_REGION);
  const replicationPeers = [...new Set(plan.replication.map((a) => a.peerRegion))].sort();

  const statements: DataAwsIamPolicyDocumentStatement[] = [
    {
      // Describe calls support no resource-level permissions; FIS reads AWS-managed prefix lists too.
      sid: 'ReadNetwork',
      effect: 'Allow',
      actions: [
        'ec2:DescribeManagedPrefixLists',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeRouteTables',
        'ec2:DescribeSubnets',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeVpcs',
        'ec2:GetManagedPrefixListEntries',
        ...(transit
          ? ['ec2:DescribeTransitGatewayAttachments', 'ec2:DescribeTransitGatewayPeeringAttachments', 'ec2:DescribeTransitGateways']
          : []),
      ].sort(),
      resources: ['*'],
    },
    {
      // Targets picked by tag are resolved through the Resource Groups Tagging API, which takes no resource.
      sid: 'FindTargets',
      effect: 'Allow',
      actions: ['tag:GetResources', ...(bucketArns.length > 0 ? ['s3:ListAllMyBuckets'] : [])],
      resources: ['*'],
    },
    {
      sid: 'SwapSubnetRouteTables',
      effect: 'Allow',
      actions: ['ec2:AssociateRouteTable', 'ec2:CreateRoute', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
      resources: [ec2('route-table'), ec2('subnet')],
      condition: inThisVpc,
    },
    {
      sid: 'CreateIsolationRouteTableInThisVpc',
      effect: 'Allow',
      actions: ['ec2:CreateRouteTable'],
      resources: [vpcArn],
    },
    {
      sid: 'CreateIsolationRouteTablesAndPrefixLists',
      effect: 'Allow',
      actions: ['ec2:CreateManagedPrefixList', 'ec2:CreateRouteTable'],
      resources: [ec2('prefix-list'), ec2('route-table')],
      condition: createdByFis,
    },
    {
      sid: 'TagWhatFisCreates',
      effect: 'Allow',
      actions: ['ec2:CreateTags'],
      resources: [ec2('network-interface'), ec2('prefix-list'), ec2('route-table')],
      condition: [
        {
          test: 'StringEquals',
          variable: 'ec2:CreateAction',
          values: ['CreateManagedPrefixList', 'CreateNetworkInterface', 'CreateRouteTable'],
        },
      ],
    },
    {
      sid: 'ChangeOnlyWhatFisCreated',
      effect: 'Allow',
      actions: ['ec2:DeleteManagedPrefixList', 'ec2:DeleteRouteTable', 'ec2:ModifyManagedPrefixList'],
      resources: [ec2('prefix-list'), ec2('route-table')],
      condition: ownedByFis,
    },
    {
      sid: 'ScratchNetworkInterfacesInThisVpc',
      effect: 'Allow',
      actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
      resources: [ec2('network-interface'), ec2('security-group'), ec2('subnet')],
      condition: inThisVpc,
    },
    {
      // Gateway endpoints (S3, DynamoDB) keep their routes in the route table FIS swaps in.
      sid: 'GatewayEndpointRoutesInThisVpc',
      effect: 'Allow',
      actions: ['ec2:ModifyVpcEndpoint'],
      resources: [ec2('route-table'), ec2('vpc-endpoint')],
      condition: inThisVpc,
    },
  ];
  if (transit) {
    statements.push({
      sid: 'SwapPeeringAssociations',
      effect: 'Allow',
      actions: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
      resources: [props.transitGatewayRouteTableArn!, ec2('transit-gateway-attachment')],
    });
  }
  if (replicationPeers.length > 0) {
    statements.push(
      {
        // s3:PauseReplication is a permission only, for FIS (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
        sid: 'PauseReplicationToTheOtherRegions',
        effect: 'Allow',
        actions: ['s3:PauseReplication'],
        resources: [...bucketArns],
        condition: [{ test: 'StringEquals', variable: 's3:DestinationRegion', values: replicationPeers }],
      },
      {
        sid: 'ReplicationConfigurationForThePauseOnly',
        effect: 'Allow',
        actions: ['s3:GetReplicationConfiguration', 's3:PutReplicationConfiguration'],
        resources: [...bucketArns],
        // GetReplicationConfiguration carries no s3:IsReplicationPauseRequest key: IfExists lets it through
        // (the FIS example policy for aws:s3:bucket-pause-replication does the same).
        // https://docs.aws.amazon.com/fis/latest/userguide/security_iam_id-based-policy-examples.html
        condition: [{ test: 'BoolIfExists', variable: 's3:IsReplicationPauseRequest', values: ['true'] }],
      },
    );
  }
  statements.push({
    // Experiment logs reach CloudWatch Logs through vended log delivery, whose actions take no resource.
    sid: 'DeliverExperimentLogs',
    effect: 'Allow',
    actions: ['logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy'],
    resources: ['*'],
  });
  return statements;
}
