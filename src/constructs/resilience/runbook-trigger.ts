import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { explain } from '../rationale';
import { ServiceRole } from '../security/service-role';
import { alarmEnteredAlarmPattern, defaultBusRuleArn } from './alarm-events';

/** What the runbook is started with. */
export type RunbookInput =
  /** A fixed input. */
  | { readonly fixed: Readonly<Record<string, unknown>> }
  /** Fields taken from the event, by field name: a JSONPath into the event (such as `$.region`). */
  | { readonly fromEvent: Readonly<Record<string, string>> };

/** Properties of a `RunbookTrigger`. */
export interface RunbookTriggerProps {
  /** The rule's name (unique per Region and event bus). */
  readonly ruleName: string;
  /**
   * The alarms whose entry into ALARM starts the runbook: this Region's own, and those an
   * `AlarmForwarder` forwards here from other Regions.
   */
  readonly alarmNames: readonly string[];
  /** ARN of the state machine to start, in this Region. */
  readonly stateMachineArn: string;
  /** The execution's input. */
  readonly input: RunbookInput;
  /** The customer-managed key the state machine encrypts its data with: starting an execution encrypts its input with it. */
  readonly stateMachineKmsKeyArn: string;
  /** This Region, where the rule and the state machine are. */
  readonly region: string;
  /** The account, for ARNs and the confused-deputy conditions. */
  readonly accountId: string;
  /** The name of the role EventBridge assumes to start the runbook (IAM names are global: include the Region). */
  readonly roleName: string;
  /**
   * The provider of `region`.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Starts a runbook when an alarm enters ALARM: a rule on the Region's default event bus (where the
 * Region's own alarm events arrive, and forwarded ones from other Regions), and a Step Functions
 * target through a role allowed states:StartExecution on exactly that state machine
 * (EventBridge reaches Step Functions through an IAM role, not a resource policy:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/resource-based-policies-eventbridge.html).
 *
 * An alarm that flaps starts the runbook once per entry into ALARM; the runbooks are idempotent
 * (they set a state, they do not toggle one).
 *
 * Day 2: `name` of the rule and `rule`, `target_id` of the target force replacement.
 */
export class RunbookTrigger extends Construct {
  /** The rule. */
  readonly rule: CloudwatchEventRule;
  /** The role EventBridge assumes to start the runbook. */
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: RunbookTriggerProps) {
    super(scope, id);
    const { provider, region, accountId, input } = props;
    if (props.alarmNames.length === 0) throw new Error(`RunbookTrigger ${id}: alarmNames is empty`);

    this.rule = new CloudwatchEventRule(this, 'rule', {
      provider,
      name: props.ruleName,
      description: `Starts a runbook when ${props.alarmNames.join(', ')} enters ALARM`,
      eventPattern: JSON.stringify(alarmEnteredAlarmPattern(props.alarmNames)),
    });

    this.role = new ServiceRole(this, 'role', {
      provider,
      roleName: props.roleName,
      description: `Starts a runbook in ${region} when an alarm fires`,
      servicePrincipal: 'events.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: [defaultBusRuleArn(region, accountId, props.ruleName)] },
      ],
      statements: [
        { sid: 'StartTheRunbook', effect: 'Allow', actions: ['states:StartExecution'], resources: [props.stateMachineArn] },
        {
          sid: 'EncryptTheExecutionInput',
          effect: 'Allow',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [props.stateMachineKmsKeyArn],
          condition: [
            { test: 'StringEquals', variable: 'kms:EncryptionContext:aws:states:stateMachineArn', values: [props.stateMachineArn] },
          ],
        },
      ],
    });
    explain(
      this.role.role,
      'EventBridge starts a Step Functions state machine through a role; this one may start exactly one. With a customer-managed key, whoever calls StartExecution needs kms:GenerateDataKey (and Decrypt) on it for that state machine (https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html).',
    );

    new CloudwatchEventTarget(this, 'target', {
      provider,
      rule: this.rule.name,
      targetId: 'start-runbook',
      arn: props.stateMachineArn,
      roleArn: this.role.roleArn,
      ...('fixed' in input
        ? { input: JSON.stringify(input.fixed) }
        : {
            // A JSON template with each placeholder outside quotes: a string value is inserted as a
            // JSON string (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
            inputTransformer: {
              inputPaths: { ...input.fromEvent },
              inputTemplate: `{${Object.keys(input.fromEvent)
                .map((field) => `${JSON.stringify(field)}: <${field}>`)
                .join(', ')}}`,
            },
          }),
    });
  }
}
