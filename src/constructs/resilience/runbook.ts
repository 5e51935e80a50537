import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import type { AslDefinition } from '../../planning/runbooks/asl';
import { explain } from '../rationale';
import { ServiceRole } from '../security/service-role';

/** Properties of a `Runbook`. */
export interface RunbookProps {
  /** The state machine's name (unique per Region and account). */
  readonly stateMachineName: string;
  /** The state machine definition: AWS SDK integrations only. */
  readonly definition: AslDefinition;
  /** The Region the state machine runs in, for ARNs. */
  readonly region: string;
  /** The account, for ARNs and the confused-deputy conditions. */
  readonly accountId: string;
  /** The customer-managed key of `region` that encrypts the state machine's data and its log group. */
  readonly kmsKeyArn: string;
  /** The execution log group; under a prefix the key lets CloudWatch Logs use. */
  readonly logGroupName: string;
  /**
   * Days the execution logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /** The execution role's name (IAM names are global: include the Region). */
  readonly roleName: string;
  /** What the runbook may call: exactly the actions its tasks use, on the narrowest resources AWS allows. */
  readonly statements: DataAwsIamPolicyDocumentStatement[];
  /**
   * The provider (Region) to create the runbook with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A runbook: a standard Step Functions state machine whose tasks call AWS APIs directly, its
 * execution role, and a KMS-encrypted log group that records every execution with its data.
 */
export class Runbook extends Construct {
  /** The state machine. */
  readonly stateMachine: SfnStateMachine;
  /** The state machine's ARN, for `aws stepfunctions start-execution` and EventBridge targets. */
  readonly stateMachineArn: string;
  /** The execution role. */
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: RunbookProps) {
    super(scope, id);
    const { provider, region, accountId } = props;
    const stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${props.stateMachineName}`;

    const logGroup = new CloudwatchLogGroup(this, 'log-group', {
      provider,
      name: props.logGroupName,
      retentionInDays: props.logRetentionDays ?? 365,
      kmsKeyId: props.kmsKeyArn,
    });

    this.role = new ServiceRole(this, 'role', {
      provider,
      roleName: props.roleName,
      description: `Runs the ${props.stateMachineName} runbook`,
      servicePrincipal: 'states.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [stateMachineArn] },
      ],
      statements: [
        ...props.statements,
        {
          sid: 'UseTheStateMachineKey',
          effect: 'Allow',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [props.kmsKeyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:states:stateMachineArn', values: [stateMachineArn] }],
        },
        {
          sid: 'DeliverExecutionLogs',
          effect: 'Allow',
          actions: [
            'logs:CreateLogDelivery',
            'logs:GetLogDelivery',
            'logs:UpdateLogDelivery',
            'logs:DeleteLogDelivery',
            'logs:ListLogDeliveries',
            'logs:PutResourcePolicy',
            'logs:DescribeResourcePolicies',
            'logs:DescribeLogGroups',
          ],
          resources: ['*'],
        },
      ],
    });
    explain(
      this.role.role,
      'Step Functions delivers execution logs through CloudWatch Logs vended log delivery, whose actions take no resource (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy): that statement is the one with "*". With a customer-managed key, the role needs kms:Decrypt and kms:GenerateDataKey for its own state machine only (encryption context aws:states:stateMachineArn; https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html).',
    );

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      provider,
      name: props.stateMachineName,
      type: 'STANDARD',
      roleArn: this.role.roleArn,
      definition: JSON.stringify(props.definition),
      encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: props.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
      loggingConfiguration: { level: 'ALL', includeExecutionData: true, logDestination: `${logGroup.arn}:*` },
    });
    explain(
      this.stateMachine,
      'Standard workflow: an execution may wait for AWS for up to a year and runs each step exactly once. Every execution is logged with its data (Region names and identifiers, no secrets), the audit trail of who moved traffic or the writer and when.',
    );
    this.stateMachineArn = this.stateMachine.arn;
  }
}
