import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePlanJson, summarizePlans, type PlanJson } from '../src/report/plan-summary';
import { ROOT, tempDir } from './helpers';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');

/** A complete plan as `terraform show -json <planfile>` prints it, with the given resource changes. */
function planText(resourceChanges: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: {} },
    resource_changes: resourceChanges,
    configuration: { root_module: {} },
    applyable: true,
    complete: true,
    errored: false,
    ...extra,
  });
}

const create = { address: 'aws_vpc.a', mode: 'managed', type: 'aws_vpc', name: 'a', change: { actions: ['create'] } };

describe('input-6 plan-summary reads only complete plans', () => {
  const fix = /Fix: pass the output of "terraform show -json <planfile>"/;

  test('input-6 a complete plan is accepted', () => {
    expect(parsePlanJson(planText([create]), 'p.json').resource_changes).toHaveLength(1);
  });

  test.each<[string, string, RegExp]>([
    [
      'a state file',
      JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'x', outputs: {}, resources: [] }),
      /p\.json is a Terraform state, not a plan/,
    ],
    [
      'a state shown as JSON',
      JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: {} } }),
      /p\.json is a Terraform state, not a plan/,
    ],
    ['an errored plan', planText([create], { errored: true }), /p\.json is the plan of a run that failed \("errored": true\)/],
    ['an incomplete plan', planText([create], { complete: false }), /p\.json is an incomplete plan \("complete": false\)/],
    ['a newer major format', planText([create], { format_version: '2.0' }), /p\.json has format_version "2\.0"; this tool reads 1\.x/],
    [
      'an unknown action',
      planText([{ ...create, change: { actions: ['explode'] } }]),
      /resource_changes\[0\]\.change\.actions: \["explode"\] is not a Terraform action list/,
    ],
    [
      'null actions',
      planText([{ ...create, change: { actions: null } }]),
      /resource_changes\[0\]\.change\.actions: expected a list, got null/,
    ],
    ['a null change', planText([{ ...create, change: null }]), /resource_changes\[0\]\.change: expected an object, got null/],
    ['a null address', planText([{ ...create, address: null }]), /resource_changes\[0\]\.address: expected a string, got null/],
    ['a bad mode', planText([{ ...create, mode: 'weird' }]), /resource_changes\[0\]\.mode: expected "managed" or "data"/],
    ['null resource changes', planText([], { resource_changes: null }), /resource_changes: expected a list, got null/],
    [
      'bad replace paths',
      planText([{ ...create, change: { actions: ['delete', 'create'], replace_paths: [[null]] } }]),
      /resource_changes\[0\]\.change\.replace_paths\[0\]\[0\]: expected a string or a number, got null/,
    ],
  ])('input-6 rejects %s with the fix', (_label, text, expected) => {
    let message = '';
    try {
      parsePlanJson(text, 'p.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(expected);
    expect(message).toMatch(fix);
  });

  const plan = (changes: number, prefix = 'aws_route.r'): PlanJson =>
    JSON.parse(
      planText(Array.from({ length: changes }, (_, i) => ({ ...create, address: `${prefix}${i}`, type: 'aws_route' }))),
    ) as PlanJson;

  test('input-6 the summary never exceeds --max-length; a limit too small for any summary is refused with the minimum', () => {
    const plans = [
      {
        stack: 'state',
        plan: JSON.parse(
          planText([{ ...create, address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', change: { actions: ['delete'] } }]),
        ) as PlanJson,
      },
      { stack: 'region-a', plan: plan(40) },
      { stack: 'region-b', plan: plan(7) },
    ];
    let smallestAccepted = Infinity;
    for (let maxLength = 1; maxLength <= 3000; maxLength += 7) {
      let out: string;
      try {
        out = summarizePlans(plans, { maxLength, failedStacks: ['mesh'] });
      } catch (error) {
        expect((error as Error).message).toMatch(
          /^--max-length \d+ is too small: the shortest summary takes \d+ characters\. Fix: use at least \d+$/,
        );
        expect(maxLength).toBeLessThan(smallestAccepted);
        continue;
      }
      smallestAccepted = Math.min(smallestAccepted, maxLength);
      expect(out.length).toBeLessThanOrEqual(maxLength);
    }
    expect(smallestAccepted).toBeLessThan(200);
  });

  test('input-6 stack names from file names are escaped in the Markdown', () => {
    const out = summarizePlans([{ stack: 'a|b`<img src=x>', plan: plan(1) }]);
    expect(out).not.toContain('a|b');
    expect(out).not.toContain('<img');
    expect(out).toContain('<code>a&#124;b&#96;&lt;img src=x&gt;</code>');
    expect(
      out
        .split('\n')
        .filter((line) => line.startsWith('| '))
        .every((row) => row.split('|').length === 7),
    ).toBe(true);
  });

  test('input-6 a run in which every stack failed is summarized from --failed alone', () => {
    const out = summarizePlans([], { failedStacks: ['global', 'mesh'] });
    expect(out).toContain('## Terraform plan: not planned (2 stacks failed)');
    expect(out).toContain('**Not planned**: `global`, `mesh` failed to plan');
    expect(out).not.toContain('No changes');
    const dir = tempDir();
    try {
      const run = spawnSync(process.execPath, [CLI, 'plan-summary', '--failed', 'global', '--failed', 'mesh'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('not planned (2 stacks failed)');
      const nothing = spawnSync(process.execPath, [CLI, 'plan-summary'], { cwd: dir, encoding: 'utf8' });
      expect(nothing.status).toBe(2);
      expect(nothing.stderr).toMatch(
        /no plans and no --failed stacks\. Fix: pass plan JSON files, or --failed <stack> for each stack that failed to plan/,
      );
      fs.writeFileSync(path.join(dir, 'x.json'), planText([]));
      const conflicting = spawnSync(process.execPath, [CLI, 'plan-summary', '--failed', 'global', 'global=x.json'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(conflicting.status).toBe(2);
      expect(conflicting.stderr).toMatch(/stack "global" has a plan and is also --failed\. Fix: pass one or the other/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('input-6 one stack, one resource: singular words', () => {
    const out = summarizePlans([{ stack: 'global', plan: plan(1) }]);
    expect(out).toContain('(1 stack)');
    expect(out).toContain('1 resource changed');
  });
});
