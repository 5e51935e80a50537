import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { ResolvedConfig } from '../src/config';
import { AlarmForwarder } from '../src/constructs/resilience/alarm-forwarder';
import { RunbookTrigger } from '../src/constructs/resilience/runbook-trigger';
import { TrafficRunbooks } from '../src/constructs/resilience/traffic-runbooks';
import { evacuateDefinition } from '../src/planning/runbooks/evacuate';
import { maxPolls, restoreDefinition } from '../src/planning/runbooks/restore';
import type { TrafficMode, TrafficRegion } from '../src/planning/runbooks/traffic';
import type { AslDefinition } from '../src/planning/runbooks/asl';
import { checkSynthesized, formatReport } from '../src/terraform/harness';
import { resourceCount, type TerraformJson } from '../src/terraform/offline';
import { pinVersions } from '../stacks/project-stack';
import { configFrom, configProblems, example, exampleInput, policyStatements, ref, resourceAt, resources, synth, tempDir } from './helpers';
import { aslProblems, AwsError, runStateMachine, type TaskHandler } from './state-machines';

const TOPIC = 'arn:aws:sns:us-west-2:111122223333:acme-shop-edge-alerts';
const groupArn = (region: string, port: number) =>
  `arn:aws:globalaccelerator::111122223333:accelerator/abcd/listener/l${port}/endpoint-group/${region}-${port}`;

/** Made-up Regions with two listener ports and every kind of health check. */
function trafficRegions(names: readonly string[], dial = (_: string) => 100): TrafficRegion[] {
  return names.map((region) => ({
    region,
    endpointGroupArns: [groupArn(region, 80), groupArn(region, 443)],
    trafficDialPercentage: dial(region),
    entryHealthCheckId: `entry-${region}`,
    lagHealthCheckId: `lag-${region}`,
    switchHealthCheckId: `switch-${region}`,
  }));
}

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
const AUTOMATION = {
  updateDocumentName: 'acme-update-endpoint-group',
  describeDocumentName: 'acme-describe-endpoint-group',
  roleArn: 'arn:aws:iam::111122223333:role/acme-endpoint-group-automation',
};
const options = (mode: TrafficMode, names = REGIONS, dial?: (region: string) => number) => ({
  mode,
  regions: trafficRegions(names, dial),
  topicArn: TOPIC,
  ...(mode === 'global-accelerator' ? { automation: AUTOMATION } : {}),
});

/** How one automation ends: its status (Success by default) and its outputs. */
interface AutomationEnd {
  readonly status?: string;
  readonly outputs?: Record<string, string[]>;
}

/**
 * Handlers of one call through SSM Automation: startAutomationExecution answers with a new id, and
 * getAutomationExecution answers InProgress at the first read of each execution, then with the end
 * `end` gives for the parameters the execution was started with.
 */
function automation(name: string, end: (parameters: Record<string, string[]>) => AutomationEnd | undefined = () => ({})) {
  const started = new Map<string, Record<string, string[]>>();
  const reads = new Map<string, number>();
  return {
    [name]: (parameters: any) => {
      const id = `${name}-${started.size + 1}`;
      started.set(id, parameters.Parameters);
      return { AutomationExecutionId: id };
    },
    [`${name}: read`]: ({ AutomationExecutionId: id }: any) => {
      const seen = reads.get(id) ?? 0;
      reads.set(id, seen + 1);
      if (seen === 0) return { AutomationExecution: { AutomationExecutionId: id, AutomationExecutionStatus: 'InProgress' } };
      const { status = 'Success', outputs } = end(started.get(id)!) ?? {};
      return {
        AutomationExecution: { AutomationExecutionId: id, AutomationExecutionStatus: status, ...(outputs ? { Outputs: outputs } : {}) },
      };
    },
  };
}

/** The automation parameters a call was started with, and the document. */
const started = (document: string, parameters: Record<string, string[]>) => ({
  DocumentName: document,
  Parameters: { AutomationAssumeRole: [AUTOMATION.roleArn], ...parameters },
});

const impairedAlarm = (region: string) => `acme-shop-${region}-impaired`;
const ok = () => ({});
const success = {
  HealthCheckObservations: [1, 2, 3].map((i) => ({
    IPAddress: `192.0.2.${i}`,
    StatusReport: { Status: 'Success: HTTP Status Code 200, OK' },
  })),
};
const failure = {
  HealthCheckObservations: [
    { StatusReport: { Status: 'Success: HTTP Status Code 200, OK' } },
    { StatusReport: { Status: 'Failure: Connection timed out.' } },
  ],
};
/** How the describe document ends for a group: its dial as the API's float, as text, and its endpoints' health. */
const endpointGroup = (dial: number, ...health: string[]): AutomationEnd => ({
  outputs: {
    'DescribeEndpointGroup.TrafficDialPercentage': [dial.toFixed(1)],
    'DescribeEndpointGroup.HealthStates': health,
  },
});

/** Handlers for every task of the evacuate definition, Global Accelerator mode. */
function evacuateHandlers(overrides: Record<string, TaskHandler> = {}): Record<string, TaskHandler> {
  return {
    ...automation('Describe other endpoint group', () => endpointGroup(100, 'HEALTHY')),
    'Read other switch check': () => ({ HealthCheck: { HealthCheckConfig: { HealthThreshold: 1 } } }),
    ...automation('Dial to zero'),
    'Take the Region out': ok,
    'Notify refusal': ok,
    'Notify start': ok,
    'Notify done': ok,
    'Notify failure': ok,
    ...overrides,
  };
}

function restoreHandlers(overrides: Record<string, TaskHandler> = {}): Record<string, TaskHandler> {
  return {
    'Notify start': ok,
    'Read entry check': () => success,
    'Read lag check': () => success,
    ...automation('Describe endpoint group', () => endpointGroup(0, 'HEALTHY')),
    ...automation('Dial back'),
    'Bring the Region back': ok,
    'Notify timeout': ok,
    'Notify done': ok,
    'Notify failure': ok,
    ...overrides,
  };
}

/** Only the handlers of tasks the definition has (the harness refuses none missing, and ignores extras). */
function forDefinition(definition: AslDefinition, handlers: Record<string, TaskHandler>): Record<string, TaskHandler> {
  const text = JSON.stringify(definition);
  return Object.fromEntries(Object.entries(handlers).filter(([name]) => text.includes(JSON.stringify(name))));
}

const calls = (run: { calls: ReadonlyArray<{ state: string; parameters: any }> }, state: string) =>
  run.calls.filter((c) => c.state === state).map((c) => c.parameters);

describe('evacuate and restore are valid Amazon States Language', () => {
  it.each(['two-region', 'three-region', 'five-region'])('for the Regions of %s, in both modes', (name) => {
    const names = example(name).regions.map((r) => r.region);
    for (const mode of ['global-accelerator', 'route53-latency'] as const) {
      expect(aslProblems(evacuateDefinition(options(mode, names)))).toEqual([]);
      expect(aslProblems(restoreDefinition({ ...options(mode, names), timeoutMinutes: 30 }))).toEqual([]);
    }
  });

  it('refuses options it cannot build a runbook from', () => {
    expect(() => evacuateDefinition(options('global-accelerator', ['us-east-1']))).toThrow(/at least two Regions/);
    expect(() => evacuateDefinition(options('global-accelerator', ['us-east-1', 'us-east-1']))).toThrow(/listed twice/);
    const noGroups = options('global-accelerator').regions.map((r) => ({ ...r, endpointGroupArns: [] }));
    expect(() => evacuateDefinition({ ...options('global-accelerator'), regions: noGroups })).toThrow(/endpoint group ARNs/);
    const noSwitch = options('route53-latency').regions.map((r) => ({ ...r, switchHealthCheckId: undefined }));
    expect(() => restoreDefinition({ ...options('route53-latency'), regions: noSwitch, timeoutMinutes: 30 })).toThrow(
      /switch health check/,
    );
  });
});

describe('evacuate, run offline', () => {
  const ga = evacuateDefinition(options('global-accelerator'));
  const r53 = evacuateDefinition(options('route53-latency'));

  it('dials every endpoint group of the Region to 0, and nothing else, with Global Accelerator', async () => {
    const run = await runStateMachine(ga, { region: 'eu-west-1' }, forDefinition(ga, evacuateHandlers()));
    expect(run.status).toBe('SUCCEEDED');
    // Through the update document, one automation per group, each read until it ends.
    expect(calls(run, 'Dial to zero')).toEqual([
      started(AUTOMATION.updateDocumentName, { EndpointGroupArn: [groupArn('eu-west-1', 80)], TrafficDialPercentage: ['0'] }),
      started(AUTOMATION.updateDocumentName, { EndpointGroupArn: [groupArn('eu-west-1', 443)], TrafficDialPercentage: ['0'] }),
    ]);
    expect(calls(run, 'Dial to zero: read')).toEqual([
      { AutomationExecutionId: 'Dial to zero-1' },
      { AutomationExecutionId: 'Dial to zero-1' },
      { AutomationExecutionId: 'Dial to zero-2' },
      { AutomationExecutionId: 'Dial to zero-2' },
    ]);
    // It looked at the other Regions' groups (both ports of both), not at its own.
    expect(
      calls(run, 'Describe other endpoint group')
        .map((p) => p.Parameters.EndpointGroupArn[0])
        .sort(),
    ).toEqual(['us-east-1', 'us-west-2'].flatMap((r) => [groupArn(r, 80), groupArn(r, 443)]).sort());
    expect(calls(run, 'Describe other endpoint group')[0]).toEqual(
      started(AUTOMATION.describeDocumentName, { EndpointGroupArn: [expect.any(String)] }),
    );
    expect(calls(run, 'Notify start')[0]).toMatchObject({ TopicArn: TOPIC, Message: expect.stringContaining('eu-west-1') });
    expect(calls(run, 'Notify done')).toHaveLength(1);
  });

  it('forces the switch check unhealthy (threshold 2) with Route 53 latency records', async () => {
    const run = await runStateMachine(r53, { region: 'us-west-2' }, forDefinition(r53, evacuateHandlers()));
    expect(run.status).toBe('SUCCEEDED');
    expect(calls(run, 'Take the Region out')).toEqual([{ HealthCheckId: 'switch-us-west-2', HealthThreshold: 2 }]);
    expect(calls(run, 'Read other switch check').map((p) => p.HealthCheckId)).toEqual(['switch-us-east-1', 'switch-eu-west-1']);
  });

  it('refuses a Region it does not know, naming the configured ones, and calls nothing', async () => {
    for (const input of [{ region: 'ap-south-1' }, {}, { region: 42 }]) {
      const run = await runStateMachine(ga, input, forDefinition(ga, evacuateHandlers()));
      expect(run).toMatchObject({ status: 'FAILED', error: 'UnknownRegion' });
      expect(run.calls).toEqual([]);
    }
    expect(JSON.stringify(ga.States['Unknown Region'])).toContain('us-east-1, us-west-2, eu-west-1');
  });

  it('refuses to take out the last Region in traffic', async () => {
    // Every other group dialled down or without a healthy endpoint.
    const others = [
      endpointGroup(0, 'HEALTHY'),
      endpointGroup(100, 'UNHEALTHY'),
      endpointGroup(100, 'INITIAL'),
      endpointGroup(0, 'UNHEALTHY'),
    ];
    const run = await runStateMachine(
      ga,
      { region: 'eu-west-1' },
      forDefinition(ga, evacuateHandlers(automation('Describe other endpoint group', () => others.shift()))),
    );
    expect(run).toMatchObject({ status: 'FAILED', error: 'LastRegionInTraffic' });
    expect(calls(run, 'Dial to zero')).toEqual([]);
    expect(calls(run, 'Notify refusal')).toHaveLength(1);

    const off = () => ({ HealthCheck: { HealthCheckConfig: { HealthThreshold: 2 } } });
    const r53Run = await runStateMachine(
      r53,
      { region: 'eu-west-1' },
      forDefinition(r53, evacuateHandlers({ 'Read other switch check': off })),
    );
    expect(r53Run).toMatchObject({ status: 'FAILED', error: 'LastRegionInTraffic' });
    expect(calls(r53Run, 'Take the Region out')).toEqual([]);
  });

  it('retries throttled SSM calls, and notifies then fails on any other error', async () => {
    let throttled = 2;
    const dial = automation('Dial to zero');
    const run = await runStateMachine(
      ga,
      { region: 'us-east-1' },
      forDefinition(
        ga,
        evacuateHandlers({
          'Dial to zero': (parameters) => {
            if (throttled-- > 0) throw new AwsError('Ssm.ThrottlingException');
            return dial['Dial to zero'](parameters);
          },
        }),
      ),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retries['Dial to zero']).toBe(2);

    const denied = await runStateMachine(
      ga,
      { region: 'us-east-1' },
      forDefinition(
        ga,
        evacuateHandlers({
          'Dial to zero': () => {
            throw new AwsError('Ssm.AccessDeniedException');
          },
        }),
      ),
    );
    expect(denied).toMatchObject({ status: 'FAILED', error: 'EvacuateFailed' });
    expect(calls(denied, 'Notify failure')[0].Message).toContain('Ssm.AccessDeniedException');
  });

  it('notifies then fails when an automation fails, is cancelled, or runs too long', async () => {
    for (const status of ['Failed', 'Cancelled', 'TimedOut']) {
      const run = await runStateMachine(
        ga,
        { region: 'us-east-1' },
        forDefinition(ga, evacuateHandlers(automation('Dial to zero', () => ({ status })))),
      );
      expect(run).toMatchObject({ status: 'FAILED', error: 'EvacuateFailed' });
      expect(calls(run, 'Notify failure')).toHaveLength(1);
      expect(calls(run, 'Notify failure')[0].Message).toMatch(
        new RegExp(
          `^evacuate of us-east-1 failed: AutomationFailed SSM Automation Dial to zero-\\d of ${AUTOMATION.updateDocumentName} ended ${status}$`,
        ),
      );
      expect(calls(run, 'Notify done')).toEqual([]);
    }

    const stuck = await runStateMachine(
      ga,
      { region: 'us-east-1' },
      forDefinition(ga, evacuateHandlers(automation('Dial to zero', () => ({ status: 'InProgress' })))),
    );
    expect(stuck).toMatchObject({ status: 'FAILED', error: 'EvacuateFailed' });
    expect(calls(stuck, 'Dial to zero: read')).toHaveLength(24);
    expect(calls(stuck, 'Notify failure')[0].Message).toContain('AutomationTimedOut');
  });
});

describe('restore, run offline', () => {
  const ga = restoreDefinition({ ...options('global-accelerator', REGIONS, (r) => (r === 'eu-west-1' ? 40 : 100)), timeoutMinutes: 30 });
  const r53 = restoreDefinition({ ...options('route53-latency'), timeoutMinutes: 30 });

  it('waits while the Region is unhealthy, then dials back to the configured value', async () => {
    // Entry failing twice, then lag failing once, then an endpoint still INITIAL once, then all healthy.
    const entry = [failure, failure, success, success, success];
    const lag = [failure, success, success];
    const groups = [endpointGroup(0, 'HEALTHY'), endpointGroup(0, 'INITIAL'), endpointGroup(0, 'HEALTHY'), endpointGroup(0, 'HEALTHY')];
    const run = await runStateMachine(
      ga,
      { region: 'eu-west-1' },
      forDefinition(
        ga,
        restoreHandlers({
          'Read entry check': () => entry.shift(),
          'Read lag check': () => lag.shift(),
          ...automation('Describe endpoint group', () => groups.shift()),
        }),
      ),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states.filter((s) => s === 'Wait for health')).toHaveLength(4);
    expect(calls(run, 'Read entry check')[0]).toEqual({ HealthCheckId: 'entry-eu-west-1' });
    expect(calls(run, 'Read lag check')[0]).toEqual({ HealthCheckId: 'lag-eu-west-1' });
    expect(calls(run, 'Describe endpoint group')[0]).toEqual(
      started(AUTOMATION.describeDocumentName, { EndpointGroupArn: [expect.stringContaining('endpoint-group/eu-west-1-')] }),
    );
    expect(calls(run, 'Dial back')).toEqual([
      started(AUTOMATION.updateDocumentName, { EndpointGroupArn: [groupArn('eu-west-1', 80)], TrafficDialPercentage: ['40'] }),
      started(AUTOMATION.updateDocumentName, { EndpointGroupArn: [groupArn('eu-west-1', 443)], TrafficDialPercentage: ['40'] }),
    ]);
    expect(calls(run, 'Notify done')[0].Message).toContain('40 percent');
  });

  it('notifies then fails, and leaves the Region out, when reading the endpoints fails', async () => {
    const run = await runStateMachine(
      ga,
      { region: 'eu-west-1' },
      forDefinition(ga, restoreHandlers(automation('Describe endpoint group', () => ({ status: 'Failed' })))),
    );
    expect(run).toMatchObject({ status: 'FAILED', error: 'RestoreFailed' });
    expect(calls(run, 'Notify failure')[0].Message).toMatch(
      /^restore of eu-west-1 failed: AutomationFailed SSM Automation .* ended Failed$/,
    );
    expect(calls(run, 'Dial back')).toEqual([]);
  });

  it('counts no report at all as not healthy', async () => {
    const reports = [{ HealthCheckObservations: [] }, success];
    const run = await runStateMachine(
      r53,
      { region: 'us-east-1' },
      forDefinition(r53, restoreHandlers({ 'Read entry check': () => reports.shift() })),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(calls(run, 'Read entry check')).toHaveLength(2);
  });

  it('turns the switch check back on (threshold 1) with Route 53 latency records', async () => {
    const run = await runStateMachine(r53, { region: 'us-west-2' }, forDefinition(r53, restoreHandlers()));
    expect(run.status).toBe('SUCCEEDED');
    expect(calls(run, 'Bring the Region back')).toEqual([{ HealthCheckId: 'switch-us-west-2', HealthThreshold: 1 }]);
  });

  it('gives up after the configured timeout, notifies, and leaves the Region out', async () => {
    const run = await runStateMachine(ga, { region: 'us-east-1' }, forDefinition(ga, restoreHandlers({ 'Read lag check': () => failure })));
    expect(run).toMatchObject({ status: 'FAILED', error: 'RestoreTimedOut' });
    expect(calls(run, 'Read lag check')).toHaveLength(maxPolls(30, 60));
    expect(maxPolls(30, 60)).toBe(30);
    expect(calls(run, 'Dial back')).toEqual([]);
    expect(calls(run, 'Notify timeout')).toHaveLength(1);
  });

  it('retries throttled health reads', async () => {
    let throttled = 3;
    const run = await runStateMachine(
      r53,
      { region: 'eu-west-1' },
      forDefinition(
        r53,
        restoreHandlers({
          'Read entry check': () => {
            if (throttled-- > 0) throw new AwsError('Route53.ThrottlingException');
            return success;
          },
        }),
      ),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retries['Read entry check']).toBe(3);
  });

  it('refuses an unknown Region', async () => {
    const run = await runStateMachine(r53, { region: 'mars-1' }, forDefinition(r53, restoreHandlers()));
    expect(run).toMatchObject({ status: 'FAILED', error: 'UnknownRegion' });
  });
});

const AUTOMATION_NAMES = (region: string) => ({
  updateDocumentName: AUTOMATION.updateDocumentName,
  describeDocumentName: AUTOMATION.describeDocumentName,
  roleName: `acme-ga-automation-${region}`,
});

/** A stack with the traffic runbooks alone, made-up ids, synthesized. */
function runbookStack(mode: TrafficMode, region: string) {
  const stack = new TerraformStack(Testing.app(), 'runbooks');
  new AwsProvider(stack, 'aws', { region });
  const runbooks = new TrafficRunbooks(stack, 'traffic-runbooks', {
    mode,
    regions: trafficRegions(['us-east-1', 'us-west-2'], (r) => (r === 'us-west-2' ? 50 : 100)),
    region,
    accountId: '111122223333',
    kmsKeyArn: `arn:aws:kms:${region}:111122223333:key/k`,
    topicArn: TOPIC,
    timeoutMinutes: 20,
    evacuate: { stateMachineName: 'acme-evacuate', logGroupName: '/acme/runbooks/evacuate', roleName: `acme-evacuate-${region}` },
    restore: { stateMachineName: 'acme-restore', logGroupName: '/acme/runbooks/restore', roleName: `acme-restore-${region}` },
    ...(mode === 'global-accelerator' ? { automation: AUTOMATION_NAMES(region) } : {}),
  });
  return { runbooks, json: JSON.parse(Testing.synth(stack)) as TerraformJson };
}

/**
 * The resource at a construct path: by the metadata of a stack's synthesis, or (`Testing.synth`, which
 * drops metadata) by the logical name cdktf derives from the path.
 */
function at(stack: TerraformJson, type: string, constructPath: string): { name: string; body: TerraformJson } {
  const prefix = `${constructPath.split('/').slice(1).join('_')}_`;
  const named = Object.entries(resources(stack, type)).find(([name, body]) => !body['//'] && name.startsWith(prefix));
  return named ? { name: named[0], body: named[1] } : resourceAt(stack, type, constructPath);
}

/** The inline policy statements of the role at a construct path, without the Runbook's own two (key and log delivery). */
function permissions(
  stack: TerraformJson,
  rolePolicyPath: string,
  own = ['UseTheStateMachineKey', 'DeliverExecutionLogs'],
): TerraformJson[] {
  const policy = at(stack, 'aws_iam_role_policy', rolePolicyPath);
  return policyStatements(stack, policy.body.policy as string)
    .filter((s) => !own.includes(s.sid as string))
    .map((s) => ({ sid: s.sid, actions: s.actions, resources: s.resources, ...(s.condition ? { condition: s.condition } : {}) }));
}

const NOTIFY_STATEMENTS = (region: string) => [
  { sid: 'Notify', actions: ['sns:Publish'], resources: [TOPIC] },
  {
    sid: 'EncryptNotifications',
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: [`arn:aws:kms:${region}:111122223333:key/k`],
    condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${region}.amazonaws.com`] }],
  },
];

describe('the TrafficRunbooks construct', () => {
  it('puts both runbooks in us-west-2 with Global Accelerator, allowed exactly the calls they make', () => {
    const { runbooks, json } = runbookStack('global-accelerator', 'us-west-2');
    const machines = resources(json, 'aws_sfn_state_machine');
    expect(
      Object.values(machines)
        .map((m) => m.name)
        .sort(),
    ).toEqual(['acme-evacuate', 'acme-restore']);
    const evacuate = at(json, 'aws_sfn_state_machine', 'runbooks/traffic-runbooks/evacuate/state-machine').body;
    const definition = JSON.parse(evacuate.definition as string) as AslDefinition;
    expect(definition.States['Select us-west-2']).toMatchObject({
      Result: { endpointGroupArns: [groupArn('us-west-2', 80), groupArn('us-west-2', 443)] },
    });
    const restore = JSON.parse(
      at(json, 'aws_sfn_state_machine', 'runbooks/traffic-runbooks/restore/state-machine').body.definition as string,
    );
    expect(restore.States['Select us-west-2'].Result.trafficDialPercentage).toBe(50);
    expect(restore.States['Timed out?'].Choices[0].NumericGreaterThanEquals).toBe(20);
    // The backstop outlasts 20 polls that each may wait the describe automations' two minutes.
    expect(restore.TimeoutSeconds).toBe(20 * 60 + 20 * 120 + 15 * 60);

    const groups = ['us-east-1', 'us-west-2'].flatMap((r) => [groupArn(r, 80), groupArn(r, 443)]);
    // Global Accelerator only through the two Automation documents, as the automation role.
    const [automationRole] = Object.entries(resources(json, 'aws_iam_role'))
      .filter(([, body]) => body.name === 'acme-ga-automation-us-west-2')
      .map(([name, body]) => ({ name, body }));
    const dial = [
      {
        sid: 'StartEndpointGroupAutomations',
        actions: ['ssm:StartAutomationExecution'],
        resources: [
          'arn:aws:ssm:us-west-2:111122223333:automation-definition/acme-update-endpoint-group:*',
          'arn:aws:ssm:us-west-2:111122223333:automation-definition/acme-describe-endpoint-group:*',
        ],
      },
      {
        sid: 'ReadEndpointGroupAutomations',
        actions: ['ssm:GetAutomationExecution'],
        resources: ['arn:aws:ssm:us-west-2:111122223333:automation-execution/*'],
      },
      {
        sid: 'PassTheAutomationRole',
        actions: ['iam:PassRole'],
        resources: [ref('aws_iam_role', automationRole.name, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ssm.amazonaws.com'] }],
      },
    ];
    expect(permissions(json, 'runbooks/traffic-runbooks/evacuate/role/policy')).toEqual([...dial, ...NOTIFY_STATEMENTS('us-west-2')]);
    // The state machines call no Global Accelerator API themselves (Step Functions has no integration for it).
    expect(evacuate.definition).not.toContain('aws-sdk:globalaccelerator');
    expect(JSON.stringify(restore)).not.toContain('aws-sdk:globalaccelerator');
    expect(evacuate.definition).toContain(ref('aws_iam_role', automationRole.name, 'arn'));

    // The automation role: assumed by SSM Automation of this account and Region, may read and dial the groups.
    expect(automationRole.body.name).toBe('acme-ga-automation-us-west-2');
    expect(policyStatements(json, automationRole.body.assume_role_policy as string)).toEqual([
      expect.objectContaining({
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['ssm.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:ssm:us-west-2:111122223333:automation-execution/*'] },
        ],
      }),
    ]);
    expect(permissions(json, 'runbooks/traffic-runbooks/automation-role/policy', [])).toEqual([
      {
        sid: 'DialEndpointGroups',
        actions: ['globalaccelerator:DescribeEndpointGroup', 'globalaccelerator:UpdateEndpointGroup'],
        resources: groups,
      },
    ]);
    expect(permissions(json, 'runbooks/traffic-runbooks/restore/role/policy')).toEqual([
      {
        sid: 'ReadRegionHealth',
        actions: ['route53:GetHealthCheckStatus'],
        resources: ['us-east-1', 'us-west-2'].flatMap((r) => [
          `arn:aws:route53:::healthcheck/entry-${r}`,
          `arn:aws:route53:::healthcheck/lag-${r}`,
        ]),
      },
      ...dial,
      ...NOTIFY_STATEMENTS('us-west-2'),
    ]);
    expect(runbooks.evacuateArn).toBe(runbooks.evacuate.stateMachineArn);
  });

  it('with Route 53 latency records, may change only the switch checks, and read the others', () => {
    const { json } = runbookStack('route53-latency', 'us-east-1');
    const switches = ['us-east-1', 'us-west-2'].map((r) => `arn:aws:route53:::healthcheck/switch-${r}`);
    expect(permissions(json, 'runbooks/traffic-runbooks/evacuate/role/policy')).toEqual([
      { sid: 'SwitchHealthChecks', actions: ['route53:GetHealthCheck', 'route53:UpdateHealthCheck'], resources: switches },
      ...NOTIFY_STATEMENTS('us-east-1'),
    ]);
    expect(permissions(json, 'runbooks/traffic-runbooks/restore/role/policy')[1]).toEqual({
      sid: 'SwitchHealthChecks',
      actions: ['route53:UpdateHealthCheck'],
      resources: switches,
    });
  });

  it('creates the two Automation documents that call Global Accelerator, with the outputs the runbooks read', () => {
    const { json, runbooks } = runbookStack('global-accelerator', 'us-west-2');
    const documents = resources(json, 'aws_ssm_document');
    expect(Object.keys(documents)).toHaveLength(2);
    const update = at(json, 'aws_ssm_document', 'runbooks/traffic-runbooks/update-endpoint-group').body;
    const describe = at(json, 'aws_ssm_document', 'runbooks/traffic-runbooks/describe-endpoint-group').body;
    for (const [document, name] of [
      [update, 'acme-update-endpoint-group'],
      [describe, 'acme-describe-endpoint-group'],
    ] as const) {
      expect(document).toMatchObject({ name, document_type: 'Automation', document_format: 'JSON' });
    }
    const updateContent = JSON.parse(update.content as string);
    expect(updateContent).toMatchObject({ schemaVersion: '0.3', assumeRole: '{{ AutomationAssumeRole }}' });
    expect(Object.keys(updateContent.parameters)).toEqual(['AutomationAssumeRole', 'EndpointGroupArn', 'TrafficDialPercentage']);
    expect(updateContent.parameters.TrafficDialPercentage.type).toBe('Integer');
    expect(updateContent.mainSteps).toEqual([
      expect.objectContaining({
        name: 'UpdateEndpointGroup',
        action: 'aws:executeAwsApi',
        isEnd: true,
        inputs: {
          Service: 'globalaccelerator',
          Api: 'UpdateEndpointGroup',
          EndpointGroupArn: '{{ EndpointGroupArn }}',
          TrafficDialPercentage: '{{ TrafficDialPercentage }}',
        },
      }),
    ]);
    expect(new RegExp(updateContent.parameters.EndpointGroupArn.allowedPattern).test(groupArn('us-east-1', 443))).toBe(true);

    const describeContent = JSON.parse(describe.content as string);
    expect(describeContent).toMatchObject({ schemaVersion: '0.3', assumeRole: '{{ AutomationAssumeRole }}' });
    expect(Object.keys(describeContent.parameters)).toEqual(['AutomationAssumeRole', 'EndpointGroupArn']);
    expect(describeContent.mainSteps).toEqual([
      expect.objectContaining({
        name: 'DescribeEndpointGroup',
        action: 'aws:executeAwsApi',
        inputs: { Service: 'globalaccelerator', Api: 'DescribeEndpointGroup', EndpointGroupArn: '{{ EndpointGroupArn }}' },
        outputs: [
          { Name: 'TrafficDialPercentage', Selector: '$.EndpointGroup.TrafficDialPercentage', Type: 'String' },
          { Name: 'HealthStates', Selector: '$.EndpointGroup.EndpointDescriptions..HealthState', Type: 'StringList' },
        ],
      }),
    ]);
    // The keys the runbooks read from GetAutomationExecution's Outputs are the document's outputs.
    expect(describeContent.outputs).toEqual(['DescribeEndpointGroup.TrafficDialPercentage', 'DescribeEndpointGroup.HealthStates']);
    const evacuate = at(json, 'aws_sfn_state_machine', 'runbooks/traffic-runbooks/evacuate/state-machine').body.definition as string;
    for (const key of describeContent.outputs) expect(evacuate).toContain(`Outputs['${key}']`);
    expect(runbooks.documents?.update.name).toBeDefined();
  });

  it('has no Automation documents with Route 53 latency records, and needs them with Global Accelerator', () => {
    const { json } = runbookStack('route53-latency', 'us-east-1');
    expect(resources(json, 'aws_ssm_document')).toEqual({});
    expect(JSON.stringify(json)).not.toContain('ssm:');
    const stack = new TerraformStack(Testing.app(), 'no-automation');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    expect(
      () =>
        new TrafficRunbooks(stack, 'traffic-runbooks', {
          mode: 'global-accelerator',
          regions: trafficRegions(['us-east-1', 'us-west-2']),
          region: 'us-west-2',
          accountId: '111122223333',
          kmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/k',
          topicArn: TOPIC,
          evacuate: { stateMachineName: 'a', logGroupName: '/a', roleName: 'a' },
          restore: { stateMachineName: 'b', logGroupName: '/b', roleName: 'b' },
        }),
    ).toThrow(/automation must name its SSM Automation documents/);
  });

  it('refuses to put Global Accelerator runbooks outside us-west-2, where its API is not', () => {
    expect(() => runbookStack('global-accelerator', 'us-east-1')).toThrow(/must run in us-west-2/);
  });
});

describe('the automatic triggers', () => {
  const dirs: string[] = [];
  const synthOf = (config: ResolvedConfig) => {
    const result = synth(config);
    dirs.push(path.dirname(result.outdir));
    return result;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const withResilience = (name: string, resilience: Record<string, unknown>) => {
    const input = exampleInput(name) as Record<string, unknown>;
    return configFrom({ ...input, resilience: { ...((input.resilience as object) ?? {}), ...resilience } });
  };
  const rules = (stack: TerraformJson | undefined) => resources(stack, 'aws_cloudwatch_event_rule');
  const targets = (stack: TerraformJson | undefined) => resources(stack, 'aws_cloudwatch_event_target');
  const impaired = impairedAlarm;
  const pattern = (...regions: string[]) => ({
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { alarmName: regions.map(impaired), state: { value: ['ALARM'] } },
  });

  it('are off by default: no rule anywhere', () => {
    const { stacks } = synthOf(example('two-region'));
    expect([...stacks.values()].flatMap((stack) => Object.keys(rules(stack)))).toEqual([]);
  });

  it("autoEvacuate forwards every Region's impaired alarm but the home Region's to the home Region's default bus", () => {
    const { stacks } = synthOf(withResilience('three-region', { autoEvacuate: true }));
    // us-west-2 is the home of the edge stack with Global Accelerator: its alarm events are already there.
    expect(rules(stacks.get('region-us-west-2'))).toEqual({});
    for (const region of ['us-east-1', 'eu-west-1']) {
      const stack = stacks.get(`region-${region}`)!;
      const [rule] = Object.values(rules(stack));
      expect(rule.name).toBe('acme-shop-forward-impaired');
      expect(JSON.parse(rule.event_pattern as string)).toEqual(pattern(region));
      const [target] = Object.values(targets(stack));
      expect(target).toMatchObject({ arn: 'arn:aws:events:us-west-2:111122223333:event-bus/default', target_id: 'forward-to-us-west-2' });
      const role = at(stack, 'aws_iam_role', 'region-' + region + '/alarm-forwarder/role/role');
      expect(target.role_arn).toBe(ref('aws_iam_role', role.name, 'arn'));
      expect(role.body.name).toBe(`acme-shop-forward-alarms-${region}`);
      expect(permissions(stack, `region-${region}/alarm-forwarder/role/policy`, [])).toEqual([
        {
          sid: 'ForwardToTheRunbookRegions',
          actions: ['events:PutEvents'],
          resources: ['arn:aws:events:us-west-2:111122223333:event-bus/default'],
        },
      ]);
      const trust = policyStatements(stack, role.body.assume_role_policy as string)[0];
      expect(trust.condition).toEqual([
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] },
        { test: 'ArnEquals', variable: 'aws:SourceArn', values: [`arn:aws:events:${region}:111122223333:rule/acme-shop-forward-impaired`] },
      ]);
    }
  });

  it("autoPromote starts promote-database as a failover in failoverRegion, on the primary Region's alarm; one forwarding rule serves both triggers", () => {
    const { stacks } = synthOf(withResilience('three-region', { autoEvacuate: true, autoPromote: true, failoverRegion: 'eu-west-1' }));
    const primary = stacks.get('region-us-east-1')!;
    expect(Object.keys(rules(primary))).toHaveLength(1);
    expect(
      Object.values(targets(primary))
        .map((t) => t.arn)
        .sort(),
    ).toEqual(['arn:aws:events:eu-west-1:111122223333:event-bus/default', 'arn:aws:events:us-west-2:111122223333:event-bus/default']);
    expect(permissions(primary, 'region-us-east-1/alarm-forwarder/role/policy', [])[0].resources).toEqual([
      'arn:aws:events:us-west-2:111122223333:event-bus/default',
      'arn:aws:events:eu-west-1:111122223333:event-bus/default',
    ]);

    const failover = stacks.get('region-eu-west-1')!;
    const start = Object.values(rules(failover)).find((r) => r.name === 'acme-shop-start-promote-database')!;
    expect(JSON.parse(start.event_pattern as string)).toEqual(pattern('us-east-1'));
    const promote = 'arn:aws:states:eu-west-1:111122223333:stateMachine:acme-shop-promote-database';
    const target = Object.values(targets(failover)).find((t) => t.arn === promote)!;
    // Only while the configured primary's cluster still writes: after a switchover its alarm is not about the writer.
    expect(JSON.parse(target.input as string)).toEqual({
      mode: 'failover',
      allowDataLoss: true,
      onlyIfWriter: 'arn:aws:rds:us-east-1:111122223333:cluster:acme-shop-us-east-1',
    });
    expect(permissions(failover, 'region-eu-west-1/auto-promote/role/policy', [])).toEqual([
      { sid: 'StartTheRunbook', actions: ['states:StartExecution'], resources: [promote] },
      // StartExecution encrypts the input with the state machine's key.
      {
        sid: 'EncryptTheExecutionInput',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [ref('aws_kms_key', resourceAt(failover, 'aws_kms_key', 'region-eu-west-1/regional-key/key').name, 'arn')],
        condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:states:stateMachineArn', values: [promote] }],
      },
    ]);
    // No other Region starts promote-database.
    for (const region of ['us-east-1', 'us-west-2']) {
      expect(Object.values(targets(stacks.get(`region-${region}`))).map((t) => t.arn)).not.toContain(
        `arn:aws:states:${region}:111122223333:stateMachine:acme-shop-promote-database`,
      );
    }
  });

  it("forwards the primary Region's alarm once when the failover Region is also the home Region", () => {
    const { stacks } = synthOf(withResilience('two-region', { autoEvacuate: true, autoPromote: true }));
    expect(Object.values(targets(stacks.get('region-us-east-1'))).map((t) => t.arn)).toEqual([
      'arn:aws:events:us-west-2:111122223333:event-bus/default',
    ]);
  });

  it('start evacuate with the Region of the alarm that fired', () => {
    const stack = new TerraformStack(Testing.app(), 'edge');
    new AwsProvider(stack, 'aws', { region: 'us-west-2' });
    new RunbookTrigger(stack, 'auto-evacuate', {
      ruleName: 'acme-shop-start-evacuate',
      alarmNames: REGIONS.map(impaired),
      stateMachineArn: 'arn:aws:states:us-west-2:111122223333:stateMachine:acme-shop-evacuate',
      input: { fromEvent: { region: '$.region' } },
      region: 'us-west-2',
      accountId: '111122223333',
      roleName: 'acme-shop-start-evacuate-us-west-2',
      stateMachineKmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/test',
    });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    const [rule] = Object.values(rules(json));
    expect(JSON.parse(rule.event_pattern as string)).toEqual(pattern(...REGIONS));
    const [target] = Object.values(targets(json));
    expect(target.input_transformer).toEqual({ input_paths: { region: '$.region' }, input_template: '{"region": <region>}' });
    // What EventBridge makes of it for an alarm of eu-west-1: the template with the value as a JSON string.
    const event = { region: 'eu-west-1' };
    const rendered = (target.input_transformer as TerraformJson).input_template.replace('<region>', JSON.stringify(event.region));
    expect(JSON.parse(rendered)).toEqual({ region: 'eu-west-1' });
  });
});

describe('real Terraform, offline', () => {
  it('plans the runbooks of both modes, a forwarder and a trigger, without warnings', async () => {
    const root = tempDir();
    try {
      const outdir = path.join(root, 'cdktf.out');
      const app = new App({ outdir, stackTraces: false });
      const stack = (name: string, region: string) => {
        const created = new TerraformStack(app, name);
        pinVersions(created);
        new AwsProvider(created, 'aws', { region, allowedAccountIds: ['111122223333'] });
        return created;
      };
      const names = (runbook: string, region: string) => ({
        stateMachineName: `acme-${runbook}`,
        logGroupName: `/acme/runbooks/${runbook}`,
        roleName: `acme-${runbook}-${region}`,
      });
      const counts: Record<string, number> = {};
      for (const [mode, region] of [
        ['global-accelerator', 'us-west-2'],
        ['route53-latency', 'us-east-1'],
      ] as const) {
        const edge = stack(`edge-${mode}`, region);
        // The topic from a resource, as in the edge stack: a definition fully known at plan time is sent to
        // the Step Functions API for validation (hashicorp/aws 5.67 and later), which an offline plan cannot reach.
        const topic = new SnsTopic(edge, 'alerts', { name: 'acme-edge-alerts' });
        const runbooks = new TrafficRunbooks(edge, 'traffic-runbooks', {
          mode,
          regions: trafficRegions(['us-east-1', 'us-west-2']),
          region,
          accountId: '111122223333',
          kmsKeyArn: `arn:aws:kms:${region}:111122223333:key/0e8c5a8e-1111-4222-8333-944445555660`,
          topicArn: topic.arn,
          evacuate: names('evacuate', region),
          restore: names('restore', region),
          ...(mode === 'global-accelerator' ? { automation: AUTOMATION_NAMES(region) } : {}),
        });
        new RunbookTrigger(edge, 'auto-evacuate', {
          ruleName: 'acme-start-evacuate',
          alarmNames: ['us-east-1', 'us-west-2'].map(impairedAlarm),
          stateMachineArn: runbooks.evacuateArn,
          input: { fromEvent: { region: '$.region' } },
          region,
          accountId: '111122223333',
          roleName: `acme-start-evacuate-${region}`,
          stateMachineKmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/test',
        });
      }
      const regional = stack('region-eu-west-1', 'eu-west-1');
      new AlarmForwarder(regional, 'alarm-forwarder', {
        ruleName: 'acme-forward-impaired',
        alarmNames: [impairedAlarm('eu-west-1')],
        destinationRegions: ['us-west-2', 'us-east-1'],
        region: 'eu-west-1',
        accountId: '111122223333',
        roleName: 'acme-forward-alarms-eu-west-1',
      });
      new RunbookTrigger(regional, 'auto-promote', {
        ruleName: 'acme-start-promote-database',
        alarmNames: [impairedAlarm('us-east-1')],
        stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:acme-promote-database',
        input: { fixed: { mode: 'failover', allowDataLoss: true } },
        region: 'eu-west-1',
        accountId: '111122223333',
        roleName: 'acme-start-promote-db-eu-west-1',
        stateMachineKmsKeyArn: 'arn:aws:kms:us-west-2:111122223333:key/test',
      });
      app.synth();
      for (const name of ['edge-global-accelerator', 'edge-route53-latency', 'region-eu-west-1']) {
        counts[name] = resourceCount(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')));
      }

      const report = await checkSynthesized(outdir);
      if (!report.ok) throw new Error(formatReport(report));
      for (const r of report.results) {
        expect(r.warnings).toEqual([]);
        expect(r.planned).toEqual({ add: counts[r.stack], change: 0, remove: 0 });
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('configuration of the triggers', () => {
  it('refuses autoEvacuate without the health checks that restore reads', () => {
    const input = exampleInput() as Record<string, unknown>;
    expect(configProblems({ ...input, resilience: { autoEvacuate: true, healthChecks: { enabled: false } } })).toEqual([
      'resilience.autoEvacuate: starts evacuate, which exists only with the Route 53 health checks that restore reads, but resilience.healthChecks.enabled is false. Fix: enable the health checks, or set it to false',
    ]);
    expect(configProblems({ ...input, resilience: { autoEvacuate: true } })).toEqual([]);
    expect(configProblems({ ...input, resilience: { autoPromote: true, healthChecks: { enabled: false } } })).toEqual([]);
  });
});
