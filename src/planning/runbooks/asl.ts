/**
 * Building blocks of the runbooks' Amazon States Language definitions (JSONPath query language).
 * Every task is an AWS SDK service integration (`arn:aws:states:::aws-sdk:<service>:<action>`): no
 * function code to patch. An SDK integration calls the service in the state machine's own Region
 * (Step Functions has no cross-Region SDK integration; https://github.com/aws/aws-cdk/pull/30061
 * adds a Lambda function for exactly that reason), so each runbook lives in the Region whose API it
 * calls.
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */

/** A state of a state machine, as JSON. */
export type AslState = Record<string, unknown>;

/** A state machine definition, as JSON. */
export interface AslDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly TimeoutSeconds?: number;
  readonly States: Record<string, AslState>;
}

/**
 * The resource of an AWS SDK integration. `service` is the SDK's service name in lower case and
 * `action` the API action in camel case, e.g. `sdkIntegration('rds', 'describeGlobalClusters')`.
 */
export function sdkIntegration(service: string, action: string): string {
  return `arn:aws:states:::aws-sdk:${service}:${action}`;
}

/**
 * Error names an SDK integration raises when AWS throttles. Step Functions names an error
 * `<Service>.<Name>` in PascalCase and always with the `Exception` suffix, even where the service's
 * own error code has none; the service name is the integration's, capitalized (`Rds`, `Sns`).
 * Services spell throttling differently: RDS answers `ThrottlingException`
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-api-throttling.html), SNS `Throttled`
 * or `ThrottlingException` (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html#API_Publish_Errors),
 * others `TooManyRequestsException`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ
 */
export function throttlingErrors(service: string): string[] {
  const prefix = service.charAt(0).toUpperCase() + service.slice(1);
  return [
    `${prefix}.ThrottlingException`,
    `${prefix}.ThrottledException`,
    `${prefix}.TooManyRequestsException`,
    // Where the service's model does not name its throttling error (RDS's and Route 53's `Throttling`,
    // SSM's), Step Functions raises the service's base exception, `<Service>.<Service>Exception`. Other
    // unmodeled errors share that name: they fail again after the retries, at the cost of a minute.
    `${prefix}.${prefix}Exception`,
  ];
}

/** Retries a throttled call with exponential backoff and jitter: 2, 4, 8, 16, 32 seconds at most. */
export function throttlingRetry(service: string): AslState {
  return { ErrorEquals: throttlingErrors(service), IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5, JitterStrategy: 'FULL' };
}

/**
 * A task that publishes a message to the runbook's alerts topic, then goes on to `next`. `message`
 * is fixed text, or a JSONPath reference or intrinsic (such as `States.Format(...)`) that builds it
 * from the state's input. A notification that cannot be sent never stops the runbook: it is retried
 * when throttled, then skipped.
 */
export function notify(
  topicArn: string,
  subject: string,
  message: { readonly text: string } | { readonly path: string },
  next: string,
): AslState {
  return {
    Type: 'Task',
    Resource: sdkIntegration('sns', 'publish'),
    Parameters: {
      TopicArn: topicArn,
      Subject: subject,
      ...('text' in message ? { Message: message.text } : { 'Message.$': message.path }),
    },
    ResultPath: null,
    Retry: [throttlingRetry('sns')],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: next }],
    Next: next,
  };
}
