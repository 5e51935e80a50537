import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  GITHUB_COMMENT_LIMIT,
  parsePlanJson,
  PlanInputError,
  resourceChanges,
  stackFromArgument,
  summarizePlans,
  SUMMARY_MARKER,
  type PlanJson,
} from '../src/report/plan-summary';
import { estimate } from '../src/cost/estimate';
import { dollarChange, dollars } from '../src/cost/format';
import { layoutOfSynthesized } from '../src/cost/layout';
import { priceTable } from '../src/cost/price-table';
import { defaultUsage } from '../src/cost/usage';
import { checkSynthesized, formatReport } from '../src/terraform/harness';
import { configFrom, exampleInput, resourceAt, ROOT, synth, tempDir } from './helpers';

type Change = { address: string; type: string; actions: string[]; replace?: Array<Array<string | number>>; mode?: 'managed' | 'data' };

function plan(...changes: Change[]): PlanJson {
  return {
    format_version: '1.2',
    resource_changes: changes.map((c) => ({
      address: c.address,
      mode: c.mode ?? 'managed',
      type: c.type,
      change: { actions: c.actions, ...(c.replace ? { replace_paths: c.replace } : {}) },
    })),
  };
}

describe('plan summary', () => {
  const region = plan(
    { address: 'aws_vpc.a', type: 'aws_vpc', actions: ['create'] },
    { address: 'aws_route.b', type: 'aws_route', actions: ['update'] },
    {
      address: 'aws_rds_cluster.db',
      type: 'aws_rds_cluster',
      actions: ['delete', 'create'],
      replace: [['cluster_identifier'], ['tags', 'Name']],
    },
    { address: 'aws_subnet.c', type: 'aws_subnet', actions: ['create', 'delete'], replace: [['cidr_block']] },
    { address: 'aws_s3_bucket.logs', type: 'aws_s3_bucket', actions: ['delete'] },
    { address: 'aws_security_group.d', type: 'aws_security_group', actions: ['delete'] },
    { address: 'aws_kms_key.same', type: 'aws_kms_key', actions: ['no-op'] },
    { address: 'data.aws_iam_policy_document.p', type: 'aws_iam_policy_document', actions: ['read'], mode: 'data' },
  );
  const state = plan({ address: 'aws_iam_role.replication', type: 'aws_iam_role', actions: ['delete'] });

  test('classifies managed changes and ignores no-ops and data reads', () => {
    const changes = resourceChanges({ stack: 'region-us-east-1', plan: region });
    expect(changes.map((c) => [c.address, c.kind, c.dataAtRisk])).toEqual([
      ['aws_vpc.a', 'add', false],
      ['aws_route.b', 'change', false],
      ['aws_rds_cluster.db', 'replace', true],
      ['aws_subnet.c', 'replace', false],
      ['aws_s3_bucket.logs', 'destroy', true],
      ['aws_security_group.d', 'destroy', false],
    ]);
    expect(changes[2].forcedBy).toEqual(['cluster_identifier', 'tags.Name']);
  });

  test('anything destroyed in the state stack puts data at risk', () => {
    expect(resourceChanges({ stack: 'state', plan: state })[0].dataAtRisk).toBe(true);
  });

  const markdown = summarizePlans([
    { stack: 'state', plan: state },
    { stack: 'region-us-east-1', plan: region },
    { stack: 'mesh', plan: plan() },
  ]);

  test('headline with totals, then warnings before anything else', () => {
    expect(
      markdown.startsWith(`${SUMMARY_MARKER}\n## Terraform plan: 1 to add, 1 to change, 3 to destroy, 2 to replace (3 stacks)\n`),
    ).toBe(true);
    const caution = markdown.indexOf('**Data at risk**');
    expect(caution).toBeGreaterThan(0);
    expect(caution).toBeLessThan(markdown.indexOf('| stack |'));
  });

  test('every destroy or replace of a stateful resource, and every replacement with what forced it', () => {
    expect(markdown).toContain('> - `state`: `aws_iam_role.replication` **destroy**');
    expect(markdown).toContain('> - `region-us-east-1`: `aws_rds_cluster.db` **replace**, forced by `cluster_identifier`, `tags.Name`');
    expect(markdown).toContain('> - `region-us-east-1`: `aws_s3_bucket.logs` **destroy**');
    expect(markdown).toContain(
      '**Replacements**: these resources are destroyed and created again.\n> - `region-us-east-1`: `aws_subnet.c` **replace**, forced by `cidr_block`',
    );
    expect(markdown).not.toContain('`aws_security_group.d` **destroy**');
  });

  test('a table with a row per stack and totals, and the changed resources per stack', () => {
    expect(markdown).toContain('| `state` | 0 | 0 | 1 | 0 |');
    expect(markdown).toContain('| `region-us-east-1` | 1 | 1 | 2 | 2 |');
    expect(markdown).toContain('| `mesh` | 0 | 0 | 0 | 0 |');
    expect(markdown).toContain('| **total** | **1** | **1** | **3** | **2** |');
    expect(markdown).toContain('<details><summary><code>region-us-east-1</code>: 6 resources changed</summary>');
    expect(markdown).toContain('- `-/+` `aws_rds_cluster.db` replace');
    expect(markdown).toContain('- `~` `aws_route.b` update in place');
    expect(markdown).not.toContain('<code>mesh</code>');
  });

  test('stacks that failed to plan are called out', () => {
    const out = summarizePlans([{ stack: 'global', plan: plan() }], { failedStacks: ['mesh'] });
    expect(out).toContain('**Not planned**: `mesh` failed to plan');
  });

  test('no changes at all says so', () => {
    expect(summarizePlans([{ stack: 'global', plan: plan() }])).toContain('No changes: the infrastructure matches the configuration.');
  });

  test('a summary too long for a comment is cut to fit, warnings first, with a note pointing to the full plans', () => {
    const many = plan(
      ...Array.from({ length: 3000 }, (_, i) => ({ address: `aws_route.r${i}_${'x'.repeat(30)}`, type: 'aws_route', actions: ['create'] })),
    );
    const stacks = ['region-a', 'region-b', 'region-c'].map((stack) => ({ stack, plan: many }));
    const full = summarizePlans([{ stack: 'state', plan: state }, ...stacks], { maxLength: 10_000_000 });
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    const cut = summarizePlans([{ stack: 'state', plan: state }, ...stacks], { fullPlanLocation: 'https://example.com/run/1' });
    expect(cut.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(cut).toContain('**Data at risk**');
    expect(cut).toContain('| **total** | **9000** |');
    expect(cut).toMatch(/_Truncated: \d+ more sections? did not fit in a comment\. The full plans: https:\/\/example\.com\/run\/1_\n$/);
    const tiny = summarizePlans([{ stack: 'state', plan: state }, ...stacks], { maxLength: 400 });
    expect(tiny.length).toBeLessThanOrEqual(400);
    expect(tiny).toContain('Truncated');
  });

  test('empty, broken and non-plan JSON are rejected with a fix', () => {
    expect(() => parsePlanJson('', 'a.json')).toThrow(PlanInputError);
    expect(() => parsePlanJson('  \n', 'a.json')).toThrow(/a\.json is empty\. Fix: pass the output of "terraform show -json <planfile>"/);
    expect(() => parsePlanJson('{"format_version": "1.2",', 'b.json')).toThrow(/b\.json, line 1, column \d+: not valid JSON \(/);
    expect(() => parsePlanJson('{"resources": []}', 'c.json')).toThrow(/c\.json is not a Terraform plan: it has no "format_version"/);
    expect(() => parsePlanJson('{"format_version": "1.2", "planned_values": {}, "resource_changes": {}}', 'd.json')).toThrow(
      /resource_changes: expected a list, got an object/,
    );
  });

  test('stack names come from the path, or from an explicit name=', () => {
    expect(stackFromArgument('plans/region-us-east-1.json')).toEqual({ stack: 'region-us-east-1', path: 'plans/region-us-east-1.json' });
    expect(stackFromArgument('cdktf.out/stacks/mesh/plan.json')).toEqual({ stack: 'mesh', path: 'cdktf.out/stacks/mesh/plan.json' });
    expect(stackFromArgument('out/global.tfplan.json').stack).toBe('global');
    expect(stackFromArgument('state=./x/y.json')).toEqual({ stack: 'state', path: './x/y.json' });
  });
});

/** A resource instance in Terraform's state format 4. */
function stateResource(type: string, name: string, attributes: Record<string, unknown>, schemaVersion = 0) {
  return {
    mode: 'managed',
    type,
    name,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: schemaVersion, attributes, sensitive_attributes: [] }],
  };
}

function stateWith(...resources: object[]) {
  return { version: 4, terraform_version: '1.11.0', serial: 1, lineage: 'crafted', outputs: {}, resources };
}

describe('plan summary of real plans (offline Terraform against crafted prior state)', () => {
  // Deletion protection off, so that a replacement is planned (and warned about) rather than refused
  // by prevent_destroy.
  const result = synth(configFrom({ ...exampleInput(), database: { deletionProtection: false } }));
  for (const stack of ['mesh', 'edge']) fs.rmSync(path.join(result.outdir, 'stacks', stack), { recursive: true });
  const globalCluster = resourceAt(result.stacks.get('global')!, 'aws_rds_global_cluster', 'global/database/global-cluster').name;
  const primaryCluster = resourceAt(result.stacks.get('region-us-east-1')!, 'aws_rds_cluster', 'region-us-east-1/database/cluster').name;
  const plansDir = tempDir('aa-plans-');
  afterAll(() => {
    // synth() puts its output in a project directory of its own: remove that and the plans.
    for (const dir of [path.dirname(result.outdir), plansDir]) fs.rmSync(dir, { recursive: true, force: true });
  });

  const priorState = {
    // The global cluster exists with deletion protection on, which the config turns off: an in-place update.
    global: stateWith(
      stateResource('aws_rds_global_cluster', globalCluster, {
        id: 'acme-shop',
        global_cluster_identifier: 'acme-shop',
        engine: 'aurora-postgresql',
        engine_version: '16.6',
        storage_encrypted: true,
        deletion_protection: true,
        force_destroy: false,
      }),
    ),
    // The primary cluster exists under another identifier, which cannot change in place: a replacement.
    'region-us-east-1': stateWith(
      stateResource(
        'aws_rds_cluster',
        primaryCluster,
        {
          id: 'acme-shop-old',
          cluster_identifier: 'acme-shop-old',
          engine: 'aurora-postgresql',
          engine_mode: 'provisioned',
          db_subnet_group_name: 'acme-shop-us-east-1',
          availability_zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
          storage_encrypted: true,
        },
        1,
      ),
    ),
    // A bucket that the configuration no longer has: a destroy.
    'region-us-west-2': stateWith(
      stateResource('aws_s3_bucket', 'retired', {
        id: 'acme-shop-retired-111122223333-us-west-2',
        bucket: 'acme-shop-retired-111122223333-us-west-2',
        force_destroy: false,
      }),
    ),
  };

  let markdown = '';
  beforeAll(async () => {
    const report = await checkSynthesized(result.outdir, { planJsonDir: plansDir, priorState });
    if (!report.ok) throw new Error(formatReport(report));
    const run = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'dist', 'src', 'cli.js'),
        'plan-summary',
        ...['state', 'global', 'region-us-east-1', 'region-us-west-2'].map((s) => path.join(plansDir, `${s}.json`)),
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    markdown = run.stdout;
  });

  test('docs/sample-plan-comment.md is this comment (UPDATE_SAMPLES=1 rewrites it)', () => {
    const sample = path.join(ROOT, 'docs', 'sample-plan-comment.md');
    if (process.env.UPDATE_SAMPLES) fs.writeFileSync(sample, markdown);
    const head = (text: string) => text.slice(0, text.indexOf('<details>'));
    expect(head(fs.readFileSync(sample, 'utf8'))).toBe(head(markdown));
  });

  test('a fresh stack plans all adds', () => {
    const state = JSON.parse(fs.readFileSync(path.join(plansDir, 'state.json'), 'utf8'));
    expect(resourceChanges({ stack: 'state', plan: state }).every((c) => c.kind === 'add')).toBe(true);
    expect(markdown).toContain('| `state` | 26 | 0 | 0 | 0 |');
  });

  test('an in-place update is counted as a change, without a warning', () => {
    expect(markdown).toMatch(/\| `global` \| \d+ \| 1 \| 0 \| 0 \|/);
    expect(markdown).toContain(`- \`~\` \`aws_rds_global_cluster.${globalCluster}\` update in place`);
    expect(markdown).not.toMatch(new RegExp(`> - .*aws_rds_global_cluster\\.${globalCluster}`));
  });

  test('the replaced Aurora cluster is a data-at-risk warning with the attribute that forced it', () => {
    expect(markdown).toMatch(
      new RegExp(
        `> - \`region-us-east-1\`: \`aws_rds_cluster\\.${primaryCluster}\` \\*\\*replace\\*\\*, forced by [^\\n]*\`cluster_identifier\``,
      ),
    );
  });

  test("the monthly cost change is the estimate of what the plans create: the plans' own values priced, the same as the synthesized stacks", () => {
    const stacks = new Map(['state', 'global', 'region-us-east-1', 'region-us-west-2'].map((s) => [s, result.stacks.get(s)!]));
    const fixed = estimate(layoutOfSynthesized(stacks), priceTable(), defaultUsage(), { fixedOnly: true }).monthlyTotal;
    expect(fixed).toBeGreaterThan(900);
    expect(markdown).toContain(`**Monthly cost: ${dollarChange(fixed)}** in fixed charges (from $0.00 to ${dollars(fixed)}`);
    // The largest single change: one of the primary Region's two db.r6g.large writers and readers.
    expect(markdown).toMatch(/\| `region-us-east-1` \| `aws_rds_cluster_instance\.[^`]+` \| \$0\.00 \| \$189\.80 \| \+\$189\.80 \|/);
  });

  test('the destroyed bucket is a data-at-risk warning', () => {
    expect(markdown).toContain('> - `region-us-west-2`: `aws_s3_bucket.retired` **destroy**');
    expect(markdown).toMatch(/\| `region-us-west-2` \| \d+ \| 0 \| 1 \| 0 \|/);
  });

  test('bad plan input on the command line exits non-zero with the fix, not a stack trace', () => {
    const empty = path.join(plansDir, 'empty-plan.json');
    fs.writeFileSync(empty, '');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), 'plan-summary', empty], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is empty\. Fix: pass the output of "terraform show -json <planfile>"/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const duplicate = spawnSync(
      process.execPath,
      [path.join(ROOT, 'dist', 'src', 'cli.js'), 'plan-summary', path.join(plansDir, 'global.json'), path.join(plansDir, 'global.json')],
      { encoding: 'utf8' },
    );
    expect(duplicate.status).toBe(2);
    expect(duplicate.stderr).toMatch(/two plans are for stack "global"\. Fix: name them explicitly/);
  });
});
