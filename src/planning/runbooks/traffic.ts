/**
 * What the `evacuate` and `restore` runbooks share: the Regions they act on, the choice of the
 * input's Region, and the services they call.
 *
 * Both run beside the routing service's control plane: Global Accelerator's API exists only in
 * us-west-2, and Route 53's control plane is in us-east-1
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html). Health-based failover needs neither: these runbooks
 * are for planned drains and grey failures, which health checks do not catch.
 */
import { notify, sdkIntegration, throttlingRetry, type AslState } from './asl';

/** How users reach the Regions: the accelerator's endpoint groups, or Route 53 latency records. */
export type TrafficMode = 'global-accelerator' | 'route53-latency' | 'route53-geolocation' | 'route53-failover';

/** One Region as the traffic runbooks see it. */
export interface TrafficRegion {
  /** The Region code, which the runbooks' input names. */
  readonly region: string;
  /** Global Accelerator: the Region's endpoint group ARNs, one per listener port. */
  readonly endpointGroupArns?: readonly string[];
  /** The configured traffic dial, percent, that `restore` sets back (Global Accelerator). */
  readonly trafficDialPercentage: number;
  /** The Route 53 health check of the Region's public entry. */
  readonly entryHealthCheckId: string;
  /** The Route 53 health check that follows the Region's database replication lag alarm. */
  readonly lagHealthCheckId: string;
  /**
   * Route 53 records (every Route 53 mode): the calculated check over the entry check that the Region's records
   * use (child health threshold 1), which `evacuate` turns off by asking for 2 healthy children.
   */
  readonly switchHealthCheckId?: string;
}

/** What both traffic runbooks are built from. */
export interface TrafficRunbookOptions {
  /** The routing mode of the configuration. */
  readonly mode: TrafficMode;
  /** Every configured Region, in config order. */
  readonly regions: readonly TrafficRegion[];
  /** The SNS topic notified at each step (in the runbook's own Region). */
  readonly topicArn: string;
  /** Global Accelerator: the Automation documents that call it, and the role they run as. */
  readonly automation?: EndpointGroupAutomation;
}

/** The SSM Automation documents through which the runbooks call Global Accelerator. */
export interface EndpointGroupAutomation {
  /** The document that sets an endpoint group's traffic dial. */
  readonly updateDocumentName: string;
  /** The document that reads an endpoint group's traffic dial and endpoint health. */
  readonly describeDocumentName: string;
  /** The role the automations run as. */
  readonly roleArn: string;
}

/**
 * Route 53 as the Step Functions resource spells it (`route53`) and as its error names do
 * (`Route53.ThrottlingException`), https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html.
 * Global Accelerator is not on that list: its calls go through SSM Automation documents whose
 * `aws:executeAwsApi` step calls it in us-west-2 (see ./automation.ts), so the control planes
 * of the Global Accelerator mode are Step Functions, Systems Manager and Global Accelerator, all in
 * us-west-2.
 */
export const ROUTE53 = { resource: 'route53', errors: 'route53' } as const;

/**
 * A Map item that is an endpoint group: an object, so the automation's state can sit beside the ARN
 * (Automation parameters are lists of strings: `States.Array($.endpointGroupArn)`).
 */
export const ENDPOINT_GROUP_ITEM = { 'endpointGroupArn.$': '$$.Map.Item.Value' };

/** The health threshold that keeps a Region's switch check unhealthy: more than its one child. */
export const SWITCH_OFF_THRESHOLD = 2;
/** The health threshold of a switch check in service: healthy while its one child is. */
export const SWITCH_ON_THRESHOLD = 1;

export const WHICH_REGION = 'Which Region?';
export const UNKNOWN_REGION = 'Unknown Region';
export const NOTIFY_FAILURE = 'Notify failure';

/** The state that selects one Region's data. */
export function selectState(region: string): string {
  return `Select ${region}`;
}

/** Validates the options both runbooks are built from. */
export function checkTrafficOptions(options: TrafficRunbookOptions): void {
  const { mode, regions } = options;
  const names = regions.map((r) => r.region);
  if (regions.length < 2) throw new Error(`the traffic runbooks need at least two Regions, got ${names.join(', ') || 'none'}`);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`Region ${duplicate} is listed twice`);
  if (mode === 'global-accelerator' && !options.automation) {
    throw new Error('Global Accelerator mode needs the SSM Automation documents that call it');
  }
  for (const r of regions) {
    if (mode === 'global-accelerator' && (r.endpointGroupArns ?? []).length === 0) {
      throw new Error(`${r.region}: Global Accelerator mode needs the Region's endpoint group ARNs`);
    }
    if (mode !== 'global-accelerator' && !r.switchHealthCheckId) {
      throw new Error(`${r.region}: ${mode} mode needs the Region's switch health check`);
    }
    if (!(r.trafficDialPercentage >= 0 && r.trafficDialPercentage <= 100)) {
      throw new Error(`${r.region}: trafficDialPercentage must be 0 to 100`);
    }
  }
}

/**
 * The first states: a Choice on the input's `region`, a Pass per Region that puts the Region's
 * data at `$.target`, and a Fail for any other input that lists the Regions.
 */
export function regionStates(
  regions: readonly TrafficRegion[],
  target: (region: TrafficRegion) => Record<string, unknown>,
  next: string,
): Record<string, AslState> {
  const names = regions.map((r) => r.region);
  return {
    [WHICH_REGION]: {
      Type: 'Choice',
      Choices: [
        // A missing path fails any other comparison with a runtime error: test presence first.
        { Not: { Variable: '$.region', IsPresent: true }, Next: UNKNOWN_REGION },
        { Not: { Variable: '$.region', IsString: true }, Next: UNKNOWN_REGION },
        ...regions.map((r) => ({ Variable: '$.region', StringEquals: r.region, Next: selectState(r.region) })),
      ],
      Default: UNKNOWN_REGION,
    },
    ...Object.fromEntries(
      regions.map((r) => [selectState(r.region), { Type: 'Pass', Result: target(r), ResultPath: '$.target', Next: next }]),
    ),
    [UNKNOWN_REGION]: {
      Type: 'Fail',
      Error: 'UnknownRegion',
      Cause: `The input must name one of the configured Regions, as in {"region": "${names[0]}"}: ${names.join(', ')}.`,
    },
  };
}

/** Catches any error of a step (after its retries) and sends the run to the failure notification. */
export function onFailure(): AslState[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: NOTIFY_FAILURE }];
}

/** The failure notification, then a Fail state with `error`. */
export function failureStates(topicArn: string, runbook: string, error: string): Record<string, AslState> {
  const failed = `${runbook} failed`;
  return {
    [NOTIFY_FAILURE]: notify(
      topicArn,
      `${runbook} failed`,
      { path: `States.Format('${runbook} of {} failed: {} {}', $.target.region, $.error.Error, $.error.Cause)` },
      failed,
    ),
    [failed]: {
      Type: 'Fail',
      Error: error,
      Cause: `An AWS call failed after its retries; the notification and the execution history name it.`,
    },
  };
}

/** An AWS SDK task with throttling retries and the failure catch. */
export function sdkTask(
  service: { readonly resource: string; readonly errors: string },
  action: string,
  fields: Record<string, unknown>,
  catchFailures = true,
): AslState {
  return {
    Type: 'Task',
    Resource: sdkIntegration(service.resource, action),
    ...fields,
    Retry: [throttlingRetry(service.errors)],
    ...(catchFailures ? { Catch: onFailure() } : {}),
  };
}

/** An inline Map item processor (JSONPath). */
export function itemProcessor(startAt: string, states: Record<string, AslState>): AslState {
  return { ProcessorConfig: { Mode: 'INLINE' }, StartAt: startAt, States: states };
}

/** What a Map item ends with: one of these, so the Map's result is a list of them. */
export const PASS = 'pass';
export const FAIL = 'fail';

/** Two Pass states that end a Map item with `PASS` or `FAIL`. */
export function verdicts(passes: string, fails: string): Record<string, AslState> {
  return { [passes]: { Type: 'Pass', Result: PASS, End: true }, [fails]: { Type: 'Pass', Result: FAIL, End: true } };
}
