/**
 * The EventBridge pattern of a CloudWatch alarm (metric or composite) entering ALARM. CloudWatch
 * sends every alarm state change to the default event bus of the alarm's Region, with source
 * `aws.cloudwatch` and detail type "CloudWatch Alarm State Change"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 */
export function alarmEnteredAlarmPattern(alarmNames: readonly string[]): Record<string, unknown> {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { alarmName: [...alarmNames], state: { value: ['ALARM'] } },
  };
}

/** The default event bus of a Region: where AWS services deliver their events. */
export function defaultEventBusArn(region: string, accountId: string): string {
  return `arn:aws:events:${region}:${accountId}:event-bus/default`;
}

/** A rule's ARN on the default event bus (rules on the default bus carry no bus name in their ARN). */
export function defaultBusRuleArn(region: string, accountId: string, ruleName: string): string {
  return `arn:aws:events:${region}:${accountId}:rule/${ruleName}`;
}
