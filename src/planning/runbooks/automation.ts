/**
 * Calling an API that Step Functions has no SDK integration for, through AWS Systems Manager
 * Automation, which it has (`ssm`).
 *
 * Global Accelerator is not on Step Functions' list of AWS SDK integrations
 * (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html lists ssm,
 * route53, sns, ... and no globalaccelerator): a state machine with an
 * `arn:aws:states:::aws-sdk:globalaccelerator:*` task is refused when it is created. An Automation
 * runbook's `aws:executeAwsApi` step calls any boto3 client's API (Service is the boto3 client name,
 * Api the operation; https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAwsApi.html),
 * in the Region the automation runs in. So each call becomes: start an automation of a document
 * with one such step (ssm:StartAutomationExecution), wait, read the execution
 * (ssm:GetAutomationExecution) until its status is final, and take the step's outputs from it.
 */
import { sdkIntegration, throttlingRetry, type AslState } from './asl';

/** SSM as the Step Functions resource spells it, and as its error names do (`Ssm.ThrottlingException`). */
export const SSM = { resource: 'ssm', errors: 'ssm' } as const;

/** The document parameter that names the role the automation runs as. */
export const ASSUME_ROLE_PARAMETER = 'AutomationAssumeRole';

/**
 * Statuses of an automation execution
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_AutomationExecution.html).
 * Pending and InProgress come before the end; Success is the only good end. Any other status
 * (Failed, TimedOut, Cancelling, Cancelled, Waiting for an approval that these documents never ask
 * for, ...) fails the call.
 */
export const AUTOMATION_SUCCESS = 'Success';
export const AUTOMATION_RUNNING = ['Pending', 'InProgress'] as const;

/** Where the helper keeps the execution's id, poll count and last read, in the state's input. */
export const AUTOMATION_PATH = '$.automationExecution';

/** Seconds between two reads of an execution, by default. */
export const AUTOMATION_POLL_SECONDS = 5;
/** Reads before a call gives up on a running execution, by default. */
export const AUTOMATION_MAX_POLLS = 24;

/** One call through an Automation document. */
export interface AutomationCall {
  /** The name of the state that starts the automation; the helper's other states start with it. */
  readonly name: string;
  /** The Automation document (in the state machine's Region). */
  readonly documentName: string;
  /** The role the automation runs as (passed as `AutomationAssumeRole`). */
  readonly assumeRoleArn: string;
  /**
   * The document's other parameters, as the Parameters of StartAutomationExecution: each a list of
   * strings, fixed (`{ TrafficDialPercentage: ['0'] }`) or built from the input
   * (`{ 'EndpointGroupArn.$': 'States.Array($.endpointGroupArn)' }`).
   */
  readonly parameters: Record<string, unknown>;
  /**
   * Outputs to keep, by field: the document output's key (`<step>.<output>`), whose value
   * GetAutomationExecution returns as a list of strings.
   * @default - none
   */
  readonly outputs?: Record<string, string>;
  /**
   * Where the outputs go in the state's input.
   * @default - discarded (null)
   */
  readonly resultPath?: string | null;
  /**
   * The state after the call succeeds.
   * @default - the call ends its state machine or Map item
   */
  readonly next?: string;
  /**
   * Seconds between two reads of the execution.
   * @default 5
   */
  readonly pollSeconds?: number;
  /**
   * Reads before the call gives up on a running execution.
   * @default 24 (two minutes at 5 seconds; an aws:executeAwsApi step runs 25 seconds at most)
   */
  readonly maxPolls?: number;
}

/** The names of the states of one call, for tests and handlers. */
export function automationStateNames(name: string) {
  return {
    start: name,
    wait: `${name}: wait`,
    read: `${name}: read`,
    finished: `${name}: finished?`,
    count: `${name}: count`,
    giveUp: `${name}: give up?`,
    done: `${name}: done`,
    failed: `${name}: failed`,
    fail: `${name}: fail`,
    timedOut: `${name}: timed out`,
    timeout: `${name}: time out`,
  };
}

/**
 * The states of one call through an Automation document. The start state is `call.name`. A failed
 * or cancelled automation, or one still running after `maxPolls` reads, ends in a Fail state
 * (`AutomationFailed`, `AutomationTimedOut`) whose cause names the execution: the caller catches
 * it, as it catches an AWS call's error (the traffic runbooks' Maps catch States.ALL and notify).
 * Throttled SSM calls are retried.
 */
export function automationStates(call: AutomationCall): Record<string, AslState> {
  const pollSeconds = call.pollSeconds ?? AUTOMATION_POLL_SECONDS;
  const maxPolls = call.maxPolls ?? AUTOMATION_MAX_POLLS;
  if (!(Number.isInteger(pollSeconds) && pollSeconds > 0)) throw new Error(`${call.name}: pollSeconds must be a positive whole number`);
  if (!(Number.isInteger(maxPolls) && maxPolls > 0)) throw new Error(`${call.name}: maxPolls must be a positive whole number`);
  const names = automationStateNames(call.name);
  const ending = call.next ? { Next: call.next } : { End: true };
  const outputs = Object.entries(call.outputs ?? {});
  return {
    [names.start]: {
      Type: 'Task',
      Resource: sdkIntegration(SSM.resource, 'startAutomationExecution'),
      Parameters: {
        DocumentName: call.documentName,
        Parameters: { [ASSUME_ROLE_PARAMETER]: [call.assumeRoleArn], ...call.parameters },
      },
      ResultSelector: { 'id.$': '$.AutomationExecutionId', polls: 0 },
      ResultPath: AUTOMATION_PATH,
      Retry: [throttlingRetry(SSM.errors)],
      Next: names.wait,
    },
    [names.wait]: { Type: 'Wait', Seconds: pollSeconds, Next: names.read },
    [names.read]: {
      Type: 'Task',
      Resource: sdkIntegration(SSM.resource, 'getAutomationExecution'),
      Parameters: { 'AutomationExecutionId.$': `${AUTOMATION_PATH}.id` },
      // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetAutomationExecution.html
      ResultSelector: { 'status.$': '$.AutomationExecution.AutomationExecutionStatus', 'execution.$': '$.AutomationExecution' },
      ResultPath: `${AUTOMATION_PATH}.last`,
      Retry: [throttlingRetry(SSM.errors)],
      Next: names.finished,
    },
    [names.finished]: {
      Type: 'Choice',
      Choices: [
        { Variable: `${AUTOMATION_PATH}.last.status`, StringEquals: AUTOMATION_SUCCESS, Next: names.done },
        {
          Or: AUTOMATION_RUNNING.map((status) => ({ Variable: `${AUTOMATION_PATH}.last.status`, StringEquals: status })),
          Next: names.count,
        },
      ],
      Default: names.failed,
    },
    [names.count]: {
      Type: 'Pass',
      Parameters: { 'id.$': `${AUTOMATION_PATH}.id`, 'polls.$': `States.MathAdd(${AUTOMATION_PATH}.polls, 1)` },
      ResultPath: AUTOMATION_PATH,
      Next: names.giveUp,
    },
    [names.giveUp]: {
      Type: 'Choice',
      Choices: [{ Variable: `${AUTOMATION_PATH}.polls`, NumericGreaterThanEquals: maxPolls, Next: names.timedOut }],
      Default: names.wait,
    },
    // The outputs are read only after Success: before it, GetAutomationExecution may have none.
    // Their keys hold a dot, so bracket notation
    // (https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html).
    [names.done]: {
      Type: 'Pass',
      ...(outputs.length > 0
        ? {
            Parameters: Object.fromEntries(
              outputs.map(([field, key]) => [`${field}.$`, `${AUTOMATION_PATH}.last.execution.Outputs['${key}']`]),
            ),
          }
        : {}),
      ResultPath: outputs.length > 0 ? (call.resultPath ?? null) : null,
      ...ending,
    },
    // The cause names the execution (its history and log in Systems Manager say why). It is built
    // in a Pass state: a Fail state's CausePath reads it as a plain reference path.
    [names.failed]: {
      Type: 'Pass',
      Parameters: {
        'cause.$': `States.Format('SSM Automation {} of ${call.documentName} ended {}', ${AUTOMATION_PATH}.id, ${AUTOMATION_PATH}.last.status)`,
      },
      ResultPath: `${AUTOMATION_PATH}.end`,
      Next: names.fail,
    },
    [names.fail]: { Type: 'Fail', Error: 'AutomationFailed', CausePath: `${AUTOMATION_PATH}.end.cause` },
    [names.timedOut]: {
      Type: 'Pass',
      Parameters: {
        'cause.$': `States.Format('SSM Automation {} of ${call.documentName} still running after ${maxPolls} reads ${pollSeconds} seconds apart', ${AUTOMATION_PATH}.id)`,
      },
      ResultPath: `${AUTOMATION_PATH}.end`,
      Next: names.timeout,
    },
    [names.timeout]: { Type: 'Fail', Error: 'AutomationTimedOut', CausePath: `${AUTOMATION_PATH}.end.cause` },
  };
}

/** The Automation documents that call Global Accelerator, and their step and output names. */
export const ENDPOINT_GROUP_AUTOMATION = {
  updateStep: 'UpdateEndpointGroup',
  describeStep: 'DescribeEndpointGroup',
  /** Output keys of the describe document, as GetAutomationExecution returns them. */
  dialOutput: 'DescribeEndpointGroup.TrafficDialPercentage',
  healthOutput: 'DescribeEndpointGroup.HealthStates',
} as const;

const assumeRoleParameter = {
  type: 'String',
  description: 'The role the automation runs as, allowed only the Global Accelerator calls of the traffic runbooks.',
  allowedPattern: '^arn:aws:iam::\\d{12}:role/[\\w+=,.@-]+$',
};
const endpointGroupParameter = {
  type: 'String',
  description: 'ARN of a Global Accelerator endpoint group.',
  allowedPattern: '^arn:aws:globalaccelerator::\\d{12}:accelerator/[\\w-]+/listener/[\\w-]+/endpoint-group/[\\w-]+$',
};

/**
 * The document that sets an endpoint group's traffic dial (schema 0.3, Automation). `Service` is the
 * boto3 client name (`globalaccelerator`); the step runs in the automation's Region, which must be
 * us-west-2, where Global Accelerator's API is.
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/documents-schemas-features.html (schema 0.3)
 * https://docs.aws.amazon.com/global-accelerator/latest/api/API_UpdateEndpointGroup.html
 */
export function updateEndpointGroupDocument(): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description: "Sets the traffic dial of one Global Accelerator endpoint group (the traffic runbooks' evacuate and restore).",
    assumeRole: `{{ ${ASSUME_ROLE_PARAMETER} }}`,
    parameters: {
      [ASSUME_ROLE_PARAMETER]: assumeRoleParameter,
      EndpointGroupArn: endpointGroupParameter,
      TrafficDialPercentage: { type: 'Integer', description: 'The traffic dial, 0 to 100 percent.' },
    },
    mainSteps: [
      {
        name: ENDPOINT_GROUP_AUTOMATION.updateStep,
        action: 'aws:executeAwsApi',
        // No retry of the step: the state machine starts a new automation if it must.
        maxAttempts: 1,
        onFailure: 'Abort',
        isEnd: true,
        inputs: {
          Service: 'globalaccelerator',
          Api: 'UpdateEndpointGroup',
          EndpointGroupArn: '{{ EndpointGroupArn }}',
          TrafficDialPercentage: '{{ TrafficDialPercentage }}',
        },
      },
    ],
  };
}

/**
 * The document that reads an endpoint group's traffic dial and its endpoints' health. Outputs are
 * JSONPath selections of the response, typed
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-outputs-inputs.html):
 * TrafficDialPercentage is a float in the API, kept as a String (the listed conversions turn a
 * string into an Integer, not a float), and the endpoints' HealthState values a StringList. The
 * document's `outputs` make them the execution's Outputs, `<step>.<output>` -> list of strings.
 * https://docs.aws.amazon.com/global-accelerator/latest/api/API_DescribeEndpointGroup.html
 */
export function describeEndpointGroupDocument(): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description:
      "Reads the traffic dial of one Global Accelerator endpoint group and the health of its endpoints (the traffic runbooks' evacuate and restore).",
    assumeRole: `{{ ${ASSUME_ROLE_PARAMETER} }}`,
    parameters: { [ASSUME_ROLE_PARAMETER]: assumeRoleParameter, EndpointGroupArn: endpointGroupParameter },
    mainSteps: [
      {
        name: ENDPOINT_GROUP_AUTOMATION.describeStep,
        action: 'aws:executeAwsApi',
        maxAttempts: 1,
        onFailure: 'Abort',
        isEnd: true,
        inputs: { Service: 'globalaccelerator', Api: 'DescribeEndpointGroup', EndpointGroupArn: '{{ EndpointGroupArn }}' },
        outputs: [
          { Name: 'TrafficDialPercentage', Selector: '$.EndpointGroup.TrafficDialPercentage', Type: 'String' },
          { Name: 'HealthStates', Selector: '$.EndpointGroup.EndpointDescriptions..HealthState', Type: 'StringList' },
        ],
      },
    ],
    outputs: [ENDPOINT_GROUP_AUTOMATION.dialOutput, ENDPOINT_GROUP_AUTOMATION.healthOutput],
  };
}
