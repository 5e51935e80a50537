import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { explain } from '../rationale';
import { ServiceRole } from '../security/service-role';
import { alarmEnteredAlarmPattern, defaultBusRuleArn, defaultEventBusArn } from './alarm-events';

/** Properties of an `AlarmForwarder`. */
export interface AlarmForwarderProps {
  /** The rule's name (unique per Region and event bus). */
  readonly ruleName: string;
  /** The alarms, in this Region, whose entry into ALARM is forwarded. */
  readonly alarmNames: readonly string[];
  /** The Regions whose default event bus receives the events; never this Region. */
  readonly destinationRegions: readonly string[];
  /** This Region, where the alarms are and the rule runs. */
  readonly region: string;
  /** The account, for ARNs and the confused-deputy conditions. */
  readonly accountId: string;
  /** The name of the role EventBridge assumes to put the events on the other buses (IAM names are global: include the Region). */
  readonly roleName: string;
  /**
   * The provider of `region`.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Forwards a Region's alarms entering ALARM to the default event bus of other Regions, where rules
 * start runbooks. CloudWatch puts alarm events on the default bus of the alarm's own Region only, so
 * a runbook elsewhere needs them forwarded: a rule with an event bus in another Region as target,
 * through a role allowed events:PutEvents on exactly those buses (a cross-Region bus target needs a
 * role; https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html, between any
 * commercial Regions since 2021: https://aws.amazon.com/blogs/compute/expanding-cross-region-event-routing-with-amazon-eventbridge/).
 * A forwarded event keeps its `region`: the alarm's Region, which the receiving rule reads.
 *
 * Day 2: `name` and `event_bus_name` of the rule and `rule`, `target_id` of a target force
 * replacement; a replaced rule misses the events of the seconds in between.
 */
export class AlarmForwarder extends Construct {
  /** The rule. */
  readonly rule: CloudwatchEventRule;
  /** The role EventBridge assumes to forward. */
  readonly role: ServiceRole;

  constructor(scope: Construct, id: string, props: AlarmForwarderProps) {
    super(scope, id);
    const { provider, region, accountId } = props;
    const destinations = [...new Set(props.destinationRegions)];
    if (props.alarmNames.length === 0) throw new Error(`AlarmForwarder ${id}: alarmNames is empty`);
    if (destinations.length === 0) throw new Error(`AlarmForwarder ${id}: destinationRegions is empty`);
    if (destinations.includes(region)) {
      throw new Error(`AlarmForwarder ${id}: ${region} is the alarms' own Region; its rules see the events without forwarding`);
    }
    const busArns = destinations.map((destination) => defaultEventBusArn(destination, accountId));

    this.rule = new CloudwatchEventRule(this, 'rule', {
      provider,
      name: props.ruleName,
      description: `Forwards ${props.alarmNames.join(', ')} entering ALARM to ${destinations.join(', ')}`,
      eventPattern: JSON.stringify(alarmEnteredAlarmPattern(props.alarmNames)),
    });

    this.role = new ServiceRole(this, 'role', {
      provider,
      roleName: props.roleName,
      description: `Forwards alarm events from ${region} to ${destinations.join(', ')}`,
      servicePrincipal: 'events.amazonaws.com',
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: [defaultBusRuleArn(region, accountId, props.ruleName)] },
      ],
      statements: [{ sid: 'ForwardToTheRunbookRegions', effect: 'Allow', actions: ['events:PutEvents'], resources: busArns }],
    });
    explain(
      this.role.role,
      'A rule whose target is an event bus in another Region needs a role that may put events on that bus (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html); it may put them on exactly the buses this rule forwards to.',
    );

    destinations.forEach((destination, index) => {
      new CloudwatchEventTarget(this, `target-${destination}`, {
        provider,
        rule: this.rule.name,
        targetId: `forward-to-${destination}`,
        arn: busArns[index],
        roleArn: this.role.roleArn,
      });
    });
  }
}
