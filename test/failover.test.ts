import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigInput, ResolvedConfig } from '../src/config';
import { StackNames } from '../src/naming';
import { afterWriterMove, type MovedLayout, type WriterMove } from '../src/terraform/failover';
import { checkSynthesized, formatReport } from '../src/terraform/harness';
import type { TerraformJson } from '../src/terraform/offline';
import { settleLayout, type SettledLayout } from '../src/terraform/preview';
import { plannedChanges, type PlanDocument, type TerraformState } from '../src/terraform/prior-state';
import { configFrom, exampleInput, resourceAt, synth, tempDir, type Synthesized } from './helpers';

/**
 * Failover-safe Terraform: once the Aurora writer has moved to another Region (a switchover, or a
 * failover after which the old primary rejoined as a secondary), the state AWS leaves behind is
 * planned with the unchanged configuration, with real Terraform. Nothing may change: Terraform must
 * not move the writer back, replace a cluster, or send credentials to the new writer.
 */

type Base = 'two' | 'three';

interface MoveCase {
  readonly name: string;
  readonly base: Base;
  readonly move: WriterMove;
}

const CASES: readonly MoveCase[] = [
  { name: 'two Regions, switchover us-east-1 -> us-west-2', base: 'two', move: { kind: 'switchover' } },
  // The third Region's cluster stays a secondary but now replicates from the new writer.
  {
    name: 'three Regions, failover us-east-1 -> eu-west-1, us-east-1 rejoined',
    base: 'three',
    move: { kind: 'failover', to: 'eu-west-1' },
  },
];

const INPUTS: Record<Base, ConfigInput> = { two: exampleInput('two-region'), three: exampleInput('three-region') };

/** Plans the stacks of `outdir` against `states`, and returns each planned stack's plan JSON. */
async function planAgainst(
  outdir: string,
  states: Readonly<Record<string, TerraformState>>,
  only?: readonly string[],
): Promise<Record<string, PlanDocument>> {
  const planJsonDir = tempDir('aa-failover-plans-');
  try {
    const report = await checkSynthesized(outdir, { priorState: states, planJsonDir, only });
    if (!report.ok) throw new Error(formatReport(report));
    return Object.fromEntries(
      fs
        .readdirSync(planJsonDir)
        .map((file) => [path.basename(file, '.json'), JSON.parse(fs.readFileSync(path.join(planJsonDir, file), 'utf8')) as PlanDocument]),
    );
  } finally {
    fs.rmSync(planJsonDir, { recursive: true, force: true });
  }
}

/** Every change of every plan, as `<stack> <address> <actions>`. */
function changesOf(plans: Record<string, PlanDocument>): string[] {
  return Object.entries(plans).flatMap(([stack, plan]) =>
    plannedChanges(plan).map((change) => `${stack} ${change.address} ${change.actions.join(',')}`),
  );
}

/** The planned change of the one `aws_rds_cluster` of a stack's plan. */
function clusterChange(plan: PlanDocument) {
  const changes = (plan.resource_changes ?? []).filter((change) => change.type === 'aws_rds_cluster');
  expect(changes).toHaveLength(1);
  return changes[0].change as { actions: string[]; before?: Record<string, unknown>; after?: Record<string, unknown> };
}

describe('afterWriterMove', () => {
  const config = configFrom(INPUTS.two);
  const resource = (type: string, name: string, instances: Array<Record<string, unknown>>) => ({
    mode: 'managed' as const,
    type,
    name,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: instances.map((attributes) => ({ schema_version: 0, attributes, sensitive_attributes: [] })),
  });
  const state = (resources: ReturnType<typeof resource>[]): TerraformState => ({
    version: 4,
    terraform_version: '1.11.4',
    serial: 3,
    lineage: 'l',
    outputs: {},
    resources,
    check_results: null,
  });
  const arn = (region: string) => `arn:aws:rds:${region}:111122223333:cluster:acme-shop-${region}`;
  const states = {
    global: state([resource('aws_rds_global_cluster', 'g', [{ global_cluster_members: [] }])]),
    'region-us-east-1': state([
      resource('aws_rds_cluster', 'c', [{ arn: arn('us-east-1'), replication_source_identifier: null }]),
      resource('aws_rds_cluster_instance', 'i1', [{ arn: 'arn:aws:rds:us-east-1:111122223333:db:a-1', promotion_tier: 0, writer: true }]),
      resource('aws_rds_cluster_instance', 'i2', [{ arn: 'arn:aws:rds:us-east-1:111122223333:db:a-2', promotion_tier: 1, writer: false }]),
    ]),
    'region-us-west-2': state([
      resource('aws_rds_cluster', 'c', [{ arn: arn('us-west-2'), replication_source_identifier: arn('us-east-1'), master_username: '' }]),
      resource('aws_rds_cluster_instance', 'i2', [{ arn: 'arn:aws:rds:us-west-2:111122223333:db:b-2', promotion_tier: 1, writer: false }]),
      resource('aws_rds_cluster_instance', 'i1', [{ arn: 'arn:aws:rds:us-west-2:111122223333:db:b-1', promotion_tier: 0, writer: false }]),
    ]),
  };

  test('moves the writer flags, the replication sources and the reported credentials, and leaves its input alone', () => {
    const before = structuredClone(states);
    const { states: after, alterations } = afterWriterMove(states, config, { kind: 'switchover' });
    expect(states).toEqual(before);
    const attributes = (stack: string, type: string) =>
      after[stack].resources.filter((r) => r.type === type).map((r) => r.instances[0].attributes);
    expect(attributes('global', 'aws_rds_global_cluster')[0].global_cluster_members).toEqual([
      { db_cluster_arn: arn('us-east-1'), is_writer: false },
      { db_cluster_arn: arn('us-west-2'), is_writer: true },
    ]);
    expect(attributes('region-us-east-1', 'aws_rds_cluster')[0]).toMatchObject({ replication_source_identifier: arn('us-west-2') });
    expect(attributes('region-us-west-2', 'aws_rds_cluster')[0]).toMatchObject({
      replication_source_identifier: '',
      master_username: config.database.masterUsername,
      database_name: config.database.databaseName,
    });
    // The promoted cluster's instance of the lowest promotion tier writes; nothing else does.
    expect(attributes('region-us-east-1', 'aws_rds_cluster_instance').map((a) => a.writer)).toEqual([false, false]);
    expect(attributes('region-us-west-2', 'aws_rds_cluster_instance').map((a) => [a.promotion_tier, a.writer])).toEqual([
      [1, false],
      [0, true],
    ]);
    expect(new Set(alterations.map((a) => a.stack))).toEqual(new Set(['global', 'region-us-east-1', 'region-us-west-2']));
    expect(after.global.serial).toBe(4);
  });

  test('refuses a move that is none, or to a Region outside the layout, or without every state', () => {
    expect(() => afterWriterMove(states, config, { kind: 'failover', to: 'us-east-1' })).toThrow(/already in us-east-1/);
    expect(() => afterWriterMove(states, config, { kind: 'failover', to: 'eu-west-1' })).toThrow(/eu-west-1 is not a Region of the layout/);
    const { global: _global, ...withoutGlobal } = states;
    expect(() => afterWriterMove(withoutGlobal, config, { kind: 'switchover' })).toThrow(/no state for stack global/);
  });
});

describe('failover-safe Terraform: after the writer moved, the unchanged config plans no change', () => {
  const configs: Record<Base, ResolvedConfig> = { two: configFrom(INPUTS.two), three: configFrom(INPUTS.three) };
  let synthesized: Record<Base, Synthesized>;
  const settled: Partial<Record<Base, SettledLayout>> = {};
  const moved: Partial<Record<string, MovedLayout>> = {};
  const scratch: string[] = [];

  beforeAll(async () => {
    synthesized = { two: synth(configs.two), three: synth(configs.three) };
    for (const base of ['two', 'three'] as const) {
      const layout = await settleLayout(synthesized[base].outdir);
      if (layout.failures.length > 0) throw new Error(formatReport(layout.report));
      settled[base] = layout;
    }
    for (const c of CASES) moved[c.name] = afterWriterMove(settled[c.base]!.states, configs[c.base], c.move);
  }, 1_800_000);
  afterAll(() => {
    for (const dir of [...Object.values(synthesized ?? {}).map((s) => path.dirname(s.outdir)), ...scratch]) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each(CASES.map((c) => [c.name, c] as const))(
    '%s: the state is altered as AWS leaves it, and no stack plans any change',
    async (_name, c) => {
      const config = configs[c.base];
      const { states, alterations } = moved[c.name]!;
      const from = c.move.from ?? config.primaryRegion;
      const to = c.move.to ?? config.resilience.failoverRegion;
      const cluster = (region: string) =>
        states[StackNames.region(region)].resources.find((r) => r.type === 'aws_rds_cluster')!.instances[0].attributes;
      const writerArn = cluster(to).arn;

      // Not vacuous: the writer really moved in the state the plan reads.
      const global = states[StackNames.global].resources.find((r) => r.type === 'aws_rds_global_cluster')!.instances[0].attributes;
      expect(global.global_cluster_members).toEqual(
        expect.arrayContaining([
          { db_cluster_arn: writerArn, is_writer: true },
          { db_cluster_arn: cluster(from).arn, is_writer: false },
        ]),
      );
      for (const region of config.regions.map((r) => r.region)) {
        expect(cluster(region).replication_source_identifier).toBe(region === to ? '' : writerArn);
      }
      expect(cluster(to)).toMatchObject({ master_username: config.database.masterUsername, database_name: config.database.databaseName });
      const writers = Object.values(states).flatMap((state) =>
        state.resources.filter((r) => r.type === 'aws_rds_cluster_instance').flatMap((r) => r.instances.filter((i) => i.attributes.writer)),
      );
      expect(writers).toHaveLength(1);
      expect(String(writers[0].attributes.arn)).toContain(`:${to}:`);
      expect(alterations.map((a) => a.stack)).toEqual(
        expect.arrayContaining([StackNames.global, StackNames.region(from), StackNames.region(to)]),
      );

      // The stacks whose state the move altered are planned; every other stack keeps its settled
      // state, which plans no change by construction (and reads the same outputs: the move changes none).
      const altered = [...new Set(alterations.map((a) => a.stack))];
      expect(altered.sort()).toEqual([StackNames.global, ...config.regions.map((r) => StackNames.region(r.region))].sort());
      for (const stack of synthesized[c.base].order.filter((name) => !altered.includes(name))) {
        expect(states[stack]).toEqual(settled[c.base]!.states[stack]);
      }
      for (const stack of altered) expect(states[stack].outputs).toEqual(settled[c.base]!.states[stack].outputs);
      const plans = await planAgainst(synthesized[c.base].outdir, states, altered);
      expect(Object.keys(plans).sort()).toEqual(altered.sort());
      expect(changesOf(plans)).toEqual([]);
    },
    1_800_000,
  );

  test('the proof fails on the defect: without ignore_changes on replication_source_identifier, Terraform would detach the demoted primary', async () => {
    const c = CASES[0];
    const stack = StackNames.region(configs[c.base].primaryRegion);
    // The synthesized layout with one ignore_changes entry dropped from the primary Region's cluster.
    const copy = tempDir('aa-failover-defect-');
    scratch.push(copy);
    const outdir = path.join(copy, 'cdktf.out');
    fs.cpSync(synthesized[c.base].outdir, outdir, { recursive: true });
    const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
    const body = resourceAt(json, 'aws_rds_cluster', `${stack}/database/cluster`).body;
    body.lifecycle.ignore_changes = (body.lifecycle.ignore_changes as string[]).filter((a) => a !== 'replication_source_identifier');
    fs.writeFileSync(file, JSON.stringify(json));

    const plans = await planAgainst(outdir, moved[c.name]!.states, [stack]);
    const change = clusterChange(plans[stack]);
    // Removing the source is how the provider promotes a replica to a standalone cluster (see the argument's documentation).
    expect(change.actions).toEqual(['update']);
    expect(change.before?.replication_source_identifier).toMatch(/^arn:aws:rds:us-west-2:/);
    expect(change.after?.replication_source_identifier).toBeNull();
  }, 1_800_000);

  test('a masterPasswordVersion bump while the writer is away targets the demoted cluster, not the writer', async () => {
    // Documented in docs/operations.md: RDS refuses a password on a secondary, so rotate on the writer instead.
    const c = CASES[0];
    const config = configFrom({ ...INPUTS[c.base], database: { ...INPUTS[c.base].database, masterPasswordVersion: 2 } });
    const bumped = synth(config);
    scratch.push(path.dirname(bumped.outdir));
    const stacks = config.regions.map((r) => StackNames.region(r.region));
    const plans = await planAgainst(bumped.outdir, moved[c.name]!.states, stacks);
    expect(changesOf(plans)).toEqual([expect.stringMatching(/^region-us-east-1 aws_rds_cluster\.database_cluster_[A-Z0-9]+ update$/)]);
    const primary = clusterChange(plans[StackNames.region(config.primaryRegion)]);
    expect(primary.actions).toEqual(['update']);
    expect([primary.before?.master_password_wo_version, primary.after?.master_password_wo_version]).toEqual([1, 2]);
    // The writer's cluster, in the Region configured as secondary, takes no credential argument at all.
    const writer = clusterChange(plans[StackNames.region(config.resilience.failoverRegion)]);
    expect(writer.actions).toEqual(['no-op']);
    expect(writer.after?.master_password_wo_version ?? null).toBeNull();
  }, 1_800_000);
});
