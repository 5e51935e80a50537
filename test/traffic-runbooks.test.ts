import { evacuateDefinition } from '../src/planning/runbooks/evacuate';
import { maxPolls, restoreDefinition } from '../src/planning/runbooks/restore';
import type { TrafficMode, TrafficRegion } from '../src/planning/runbooks/traffic';
import type { AslDefinition } from '../src/planning/runbooks/asl';
import { example } from './helpers';
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
const options = (mode: TrafficMode, names = REGIONS, dial?: (region: string) => number) => ({
  mode,
  regions: trafficRegions(names, dial),
  topicArn: TOPIC,
});

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
const endpointGroup = (dial: number, ...health: string[]) => ({
  EndpointGroup: { TrafficDialPercentage: dial, EndpointDescriptions: health.map((HealthState) => ({ HealthState })) },
});

/** Handlers for every task of the evacuate definition, Global Accelerator mode. */
function evacuateHandlers(overrides: Record<string, TaskHandler> = {}): Record<string, TaskHandler> {
  return {
    'Describe other endpoint group': () => endpointGroup(100, 'HEALTHY'),
    'Read other switch check': () => ({ HealthCheck: { HealthCheckConfig: { HealthThreshold: 1 } } }),
    'Dial to zero': ok,
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
    'Describe endpoint group': () => endpointGroup(0, 'HEALTHY'),
    'Dial back': ok,
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
    expect(calls(run, 'Dial to zero')).toEqual([
      { EndpointGroupArn: groupArn('eu-west-1', 80), TrafficDialPercentage: 0 },
      { EndpointGroupArn: groupArn('eu-west-1', 443), TrafficDialPercentage: 0 },
    ]);
    // It looked at the other Regions' groups (both ports of both), not at its own.
    expect(calls(run, 'Describe other endpoint group').map((p) => p.EndpointGroupArn)).toEqual(
      ['us-east-1', 'us-west-2'].flatMap((r) => [groupArn(r, 80), groupArn(r, 443)]),
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
    let n = 0;
    const others = () =>
      [endpointGroup(0, 'HEALTHY'), endpointGroup(100, 'UNHEALTHY'), endpointGroup(100, 'INITIAL'), endpointGroup(0, 'UNHEALTHY')][n++];
    const run = await runStateMachine(
      ga,
      { region: 'eu-west-1' },
      forDefinition(ga, evacuateHandlers({ 'Describe other endpoint group': others })),
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

  it('retries throttled calls, and notifies then fails on any other error', async () => {
    let throttled = 2;
    const run = await runStateMachine(
      ga,
      { region: 'us-east-1' },
      forDefinition(
        ga,
        evacuateHandlers({
          'Dial to zero': () => {
            if (throttled-- > 0) throw new AwsError('GlobalAccelerator.ThrottlingException');
            return {};
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
            throw new AwsError('GlobalAccelerator.AccessDeniedException');
          },
        }),
      ),
    );
    expect(denied).toMatchObject({ status: 'FAILED', error: 'EvacuateFailed' });
    expect(calls(denied, 'Notify failure')[0].Message).toContain('GlobalAccelerator.AccessDeniedException');
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
          'Describe endpoint group': () => groups.shift(),
        }),
      ),
    );
    expect(run.status).toBe('SUCCEEDED');
    expect(run.states.filter((s) => s === 'Wait for health')).toHaveLength(4);
    expect(calls(run, 'Read entry check')[0]).toEqual({ HealthCheckId: 'entry-eu-west-1' });
    expect(calls(run, 'Read lag check')[0]).toEqual({ HealthCheckId: 'lag-eu-west-1' });
    expect(calls(run, 'Dial back')).toEqual([
      { EndpointGroupArn: groupArn('eu-west-1', 80), TrafficDialPercentage: 40 },
      { EndpointGroupArn: groupArn('eu-west-1', 443), TrafficDialPercentage: 40 },
    ]);
    expect(calls(run, 'Notify done')[0].Message).toContain('40 percent');
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
