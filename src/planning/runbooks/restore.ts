/**
 * The `restore` runbook: brings an evacuated Region back into traffic once it is healthy. Input:
 * `{"region": "<region>"}`.
 *
 * It polls until the Region's entry health check and its replication lag check pass, and (Global
 * Accelerator) every endpoint of its endpoint groups reports HEALTHY; then it sets the traffic dial
 * back to the configured value, or the switch check's health threshold back to 1 (Route 53). It
 * gives up after the configured timeout and notifies.
 *
 * A Route 53 check passes when every checker's last report starts with "Success" (GetHealthCheckStatus
 * returns one observation per checker; a report starts with "Success" or "Failure").
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheckStatus.html
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_StatusReport.html
 */
import { notify, type AslDefinition, type AslState } from './asl';
import { AUTOMATION_MAX_POLLS, AUTOMATION_POLL_SECONDS, automationStates, ENDPOINT_GROUP_AUTOMATION } from './automation';
import {
  checkTrafficOptions,
  ENDPOINT_GROUP_ITEM,
  FAIL,
  failureStates,
  itemProcessor,
  regionStates,
  ROUTE53,
  sdkTask,
  SWITCH_ON_THRESHOLD,
  verdicts,
  WHICH_REGION,
  type EndpointGroupAutomation,
  type TrafficRegion,
  type TrafficRunbookOptions,
} from './traffic';

/** What the restore runbook is built from. */
export interface RestoreOptions extends TrafficRunbookOptions {
  /** Minutes to wait for the Region to become healthy before failing. */
  readonly timeoutMinutes: number;
  /**
   * Seconds between two looks at the Region's health. GetHealthCheckStatus is meant for low query
   * rates (its API reference says so), and Route 53 checkers report every 10 or 30 seconds.
   * @default 60
   */
  readonly pollSeconds?: number;
}

export const DEFAULT_POLL_SECONDS = 60;

const NOTIFY_START = 'Notify start';
const START_POLLING = 'Start polling';
const COUNT_POLL = 'Count poll';
const TIMED_OUT = 'Timed out?';
const WAIT = 'Wait for health';
const NOTIFY_TIMEOUT = 'Notify timeout';
const RESTORE_TIMED_OUT = 'Restore timed out';
const CHECK_ENDPOINTS = 'Check endpoint groups';
const ENDPOINTS_HEALTHY = 'Endpoints healthy?';
const BRING_BACK = 'Bring the Region back';
const NOTIFY_DONE = 'Notify done';
const DONE = 'Restored';

/** The number of polls that fit in the timeout (at least one). */
export function maxPolls(timeoutMinutes: number, pollSeconds: number): number {
  return Math.max(1, Math.ceil((timeoutMinutes * 60) / pollSeconds));
}

/** The `restore` state machine definition. */
export function restoreDefinition(options: RestoreOptions): AslDefinition {
  checkTrafficOptions(options);
  const { mode, regions, topicArn, timeoutMinutes } = options;
  const pollSeconds = options.pollSeconds ?? DEFAULT_POLL_SECONDS;
  if (!(timeoutMinutes > 0)) throw new Error('timeoutMinutes must be positive');
  if (!(Number.isInteger(pollSeconds) && pollSeconds > 0)) throw new Error('pollSeconds must be a positive whole number');
  const accelerator = mode === 'global-accelerator';
  // checkTrafficOptions has made sure the Global Accelerator mode has its documents.
  const automation = options.automation!;
  const target = (r: TrafficRegion) => ({
    region: r.region,
    entryHealthCheckId: r.entryHealthCheckId,
    lagHealthCheckId: r.lagHealthCheckId,
    ...(accelerator
      ? { endpointGroupArns: r.endpointGroupArns, trafficDialPercentage: r.trafficDialPercentage }
      : { switchHealthCheckId: r.switchHealthCheckId }),
  });
  const afterChecks = accelerator ? CHECK_ENDPOINTS : BRING_BACK;

  return {
    Comment: accelerator
      ? 'Brings a Region back into traffic once its entry and replication lag health checks pass and its endpoints are healthy: the traffic dial of its endpoint groups back to the configured value. Input: {"region": "<region>"}.'
      : 'Brings a Region back into traffic once its entry and replication lag health checks pass: its Route 53 switch health check back on. Input: {"region": "<region>"}.',
    StartAt: WHICH_REGION,
    // A backstop beyond the polling timeout, should an AWS call hang. The timeout counts polls; with
    // Global Accelerator each poll also waits for the describe automations, up to their own limit.
    TimeoutSeconds:
      timeoutMinutes * 60 +
      (accelerator ? maxPolls(timeoutMinutes, pollSeconds) * AUTOMATION_POLL_SECONDS * AUTOMATION_MAX_POLLS : 0) +
      15 * 60,
    States: {
      ...regionStates(regions, target, NOTIFY_START),
      [NOTIFY_START]: notify(
        topicArn,
        'restore started',
        {
          path: `States.Format('restore of {}: waiting up to ${timeoutMinutes} minutes for its health checks to pass.', $.target.region)`,
        },
        START_POLLING,
      ),
      [START_POLLING]: { Type: 'Pass', Result: { count: 0 }, ResultPath: '$.polls', Next: 'Read entry check' },
      ...route53CheckStates('entry', '$.target.entryHealthCheckId', 'Read lag check'),
      ...route53CheckStates('lag', '$.target.lagHealthCheckId', afterChecks),
      ...(accelerator
        ? {
            [CHECK_ENDPOINTS]: {
              Type: 'Map',
              ItemsPath: '$.target.endpointGroupArns',
              ItemSelector: ENDPOINT_GROUP_ITEM,
              ItemProcessor: endpointGroupHealth(automation),
              ResultSelector: { 'failing.$': `States.ArrayContains($, '${FAIL}')` },
              ResultPath: '$.endpoints',
              Catch: failureCatch(),
              Next: ENDPOINTS_HEALTHY,
            },
            [ENDPOINTS_HEALTHY]: {
              Type: 'Choice',
              Choices: [{ Variable: '$.endpoints.failing', BooleanEquals: false, Next: BRING_BACK }],
              Default: COUNT_POLL,
            },
            [BRING_BACK]: {
              Type: 'Map',
              ItemsPath: '$.target.endpointGroupArns',
              ItemSelector: { 'endpointGroupArn.$': '$$.Map.Item.Value', 'dial.$': '$.target.trafficDialPercentage' },
              // One update at a time: each changes the same accelerator's configuration.
              MaxConcurrency: 1,
              ItemProcessor: itemProcessor(
                'Dial back',
                automationStates({
                  name: 'Dial back',
                  documentName: automation.updateDocumentName,
                  assumeRoleArn: automation.roleArn,
                  parameters: {
                    'EndpointGroupArn.$': 'States.Array($.endpointGroupArn)',
                    'TrafficDialPercentage.$': "States.Array(States.Format('{}', $.dial))",
                  },
                }),
              ),
              ResultPath: null,
              Catch: failureCatch(),
              Next: NOTIFY_DONE,
            },
          }
        : {
            [BRING_BACK]: sdkTask(ROUTE53, 'updateHealthCheck', {
              Parameters: { 'HealthCheckId.$': '$.target.switchHealthCheckId', HealthThreshold: SWITCH_ON_THRESHOLD },
              ResultPath: null,
              Next: NOTIFY_DONE,
            }),
          }),
      [COUNT_POLL]: {
        Type: 'Pass',
        Parameters: { 'count.$': 'States.MathAdd($.polls.count, 1)' },
        ResultPath: '$.polls',
        Next: TIMED_OUT,
      },
      [TIMED_OUT]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.polls.count', NumericGreaterThanEquals: maxPolls(timeoutMinutes, pollSeconds), Next: NOTIFY_TIMEOUT }],
        Default: WAIT,
      },
      [WAIT]: { Type: 'Wait', Seconds: pollSeconds, Next: 'Read entry check' },
      [NOTIFY_TIMEOUT]: notify(
        topicArn,
        'restore timed out',
        {
          path: `States.Format('restore of {} gave up after ${timeoutMinutes} minutes: its health checks or endpoints still fail, and it stays out of traffic.', $.target.region)`,
        },
        RESTORE_TIMED_OUT,
      ),
      [RESTORE_TIMED_OUT]: {
        Type: 'Fail',
        Error: 'RestoreTimedOut',
        Cause: `The Region did not become healthy within ${timeoutMinutes} minutes (resilience.runbooks.timeoutMinutes); it stays out of traffic.`,
      },
      [NOTIFY_DONE]: notify(
        topicArn,
        'restore done',
        {
          path: accelerator
            ? "States.Format('restore of {} done: its traffic dial is back at {} percent.', $.target.region, $.target.trafficDialPercentage)"
            : "States.Format('restore of {} done: its Route 53 switch health check is back on.', $.target.region)",
        },
        DONE,
      ),
      [DONE]: { Type: 'Succeed' },
      ...failureStates(topicArn, 'restore', 'RestoreFailed'),
    },
  };
}

function failureCatch(): AslState[] {
  return [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Notify failure' }];
}

/**
 * Reads one Route 53 check's status and judges it: `$.<name>` becomes `{failing, reports}`; the
 * check passes with at least one report and none failing, else the run counts a poll and waits.
 */
function route53CheckStates(name: 'entry' | 'lag', idPath: string, next: string): Record<string, AslState> {
  const read = `Read ${name} check`;
  const judge = `Judge ${name} check`;
  const healthy = `${name === 'entry' ? 'Entry' : 'Lag'} check healthy?`;
  const passes = `${name} checker passes`;
  const fails = `${name} checker fails`;
  return {
    [read]: sdkTask(ROUTE53, 'getHealthCheckStatus', {
      Parameters: { 'HealthCheckId.$': idPath },
      ResultSelector: { 'observations.$': '$.HealthCheckObservations' },
      ResultPath: `$.${name}`,
      Next: judge,
    }),
    [judge]: {
      Type: 'Map',
      ItemsPath: `$.${name}.observations`,
      ItemProcessor: itemProcessor(`${name} checker reports success?`, {
        [`${name} checker reports success?`]: {
          Type: 'Choice',
          Choices: [{ Variable: '$.StatusReport.Status', StringMatches: 'Success*', Next: passes }],
          Default: fails,
        },
        ...verdicts(passes, fails),
      }),
      ResultSelector: { 'failing.$': `States.ArrayContains($, '${FAIL}')`, 'reports.$': 'States.ArrayLength($)' },
      ResultPath: `$.${name}`,
      Next: healthy,
    },
    [healthy]: {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: `$.${name}.failing`, BooleanEquals: false },
            { Variable: `$.${name}.reports`, NumericGreaterThan: 0 },
          ],
          Next: next,
        },
      ],
      Default: COUNT_POLL,
    },
  };
}

/**
 * Whether every endpoint of one endpoint group reports HEALTHY (and it has one). Global Accelerator
 * keeps monitoring every endpoint whatever the group's traffic dial, so an evacuated Region's health
 * shows (https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups.html).
 */
function endpointGroupHealth(automation: EndpointGroupAutomation): AslState {
  return itemProcessor('Describe endpoint group', {
    // HealthState: INITIAL, HEALTHY or UNHEALTHY
    // (https://docs.aws.amazon.com/global-accelerator/latest/api/API_EndpointDescription.html).
    ...automationStates({
      name: 'Describe endpoint group',
      documentName: automation.describeDocumentName,
      assumeRoleArn: automation.roleArn,
      parameters: { 'EndpointGroupArn.$': 'States.Array($.endpointGroupArn)' },
      outputs: { health: ENDPOINT_GROUP_AUTOMATION.healthOutput },
      resultPath: '$.group',
      next: 'Judge endpoint group',
    }),
    'Judge endpoint group': {
      Type: 'Pass',
      Parameters: {
        'kinds.$': 'States.ArrayLength(States.ArrayUnique($.group.health))',
        'healthy.$': "States.ArrayContains($.group.health, 'HEALTHY')",
      },
      Next: 'Endpoint group healthy?',
    },
    // Every endpoint HEALTHY: HEALTHY is among the states, and it is the only one.
    'Endpoint group healthy?': {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.kinds', NumericEquals: 1 },
            { Variable: '$.healthy', BooleanEquals: true },
          ],
          Next: 'Endpoint group passes',
        },
      ],
      Default: 'Endpoint group fails',
    },
    ...verdicts('Endpoint group passes', 'Endpoint group fails'),
  });
}
