import { notify, sdkIntegration, throttlingRetry, type AslDefinition } from '../src/planning/runbooks/asl';
import { aslProblems, AwsError, runStateMachine } from './state-machines';

const TOPIC = 'arn:aws:sns:eu-west-1:111111111111:alerts';

/** A small runbook: describe with throttling retries, refuse when busy, notify. */
const definition: AslDefinition = {
  Comment: 'test',
  StartAt: 'Describe',
  States: {
    Describe: {
      Type: 'Task',
      Resource: sdkIntegration('rds', 'describeGlobalClusters'),
      Parameters: { GlobalClusterIdentifier: 'g' },
      ResultSelector: { 'status.$': '$.GlobalClusters[0].Status' },
      ResultPath: '$.global',
      Retry: [throttlingRetry('rds')],
      Next: 'Busy?',
    },
    'Busy?': { Type: 'Choice', Choices: [{ Variable: '$.global.status', StringEquals: 'available', Next: 'Notify' }], Default: 'Busy' },
    Busy: { Type: 'Fail', Error: 'GlobalClusterBusy', Cause: 'The global cluster is not available.' },
    Notify: notify(TOPIC, 'Done', { text: 'done' }, 'Done'),
    Done: { Type: 'Succeed' },
  },
};

describe('the offline state machine harness', () => {
  it('accepts valid Amazon States Language and names the problems of an invalid definition', () => {
    expect(aslProblems(definition)).toEqual([]);
    const broken = { ...definition, States: { ...definition.States, 'Busy?': { ...definition.States['Busy?'], Default: 'Nowhere' } } };
    expect(aslProblems(broken).join('\n')).toMatch(/Nowhere/);
  });

  it('runs tasks through handlers, retries throttling, and reports Fail states by error name', async () => {
    let throttled = 2;
    const ok = await runStateMachine(
      definition,
      {},
      {
        Describe: () => {
          if (throttled-- > 0) throw new AwsError('Rds.ThrottlingException');
          return { GlobalClusters: [{ Status: 'available' }] };
        },
        Notify: () => ({}),
      },
    );
    expect(ok.status).toBe('SUCCEEDED');
    expect(ok.retries.Describe).toBe(2);
    expect(ok.calls.map((c) => c.state)).toEqual(['Describe', 'Describe', 'Describe', 'Notify']);
    expect(ok.calls[0].parameters).toEqual({ GlobalClusterIdentifier: 'g' });

    const busy = await runStateMachine(
      definition,
      {},
      { Describe: () => ({ GlobalClusters: [{ Status: 'modifying' }] }), Notify: () => ({}) },
    );
    expect(busy).toMatchObject({ status: 'FAILED', error: 'GlobalClusterBusy' });
    expect(busy.states).toEqual(['Describe', 'Busy?', 'Busy']);
  });

  it('lets a notification fail without stopping the run', async () => {
    const run = await runStateMachine(
      definition,
      {},
      {
        Describe: () => ({ GlobalClusters: [{ Status: 'available' }] }),
        Notify: () => {
          throw new AwsError('Sns.AuthorizationErrorException');
        },
      },
    );
    expect(run.status).toBe('SUCCEEDED');
  });

  it('refuses to run a task without a handler', async () => {
    await expect(runStateMachine(definition, {}, { Describe: () => ({}) })).rejects.toThrow(/Notify/);
  });
});
