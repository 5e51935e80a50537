import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AslDefinition } from '../src/planning/runbooks/asl';
import { PROMOTION_REFUSALS, promoteDatabaseDefinition, RDS_PROMOTION_FAULTS } from '../src/planning/runbooks/promote-database';
import { configFrom, exampleInput, exampleLayouts, policyStatements, ref, resourceAt, resources, synth } from './helpers';
import { aslProblems, AwsError, runStateMachine, type TaskHandler } from './state-machines';

const REGION = 'eu-west-1';
const ACCOUNT = '111111111111';
const GLOBAL = 'shop';
const THIS = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:shop-${REGION}`;
const OTHER = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:shop-us-east-1`;
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:shop-alerts`;

const definition = promoteDatabaseDefinition({
  region: REGION,
  globalClusterIdentifier: GLOBAL,
  clusterArn: THIS,
  topicArn: TOPIC,
  timeoutMinutes: 10,
  pollSeconds: 60,
});

/**
 * A DescribeGlobalClusters answer as an SDK integration returns it (member names of the AWS SDK for
 * Java 2.x: `DbClusterArn`, not the API's `DBClusterArn`): `writer` is the writer's ARN.
 */
function described(writer: string, status = 'available', failoverState?: Record<string, unknown>) {
  return {
    GlobalClusters: [
      {
        GlobalClusterIdentifier: GLOBAL,
        Status: status,
        GlobalClusterMembers: [OTHER, THIS].map((arn) => ({ DbClusterArn: arn, IsWriter: arn === writer, Readers: [] })),
        ...(failoverState ? { FailoverState: failoverState } : {}),
      },
    ],
  };
}

/** Handlers for every task: notifications recorded, RDS as given. */
function world(rds: { describe: TaskHandler; switchover?: TaskHandler; failover?: TaskHandler }) {
  const messages: Array<{ subject: string; message: string }> = [];
  const publish: TaskHandler = (parameters: { Subject: string; Message: string }) => {
    messages.push({ subject: parameters.Subject, message: parameters.Message });
    return { MessageId: String(messages.length) };
  };
  const handlers: Record<string, TaskHandler> = {
    'Describe global cluster': rds.describe,
    'Describe progress': rds.describe,
    'Switch over': rds.switchover ?? (() => ({})),
    'Fail over': rds.failover ?? (() => ({})),
  };
  for (const name of Object.keys(definition.States)) if (name.startsWith('Notify ')) handlers[name] = publish;
  return { handlers, messages };
}

/** RDS whose writer moves to this Region after `after` describes that follow the request. */
function movingWriter(after: number) {
  let requested = false;
  let polls = 0;
  return {
    describe: () => {
      if (!requested) return described(OTHER);
      polls += 1;
      return polls >= after ? described(THIS) : described(OTHER, 'switching-over', { Status: 'failing-over' });
    },
    request: () => {
      requested = true;
      return { GlobalCluster: {} };
    },
  };
}

describe('promote-database definition', () => {
  it('is valid Amazon States Language', () => {
    expect(aslProblems(definition)).toEqual([]);
  });

  it('polls for timeoutMinutes at most, and refuses options that cannot', () => {
    expect(definition.States['Promoted?']).toMatchObject({
      Choices: [expect.anything(), { Variable: '$.poll.count', NumericGreaterThanEquals: 10, Next: 'Notify Timeout' }],
    });
    expect(definition.States.Wait).toMatchObject({ Seconds: 60 });
    const options = { region: REGION, globalClusterIdentifier: GLOBAL, clusterArn: THIS, topicArn: TOPIC };
    expect(() => promoteDatabaseDefinition({ ...options, timeoutMinutes: 0 })).toThrow(/timeoutMinutes/);
    expect(() => promoteDatabaseDefinition({ ...options, timeoutMinutes: 1, pollSeconds: 61 })).toThrow(/pollSeconds/);
  });

  it('switches over, polls until this Region is the writer of an available global cluster, and notifies each step', async () => {
    const rds = movingWriter(3);
    const { handlers, messages } = world({ describe: rds.describe, switchover: rds.request });
    const run = await runStateMachine(definition, { mode: 'switchover' }, handlers);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.filter((c) => !c.state.startsWith('Notify')).map((c) => c.state)).toEqual([
      'Describe global cluster',
      'Switch over',
      'Describe progress',
      'Describe progress',
      'Describe progress',
    ]);
    expect(run.calls.find((c) => c.state === 'Switch over')?.parameters).toEqual({
      GlobalClusterIdentifier: GLOBAL,
      TargetDbClusterIdentifier: THIS,
    });
    expect(run.calls[1].parameters).toEqual({ GlobalClusterIdentifier: GLOBAL });
    expect(messages.map((m) => m.subject)).toEqual([
      `promote-database ${REGION}: started`,
      `promote-database ${REGION}: requested`,
      `promote-database ${REGION}: succeeded`,
    ]);
    expect(messages[1].message).toMatch(/^Requested a switchover to make/);
  });

  it('refuses a bad mode', async () => {
    for (const input of [{}, { mode: 'promote' }, { mode: 3 }]) {
      const { handlers, messages } = world({ describe: () => described(OTHER) });
      const run = await runStateMachine(definition, input, handlers);
      expect(run).toMatchObject({ status: 'FAILED', error: 'ModeNotSupported', cause: PROMOTION_REFUSALS.ModeNotSupported });
      expect(messages.at(-1)?.subject).toBe(`promote-database ${REGION}: refused (ModeNotSupported)`);
    }
  });

  it('fails over only with allowDataLoss', async () => {
    const rds = movingWriter(1);
    const { handlers } = world({ describe: rds.describe, failover: rds.request });
    const run = await runStateMachine(definition, { mode: 'failover', allowDataLoss: true }, handlers);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.find((c) => c.state === 'Fail over')?.parameters).toEqual({
      GlobalClusterIdentifier: GLOBAL,
      TargetDbClusterIdentifier: THIS,
      AllowDataLoss: true,
    });

    for (const input of [{ mode: 'failover' }, { mode: 'failover', allowDataLoss: false }, { mode: 'failover', allowDataLoss: 'true' }]) {
      const refused = world({ describe: () => described(OTHER) });
      const run2 = await runStateMachine(definition, input, refused.handlers);
      expect(run2).toMatchObject({ status: 'FAILED', error: 'DataLossNotAllowed' });
      expect(run2.calls.filter((c) => !c.state.startsWith('Notify'))).toEqual([]);
    }
  });

  it('refuses when already the writer, busy, or not a member', async () => {
    const cases: Array<[unknown, string]> = [
      [described(THIS), 'AlreadyWriter'],
      [described(OTHER, 'modifying'), 'GlobalClusterBusy'],
      [described(OTHER, 'switching-over'), 'GlobalClusterBusy'],
      [
        { GlobalClusters: [{ ...described(OTHER).GlobalClusters[0], GlobalClusterMembers: [{ DbClusterArn: OTHER, IsWriter: true }] }] },
        'NotAMember',
      ],
    ];
    for (const [answer, error] of cases) {
      const { handlers, messages } = world({ describe: () => answer });
      const run = await runStateMachine(definition, { mode: 'switchover' }, handlers);
      expect(run).toMatchObject({ status: 'FAILED', error });
      expect(run.calls.map((c) => c.state)).not.toContain('Switch over');
      expect(messages.at(-1)?.subject).toBe(`promote-database ${REGION}: refused (${error})`);
    }
  });

  it('times out when the writer never moves', async () => {
    const { handlers, messages } = world({ describe: () => described(OTHER), switchover: () => ({}) });
    const run = await runStateMachine(definition, { mode: 'switchover' }, handlers);
    expect(run).toMatchObject({ status: 'FAILED', error: 'Timeout' });
    expect(run.calls.filter((c) => c.state === 'Describe progress')).toHaveLength(10);
    expect(messages.at(-1)?.subject).toBe(`promote-database ${REGION}: failed (Timeout)`);
  });

  // RDS's throttling error is not in its model: Step Functions raises it as Rds.RdsException.
  it.each(['Rds.ThrottlingException', 'Rds.RdsException'])('retries a describe throttled as %s', async (name) => {
    const rds = movingWriter(1);
    let throttled = 2;
    const { handlers } = world({
      describe: () => {
        if (throttled-- > 0) throw new AwsError(name);
        return rds.describe();
      },
      switchover: rds.request,
    });
    const run = await runStateMachine(definition, { mode: 'switchover' }, handlers);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.retries['Describe global cluster']).toBe(2);
  });

  it('with onlyIfWriter, fails over only while that cluster is still the writer', async () => {
    const input = { mode: 'failover', allowDataLoss: true, onlyIfWriter: OTHER };
    const moving = movingWriter(1);
    const allowed = world({ describe: moving.describe, failover: moving.request });
    const run = await runStateMachine(definition, input, allowed.handlers);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.calls.some((c) => c.state === 'Fail over')).toBe(true);

    // The writer is a third cluster now: the alarm that asked for this run is about a Region that no longer writes.
    const third = `${OTHER}-third`;
    const withThird = described(third);
    withThird.GlobalClusters[0].GlobalClusterMembers.push({ DbClusterArn: third, IsWriter: true, Readers: [] });
    const elsewhere = world({ describe: () => withThird, failover: () => ({}) });
    const refused = await runStateMachine(definition, input, elsewhere.handlers);
    expect(refused).toMatchObject({ status: 'FAILED', error: 'WriterMoved' });
    expect(refused.calls.some((c) => c.state === 'Fail over')).toBe(false);
    expect(elsewhere.messages.at(-1)?.subject).toBe(`promote-database ${REGION}: refused (WriterMoved)`);
  });

  it('fails with a notification when RDS refuses the switchover', async () => {
    for (const fault of RDS_PROMOTION_FAULTS) {
      const { handlers, messages } = world({
        describe: () => described(OTHER),
        switchover: () => {
          throw new AwsError(fault, 'The global cluster is in an invalid state');
        },
      });
      const run = await runStateMachine(definition, { mode: 'switchover' }, handlers);
      expect(run).toMatchObject({ status: 'FAILED', error: 'PromotionRefused' });
      expect(messages.at(-1)?.message).toContain(fault);
    }
  });
});

describe('promote-database in the Region stacks', () => {
  const layouts = exampleLayouts().map(([name, config]) => ({ name, config, result: synth(config) }));
  const off = synth(configFrom({ ...exampleInput(), resilience: { runbooks: { enabled: false } } }));
  afterAll(() => {
    for (const { outdir } of [...layouts.map((l) => l.result), off]) fs.rmSync(path.dirname(outdir), { recursive: true, force: true });
  });

  it.each(layouts.map((l) => [l.name, l] as const))(
    '%s: every Region has one, valid, promoting its own cluster',
    (_, { config, result }) => {
      for (const { region } of config.regions) {
        const stack = result.stacks.get(`region-${region}`)!;
        const machine = resourceAt(stack, 'aws_sfn_state_machine', `region-${region}/promote-database/state-machine`);
        const definition = JSON.parse(machine.body.definition as string) as AslDefinition;
        expect(aslProblems(definition)).toEqual([]);
        const cluster = resourceAt(stack, 'aws_rds_cluster', `region-${region}/database/cluster`).body;
        const clusterArn = `arn:aws:rds:${region}:${config.accountId}:cluster:${cluster.cluster_identifier}`;
        const topic = resourceAt(stack, 'aws_sns_topic', `region-${region}/alerts/topic`).name;
        expect(definition.States['Switch over']).toMatchObject({
          Resource: 'arn:aws:states:::aws-sdk:rds:switchoverGlobalCluster',
          Parameters: { GlobalClusterIdentifier: config.name, TargetDbClusterIdentifier: clusterArn },
        });
        expect(definition.States['Notify start']).toMatchObject({ Parameters: { TopicArn: ref('aws_sns_topic', topic, 'arn') } });
        // SNS takes a subject of at most 100 characters (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
        const subjects = Object.values(definition.States).flatMap((state) => {
          const parameters = state.Parameters as { Subject?: string } | undefined;
          return parameters?.Subject === undefined ? [] : [parameters.Subject];
        });
        expect(subjects.length).toBeGreaterThan(10);
        for (const subject of subjects) expect(subject.length).toBeLessThanOrEqual(100);
        expect(definition.TimeoutSeconds).toBe(config.resilience.runbooks.timeoutMinutes * 60 + 300);
        expect(machine.body).toMatchObject({ name: `${config.name}-promote-database`, type: 'STANDARD' });
        // CreateStateMachine checks the role's log delivery rights: the policy must exist first.
        const policy = resourceAt(stack, 'aws_iam_role_policy', `region-${region}/promote-database/role/policy`).name;
        expect(machine.body.depends_on).toContain(`aws_iam_role_policy.${policy}`);
        expect(stack.output['promote-database-arn'].value).toBe(ref('aws_sfn_state_machine', machine.name, 'arn'));
      }
    },
  );

  it('its role may do exactly what the runbook does, on the narrowest resources', () => {
    const { config, result } = layouts[0];
    for (const { region } of config.regions) {
      const stack = result.stacks.get(`region-${region}`)!;
      const policy = resourceAt(stack, 'aws_iam_role_policy', `region-${region}/promote-database/role/policy`).body;
      const statements = policyStatements(stack, policy.policy);
      const key = ref('aws_kms_key', resourceAt(stack, 'aws_kms_key', `region-${region}/regional-key/key`).name, 'arn');
      const topic = ref('aws_sns_topic', resourceAt(stack, 'aws_sns_topic', `region-${region}/alerts/topic`).name, 'arn');
      const global = `arn:aws:rds::${config.accountId}:global-cluster:${config.name}`;
      // Every member, by a pattern over Regions: a new Region leaves the other Region stacks unchanged.
      const clusters = [`arn:aws:rds:*:${config.accountId}:cluster:${config.name}-*`];
      const machine = `arn:aws:states:${region}:${config.accountId}:stateMachine:${config.name}-promote-database`;
      expect(statements.map(({ sid, actions, resources, condition }) => ({ sid, actions, resources, condition }))).toEqual([
        { sid: 'DescribeTheGlobalCluster', actions: ['rds:DescribeGlobalClusters'], resources: [global], condition: undefined },
        {
          sid: 'PromoteThisRegionsCluster',
          actions: ['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
          resources: [global, ...clusters],
          condition: undefined,
        },
        { sid: 'NotifyTheAlertsTopic', actions: ['sns:Publish'], resources: [topic], condition: undefined },
        {
          sid: 'EncryptNotifications',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${region}.amazonaws.com`] }],
        },
        {
          sid: 'UseTheStateMachineKey',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: [key],
          condition: [{ test: 'StringEquals', variable: 'kms:EncryptionContext:aws:states:stateMachineArn', values: [machine] }],
        },
        { sid: 'DeliverExecutionLogs', actions: expect.any(Array), resources: ['*'], condition: undefined },
      ]);
      expect(statements.every((s) => s.effect === 'Allow')).toBe(true);
      expect(statements.filter((s) => (s.resources as string[]).includes('*')).map((s) => s.sid)).toEqual(['DeliverExecutionLogs']);
      expect(statements.flatMap((s) => s.actions as string[]).filter((a) => a.includes('*'))).toEqual([]);
    }
  });

  it('is absent with runbooks off', () => {
    for (const [name, stack] of off.stacks) {
      expect(resources(stack, 'aws_sfn_state_machine')).toEqual({});
      if (name.startsWith('region-')) expect(stack.output['promote-database-arn']).toBeUndefined();
    }
  });
});
