import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { ServiceRole } from '../security/service-role';
import { requireKnown } from '../validation';
import { explain } from '../rationale';

/** Properties of `VpcFlowLogs`. */
export interface VpcFlowLogsProps {
  /** The VPC to record. */
  readonly vpcId: string;
  /** Name of the CloudWatch log group. */
  readonly logGroupName: string;
  /** ARN of the customer-managed key that encrypts the log group; its policy must let CloudWatch Logs use it. */
  readonly kmsKeyArn: string;
  /** Name of the IAM role the flow log service assumes (IAM names are global: include the Region). */
  readonly roleName: string;
  /** The Region, for the role's source-ARN condition. */
  readonly region: string;
  /** The account, for the role's confused-deputy conditions. */
  readonly accountId: string;
  /**
   * Days the logs are kept.
   * @default 365
   */
  readonly retentionInDays?: number;
  /**
   * Which traffic to record: `ALL`, `ACCEPT` or `REJECT`.
   * @default "ALL"
   */
  readonly trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
  /**
   * The provider (Region) to create the resources with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * VPC flow logs to a KMS-encrypted CloudWatch log group with a retention period, through a role that
 * only the flow log service of this account and Region can assume, and that can only write to that
 * log group (and look it up).
 */
export class VpcFlowLogs extends Construct {
  /** The encrypted log group the flow logs go to. */
  readonly logGroup: CloudwatchLogGroup;
  /** The role the flow log service writes to the log group with. */
  readonly role: IamRole;
  /** The VPC's flow log. */
  readonly flowLog: FlowLog;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    super(scope, id);
    const { provider } = props;
    const trafficType = props.trafficType ?? 'ALL';
    requireKnown(
      trafficType,
      () => ['ALL', 'ACCEPT', 'REJECT'].includes(trafficType),
      () => `VpcFlowLogs ${id}: trafficType must be ALL, ACCEPT or REJECT, got ${trafficType}`,
    );

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.retentionInDays ?? 365,
      kmsKeyId: props.kmsKeyArn,
    });
    explain(
      this.logGroup,
      'Created ahead of the flow log that writes to it, so that it has the key and a retention: a group the service created would have neither.',
    );

    const role = new ServiceRole(this, 'role', {
      provider,
      roleName: props.roleName,
      description: 'Lets VPC flow logs write to their log group',
      servicePrincipal: 'vpc-flow-logs.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:ec2:${props.region}:${props.accountId}:vpc-flow-log/*`] },
      ],
      statements: [
        {
          sid: 'WriteFlowLogs',
          effect: 'Allow',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.logGroup.arn, `${this.logGroup.arn}:*`],
        },
        {
          sid: 'FindLogGroup',
          effect: 'Allow',
          actions: ['logs:DescribeLogGroups'],
          resources: [`arn:aws:logs:${props.region}:${props.accountId}:log-group:*`],
        },
      ],
    });
    explain(
      role.role,
      "AWS's flow-log policy lists CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogGroups and DescribeLogStreams (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html). The group exists, so CreateLogGroup is left out: were the group deleted, the service would recreate it without the key and the retention. The service looks the group up with DescribeLogGroups, a list action evaluated against the Region's log-group wildcard rather than one group's ARN (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html); it reveals group names and settings, not log events.",
    );
    this.role = role.role;

    this.flowLog = new FlowLog(this, 'flow-log', {
      provider,
      vpcId: props.vpcId,
      trafficType,
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.roleArn,
      maxAggregationInterval: 60,
    });
  }
}
