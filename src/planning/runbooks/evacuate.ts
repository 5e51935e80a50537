/**
 * The `evacuate` runbook: takes one Region out of traffic. Input: `{"region": "<region>"}`.
 *
 * - Global Accelerator: the traffic dial of each of the Region's endpoint groups (one per listener
 *   port) to 0. New connections go to the other Regions' groups; established ones drain.
 *   https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups-traffic-dial.html
 * - Route 53 records (latency, geolocation or failover): the health threshold of the Region's switch
 *   check (a calculated check over the entry check, with one child) to 2. More healthy children than it
 *   has keeps it unhealthy, so Route 53 stops answering with the Region's records: latency answers the
 *   next closest Region, geolocation the next larger location's record (continent, then the default
 *   record), failover the next Region in the order.
 *   https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 *   https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html (HealthThreshold)
 *
 * It refuses to take out the last Region in traffic: when no other Region's endpoint group has a
 * dial above 0 and a healthy endpoint (Global Accelerator), or no other Region's switch check is on
 * (Route 53; their entry health is not read: GetHealthCheckStatus cannot read calculated checks, and
 * with every record unhealthy Route 53 answers with all of them anyway,
 * https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html).
 */
import { notify, type AslDefinition, type AslState } from './asl';
import { automationStates, ENDPOINT_GROUP_AUTOMATION } from './automation';
import {
  checkTrafficOptions,
  ENDPOINT_GROUP_ITEM,
  failureStates,
  itemProcessor,
  onFailure,
  PASS,
  regionStates,
  ROUTE53,
  sdkTask,
  SWITCH_OFF_THRESHOLD,
  SWITCH_ON_THRESHOLD,
  verdicts,
  WHICH_REGION,
  type EndpointGroupAutomation,
  type TrafficRegion,
  type TrafficRunbookOptions,
} from './traffic';

const CHECK_OTHERS = 'Check other Regions';
const ANOTHER_SERVES = 'Another Region in traffic?';
const NOTIFY_REFUSAL = 'Notify refusal';
const LAST_REGION = 'Last Region in traffic';
const NOTIFY_START = 'Notify start';
const TAKE_OUT = 'Take the Region out';
const NOTIFY_DONE = 'Notify done';
const DONE = 'Evacuated';
const OTHER_SERVES = 'Other Region serves';
const OTHER_DOES_NOT_SERVE = 'Other Region does not serve';

/** The `evacuate` state machine definition. */
export function evacuateDefinition(options: TrafficRunbookOptions): AslDefinition {
  checkTrafficOptions(options);
  const { mode, regions, topicArn } = options;
  const accelerator = mode === 'global-accelerator';
  // checkTrafficOptions has made sure the Global Accelerator mode has its documents.
  const automation = options.automation!;
  const others = (r: TrafficRegion) => regions.filter((o) => o.region !== r.region);
  const target = (r: TrafficRegion) =>
    accelerator
      ? { region: r.region, endpointGroupArns: r.endpointGroupArns, others: others(r).flatMap((o) => o.endpointGroupArns ?? []) }
      : { region: r.region, switchHealthCheckId: r.switchHealthCheckId, others: others(r).map((o) => o.switchHealthCheckId) };

  return {
    Comment: accelerator
      ? 'Takes a Region out of traffic: the traffic dial of its Global Accelerator endpoint groups to 0. Input: {"region": "<region>"}.'
      : 'Takes a Region out of traffic: its Route 53 switch health check forced unhealthy, so its records are no longer answered. Input: {"region": "<region>"}.',
    StartAt: WHICH_REGION,
    States: {
      ...regionStates(regions, target, CHECK_OTHERS),
      [CHECK_OTHERS]: {
        Type: 'Map',
        ItemsPath: '$.target.others',
        ...(accelerator ? { ItemSelector: ENDPOINT_GROUP_ITEM } : {}),
        ItemProcessor: accelerator ? otherEndpointGroup(automation) : otherSwitchCheck(),
        ResultSelector: { 'serving.$': `States.ArrayContains($, '${PASS}')` },
        ResultPath: '$.others',
        Catch: onFailure(),
        Next: ANOTHER_SERVES,
      },
      [ANOTHER_SERVES]: {
        Type: 'Choice',
        Choices: [{ Variable: '$.others.serving', BooleanEquals: true, Next: NOTIFY_START }],
        Default: NOTIFY_REFUSAL,
      },
      [NOTIFY_REFUSAL]: notify(
        topicArn,
        'evacuate refused',
        { path: "States.Format('evacuate of {} refused: no other Region is in traffic. Restore another Region first.', $.target.region)" },
        LAST_REGION,
      ),
      [LAST_REGION]: {
        Type: 'Fail',
        Error: 'LastRegionInTraffic',
        Cause: 'No other Region is in traffic: evacuating this one would leave users nowhere to go. Restore another Region first.',
      },
      [NOTIFY_START]: notify(
        topicArn,
        'evacuate started',
        {
          path: accelerator
            ? "States.Format('evacuate of {}: setting the traffic dial of its endpoint groups to 0.', $.target.region)"
            : "States.Format('evacuate of {}: turning its Route 53 switch health check off.', $.target.region)",
        },
        TAKE_OUT,
      ),
      [TAKE_OUT]: accelerator
        ? {
            Type: 'Map',
            ItemsPath: '$.target.endpointGroupArns',
            // One update at a time: each changes the same accelerator's configuration.
            MaxConcurrency: 1,
            ItemSelector: ENDPOINT_GROUP_ITEM,
            ItemProcessor: itemProcessor(
              'Dial to zero',
              automationStates({
                name: 'Dial to zero',
                documentName: automation.updateDocumentName,
                assumeRoleArn: automation.roleArn,
                parameters: { 'EndpointGroupArn.$': 'States.Array($.endpointGroupArn)', TrafficDialPercentage: ['0'] },
              }),
            ),
            ResultPath: null,
            Catch: onFailure(),
            Next: NOTIFY_DONE,
          }
        : sdkTask(ROUTE53, 'updateHealthCheck', {
            Parameters: { 'HealthCheckId.$': '$.target.switchHealthCheckId', HealthThreshold: SWITCH_OFF_THRESHOLD },
            ResultPath: null,
            Next: NOTIFY_DONE,
          }),
      [NOTIFY_DONE]: notify(
        topicArn,
        'evacuate done',
        {
          path: "States.Format('evacuate of {} done: no new connections go there. Run restore to bring it back; the next apply of the edge stack also does.', $.target.region)",
        },
        DONE,
      ),
      [DONE]: { Type: 'Succeed' },
      ...failureStates(topicArn, 'evacuate', 'EvacuateFailed'),
    },
  };
}

/** Whether another Region's endpoint group serves: a dial above 0 and a healthy endpoint. */
function otherEndpointGroup(automation: EndpointGroupAutomation): AslState {
  return itemProcessor('Describe other endpoint group', {
    ...automationStates({
      name: 'Describe other endpoint group',
      documentName: automation.describeDocumentName,
      assumeRoleArn: automation.roleArn,
      parameters: { 'EndpointGroupArn.$': 'States.Array($.endpointGroupArn)' },
      // https://docs.aws.amazon.com/global-accelerator/latest/api/API_EndpointGroup.html
      outputs: { dial: ENDPOINT_GROUP_AUTOMATION.dialOutput, health: ENDPOINT_GROUP_AUTOMATION.healthOutput },
      resultPath: '$.group',
      next: 'Judge other endpoint group',
    }),
    'Judge other endpoint group': {
      Type: 'Pass',
      // Automation outputs are lists of strings: the dial is the first, a float's text ("100.0").
      Parameters: {
        'dial.$': 'States.StringToJson(States.ArrayGetItem($.group.dial, 0))',
        'healthy.$': "States.ArrayContains($.group.health, 'HEALTHY')",
      },
      Next: 'Other endpoint group serves?',
    },
    'Other endpoint group serves?': {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.dial', NumericGreaterThan: 0 },
            { Variable: '$.healthy', BooleanEquals: true },
          ],
          Next: OTHER_SERVES,
        },
      ],
      Default: OTHER_DOES_NOT_SERVE,
    },
    ...verdicts(OTHER_SERVES, OTHER_DOES_NOT_SERVE),
  });
}

/** Whether another Region's switch check is on (health threshold 1). */
function otherSwitchCheck(): AslState {
  return itemProcessor('Read other switch check', {
    'Read other switch check': sdkTask(
      ROUTE53,
      'getHealthCheck',
      {
        Parameters: { 'HealthCheckId.$': '$' },
        // https://docs.aws.amazon.com/Route53/latest/APIReference/API_GetHealthCheck.html
        ResultSelector: { 'threshold.$': '$.HealthCheck.HealthCheckConfig.HealthThreshold' },
        Next: 'Other switch check on?',
      },
      false,
    ),
    'Other switch check on?': {
      Type: 'Choice',
      Choices: [{ Variable: '$.threshold', NumericLessThanEquals: SWITCH_ON_THRESHOLD, Next: OTHER_SERVES }],
      Default: OTHER_DOES_NOT_SERVE,
    },
    ...verdicts(OTHER_SERVES, OTHER_DOES_NOT_SERVE),
  });
}
