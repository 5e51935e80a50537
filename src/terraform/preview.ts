import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PlanJson, StackPlan } from '../report/plan-summary';
import { checkSynthesized, readStacks, type HarnessOptions, type HarnessReport, type StackCheck } from './harness';
import type { TerraformState } from './prior-state';

/** One resource a change does something to, with Terraform's own action list. */
export interface PreviewedChange {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  /** `["create"]`, `["update"]`, `["delete"]`, `["delete","create"]`, `["create","delete"]`, ... */
  readonly actions: readonly string[];
}

export interface Preview {
  /** Every stack of either configuration, as `plan-summary` reads plans: unchanged stacks plan nothing. */
  readonly plans: readonly StackPlan[];
  /** Every managed resource whose actions are not `["no-op"]`. */
  readonly changes: readonly PreviewedChange[];
  /** Stacks whose synthesized Terraform is the same in both: their plan is the settled no-op. */
  readonly unchangedStacks: readonly string[];
  /** Stacks only the old configuration has: nothing deploys them any more, and their resources stay until destroyed. */
  readonly removedStacks: readonly string[];
  /** Stacks that could not be settled or planned, with Terraform's diagnostics. */
  readonly failures: readonly StackCheck[];
}

export interface PreviewOptions extends Pick<HarnessOptions, 'concurrency' | 'env' | 'onResult'> {
  /**
   * Where to keep each planned stack's plan JSON (`<dir>/<stack>.json`).
   * @default - a directory inside the old output, removed with it
   */
  readonly planJsonDir?: string;
}

function sameStack(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A plan that deletes everything in `state`: what a stack the new configuration drops leaves behind. */
function deletionOf(state: TerraformState): PlanJson {
  return {
    format_version: '1.2',
    resource_changes: state.resources.flatMap((resource) =>
      resource.instances.map((instance) => {
        const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
        const address = `${resource.module ? `${resource.module}.` : ''}${resource.type}.${resource.name}${key}`;
        return { address, mode: 'managed' as const, type: resource.type, change: { actions: ['delete'] } };
      }),
    ),
  };
}

function failuresOf(report: HarnessReport): StackCheck[] {
  return report.results.filter((result) => !result.ok);
}

/** The old stacks applied on paper: each one's settled state, or the stacks that would not settle. */
export interface SettledLayout {
  readonly outdir: string;
  readonly states: Readonly<Record<string, TerraformState>>;
  readonly failures: readonly StackCheck[];
  /** Every stack's check, with the counts of its first plan from nothing. */
  readonly report: HarnessReport;
}

/** Settles every stack of a synthesized output (see `HarnessOptions.settle`): the state each would have once applied. */
export async function settleLayout(
  outdir: string,
  options: Pick<HarnessOptions, 'concurrency' | 'env' | 'onResult'> = {},
): Promise<SettledLayout> {
  const report = await checkSynthesized(outdir, { ...options, settle: true });
  const states = Object.fromEntries(report.results.filter((r) => r.settled).map((r) => [r.stack, r.settled!.state]));
  return { outdir, states, failures: failuresOf(report), report };
}

/** Which stacks a change touches: planned again, unchanged, or gone. */
function compareLayouts(fromOutdir: string, toOutdir: string) {
  const before = readStacks(fromOutdir);
  const after = readStacks(toOutdir);
  const changed = [...after.keys()].filter((stack) => !sameStack(before.get(stack), after.get(stack)));
  return {
    after,
    changed,
    unchangedStacks: [...after.keys()].filter((stack) => !changed.includes(stack)),
    removedStacks: [...before.keys()].filter((stack) => !after.has(stack)),
  };
}

const NO_CHANGE: PlanJson = { format_version: '1.2', resource_changes: [] };

/**
 * What applying the synthesized stacks in `toOutdir` would do to the infrastructure a settled
 * layout describes, offline: each new stack that differs is planned against its settled state, with
 * the settled stacks' outputs as its remote state. A stack that did not change plans no change (that
 * is what settling proved), so it is not planned again.
 */
export async function previewAgainst(settled: SettledLayout, toOutdir: string, options: PreviewOptions = {}): Promise<Preview> {
  const { after, changed, unchangedStacks, removedStacks } = compareLayouts(settled.outdir, toOutdir);
  if (settled.failures.length > 0) return { plans: [], changes: [], unchangedStacks, removedStacks, failures: settled.failures };

  const planJsonDir = options.planJsonDir ?? fs.mkdtempSync(path.join(toOutdir, 'preview-plans-'));
  try {
    const report =
      changed.length === 0
        ? undefined
        : await checkSynthesized(toOutdir, { ...options, priorState: settled.states, planJsonDir, only: changed });
    if (report && !report.ok) return { plans: [], changes: [], unchangedStacks, removedStacks, failures: failuresOf(report) };

    const plans: StackPlan[] = [
      ...[...after.keys()].map((stack) => ({
        stack,
        plan: changed.includes(stack)
          ? (JSON.parse(fs.readFileSync(path.join(planJsonDir, `${stack}.json`), 'utf8')) as PlanJson)
          : NO_CHANGE,
      })),
      ...removedStacks.map((stack) => ({ stack, plan: deletionOf(settled.states[stack]) })),
    ];
    const changes = plans.flatMap(({ stack, plan }) =>
      (plan.resource_changes ?? [])
        .filter((change) => change.mode === 'managed' && !(change.change.actions.length === 1 && change.change.actions[0] === 'no-op'))
        .map((change) => ({ stack, address: change.address, type: change.type, actions: change.change.actions })),
    );
    return { plans, changes, unchangedStacks, removedStacks, failures: [] };
  } finally {
    if (!options.planJsonDir) fs.rmSync(planJsonDir, { recursive: true, force: true });
  }
}

/** `previewAgainst` the settled stacks of `fromOutdir`; when no stack differs, nothing needs settling. */
export async function previewChange(fromOutdir: string, toOutdir: string, options: PreviewOptions = {}): Promise<Preview> {
  const { after, changed, unchangedStacks, removedStacks } = compareLayouts(fromOutdir, toOutdir);
  if (changed.length === 0 && removedStacks.length === 0) {
    return {
      plans: [...after.keys()].map((stack) => ({ stack, plan: NO_CHANGE })),
      changes: [],
      unchangedStacks,
      removedStacks,
      failures: [],
    };
  }
  return previewAgainst(await settleLayout(fromOutdir, options), toOutdir, options);
}

/** Terraform's diagnostics for the stacks a preview could not settle or plan. */
export function formatFailures(preview: Preview): string {
  return preview.failures.map((failure) => `${failure.stack}: ${failure.failedStep} failed:\n${failure.diagnostics ?? ''}`).join('\n\n');
}
