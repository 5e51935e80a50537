import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { ROOT } from './helpers';

const dir = path.join(ROOT, '.github', 'workflows');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml'));

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
  permissions?: Record<string, string>;
  steps?: Step[];
  environment?: string;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, string>;
  secrets?: string;
  strategy?: { 'fail-fast'?: boolean; 'max-parallel'?: string | number; matrix?: Record<string, unknown> };
  if?: string;
};
type Workflow = {
  on: unknown;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
};

const workflows = new Map(files.map((file) => [file, parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Workflow]));
const job = (file: string, name: string) => workflows.get(file)!.jobs[name];
const runOf = (file: string, name: string) => (job(file, name).steps ?? []).map((s) => s.run ?? '').join('\n');

describe('GitHub Actions workflows', () => {
  test('the workflows exist', () => {
    expect(files.sort()).toEqual(['deploy-wave.yml', 'deploy.yml', 'pull-request.yml']);
  });

  test.each(files)('%s is valid against the workflow schema', (file) => {
    const result = validateWorkflow(fs.readFileSync(path.join(dir, file), 'utf8'));
    expect(result.errors).toEqual([]);
  });

  test.each(files)('%s pins every action to an exact version', (file) => {
    const uses = Object.values(workflows.get(file)!.jobs).flatMap((j) => (j.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w-]+\/[\w-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
  });

  test.each(files)('%s grants least privilege: read-only by default, more only in the job that needs it', (file) => {
    const workflow = workflows.get(file)!;
    expect(workflow.permissions).toEqual({ contents: 'read' });
    for (const [name, j] of Object.entries(workflow.jobs)) {
      const granted = Object.entries(j.permissions ?? {})
        .filter(([, level]) => level === 'write')
        .map(([scope]) => scope);
      const usesAws = (j.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
      expect(granted.includes('id-token')).toBe(usesAws);
      if (granted.includes('pull-requests')) expect(name).toBe('comment');
      expect(granted.filter((scope) => !['id-token', 'pull-requests'].includes(scope))).toEqual([]);
    }
  });

  test('pull requests: one plan per PR at a time, credentials from OIDC, plans uploaded, one comment updated in place', () => {
    const workflow = workflows.get('pull-request.yml')!;
    expect(workflow.concurrency).toEqual({ group: 'plan-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(runOf('pull-request.yml', 'test')).toMatch(/npm ci[\s\S]*npm test[\s\S]*npm run modules -- --check/);
    const plan = job('pull-request.yml', 'plan');
    expect(plan.steps!.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with).toMatchObject({
      'role-to-assume': '${{ vars.AWS_PLAN_ROLE_ARN }}',
    });
    const script = runOf('pull-request.yml', 'plan');
    expect(script).toContain('for stack in $(npx active-active stacks)');
    expect(script).toMatch(/terraform -chdir="\$dir" plan[\s\S]*terraform -chdir="\$dir" show -json tfplan > "plans\/\$stack.json"/);
    expect(script).toMatch(/npx active-active plan-summary "\$\{plans\[@\]\}"/);
    expect(plan.steps!.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
    const comment = runOf('pull-request.yml', 'comment');
    expect(comment).toContain("marker='<!-- active-active-plan-summary -->'");
    expect(comment).toMatch(/--method PATCH[\s\S]*--method POST/);
  });

  test('pull requests: the change preview runs against the base branch only when the config file changed, and a failure fails the plan', () => {
    const plan = job('pull-request.yml', 'plan');
    expect(plan.steps!.find((s) => s.uses?.startsWith('actions/checkout'))?.with).toMatchObject({ 'fetch-depth': 0 });
    const at = plan.steps!.findIndex((s) => s.run?.includes('npx active-active preview'));
    expect(at).toBeGreaterThanOrEqual(0);
    const step = plan.steps![at];
    expect(step.env).toEqual({ BASE_REF: '${{ github.base_ref }}' });
    expect((step as Record<string, unknown>)['continue-on-error']).toBeUndefined();
    // Skipped when the config file is the same as on the base branch; otherwise compared with it there.
    expect(step.run).toMatch(
      /if git diff --quiet "origin\/\$BASE_REF" -- "\$config"; then\n[^\n]*\n\s*exit 0\n\s*fi\n[\s\S]*npx active-active preview --from-git "origin\/\$BASE_REF" --config "\$config" --output plans\/preview\.md/,
    );
    // Appended to the summary the comment job posts, between writing it and uploading it.
    expect(step.run).toContain('{ echo; cat plans/preview.md; } >> plans/summary.md');
    const summarized = plan.steps!.findIndex((s) => s.run?.includes('--output plans/summary.md'));
    const uploaded = plan.steps!.findIndex((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(summarized).toBeLessThan(at);
    expect(at).toBeLessThan(uploaded);
    // A failed preview is said in the comment, and a later step fails the job.
    expect(step.run).toMatch(
      /else\n\s*cat plans\/preview-error\.txt >&2\n[\s\S]*?Change preview failed[\s\S]*?>> plans\/summary\.md\n\s*echo "\$config" > plans\/preview-failed\.txt/,
    );
    expect(plan.steps!.slice(uploaded).some((s) => /if \[ -e plans\/preview-failed\.txt \]; then[\s\S]*exit 1/.test(s.run ?? ''))).toBe(
      true,
    );
    expect(runOf('pull-request.yml', 'comment')).toContain('body=@plans/summary.md');
  });

  test('deploy: on main or by hand, never two at once, wave after wave as `stacks --waves` computes them', () => {
    const workflow = workflows.get('deploy.yml')!;
    expect(workflow.on).toMatchObject({
      push: { branches: ['main'] },
      workflow_dispatch: { inputs: { skip_state: { type: 'boolean', default: false } } },
    });
    expect(workflow.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
    expect(runOf('deploy.yml', 'waves')).toMatch(
      /waves=\$\(npx active-active stacks --waves --json\)[\s\S]*jq length\)" -ne 5[\s\S]*exit 1/,
    );
    // The five waves, each after the one before, each with its own stacks.
    const calls = ['state', 'global', 'primary', 'secondaries', 'links'];
    calls.forEach((name, i) => {
      const call = job('deploy.yml', name);
      expect(call.uses).toBe('./.github/workflows/deploy-wave.yml');
      expect(call.with!.stacks).toBe(`\${{ toJSON(fromJSON(needs.waves.outputs.waves)[${i}]) }}`);
      expect(call.needs).toEqual(i === 0 ? 'waves' : ['waves', calls[i - 1]]);
      expect(call.secrets).toBe('inherit');
    });
    // After a skipped state wave (workflow_dispatch skip_state, during a state-Region outage) the
    // others still run; after a failed or cancelled wave none does.
    expect(job('deploy.yml', 'state')).toMatchObject({ if: '${{ !inputs.skip_state }}' });
    for (const name of calls.slice(1)) expect(job('deploy.yml', name)).toMatchObject({ if: '${{ !failure() && !cancelled() }}' });
    // Every job is a wave: the state stack too, since its state is in its bucket (active-active bootstrap).
    expect(Object.keys(workflow.jobs).sort()).toEqual(['waves', ...calls].sort());
  });

  test('a wave: plans saved and summed up in the run summary, then exactly those plans applied after the approval, in parallel', () => {
    const plan = job('deploy-wave.yml', 'plan');
    expect(plan.environment).toBeUndefined();
    expect(plan.steps!.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with).toMatchObject({
      'role-to-assume': '${{ vars.AWS_PLAN_ROLE_ARN }}',
    });
    expect(runOf('deploy-wave.yml', 'plan')).toMatch(/plan -input=false -lock=false -out=tfplan[\s\S]*show -json tfplan/);
    // The state stack is never planned from nothing: that would create a second state backend.
    expect(runOf('deploy-wave.yml', 'plan')).toMatch(
      /if \[ "\$STACK" = state \] && \[ -z "\$\(terraform -chdir="\$dir" state list\)" \]; then[\s\S]*?exit 1/,
    );
    expect(runOf('pull-request.yml', 'plan')).toMatch(/\[ "\$stack" != state \] \|\| \[ -n "\$\(terraform -chdir="\$dir" state list\)" \]/);
    // The lock file is hidden: the artifact must include it, or the apply cannot init as the plan did.
    const upload = plan.steps!.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    expect(upload.with).toMatchObject({ 'include-hidden-files': true });
    expect(runOf('deploy-wave.yml', 'plan')).toContain('cp "$dir/tfplan" "$dir/.terraform.lock.hcl" "plans/$STACK/"');
    expect(plan.steps!.find((s) => s.run?.includes('-out=tfplan'))!.env!.TF_VAR_database_master_password).toBe('plan-only-Placeholder-0');
    expect(runOf('deploy-wave.yml', 'summary')).toContain('npx active-active plan-summary "${plans[@]}" >> "$GITHUB_STEP_SUMMARY"');
    const apply = job('deploy-wave.yml', 'apply');
    expect(apply.needs).toBe('summary');
    expect(apply.environment).toBe('production');
    expect(apply.strategy).toMatchObject({ 'fail-fast': false, 'max-parallel': "${{ fromJSON(vars.DEPLOY_MAX_PARALLEL || '4') }}" });
    expect(apply.steps!.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with).toMatchObject({
      'role-to-assume': '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
    });
    // Nothing a reviewer did not see: no new plan, no auto-approve, only the saved plan file.
    const script = runOf('deploy-wave.yml', 'apply');
    expect(script).toMatch(/terraform -chdir="\$dir" apply -input=false "\$PWD\/saved\/tfplan"$/m);
    expect(script).not.toMatch(/terraform [^\n]*\bplan\b|-auto-approve/);
  });

  test('pull-request plans read no secret, and the summary runs even when no stack planned', () => {
    const text = fs.readFileSync(path.join(dir, 'pull-request.yml'), 'utf8');
    expect(text).not.toMatch(/secrets\./);
    expect(runOf('pull-request.yml', 'test')).toMatch(/npm run lint/);
    expect(runOf('pull-request.yml', 'plan')).toMatch(/shopt -s nullglob\n\s*plans=\(plans\/\*\.json\)/);
  });
});
