import { UserError } from '../errors';
import { parseStrictJson } from '../json';
import { StackNames } from '../naming';

/** GitHub's limit for a comment body. */
export const GITHUB_COMMENT_LIMIT = 65536;

/** Marks the comment, so a workflow finds and updates it instead of adding another. */
export const SUMMARY_MARKER = '<!-- active-active-plan-summary -->';

/** Resource types whose destruction or replacement loses data (or the means to read it). */
export const STATEFUL_TYPES: readonly string[] = [
  'aws_rds_global_cluster',
  'aws_rds_cluster',
  'aws_rds_cluster_instance',
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_kms_key',
  'aws_cloudwatch_log_group',
];

type PathStep = string | number;

/** The parts of `terraform show -json <planfile>` the summary reads. */
export interface PlanJson {
  readonly format_version: string;
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly mode: 'managed' | 'data';
    readonly type: string;
    readonly change: { readonly actions: readonly string[]; readonly replace_paths?: ReadonlyArray<readonly PathStep[]> };
  }>;
}

export interface StackPlan {
  readonly stack: string;
  readonly plan: PlanJson;
}

export type ChangeKind = 'add' | 'change' | 'destroy' | 'replace' | 'forget';

export interface ResourceChange {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly kind: ChangeKind;
  /** Attributes that force a replacement (`rule[0].id`). */
  readonly forcedBy: readonly string[];
  /** Destroys or replaces something that holds data. */
  readonly dataAtRisk: boolean;
}

export class PlanInputError extends UserError {}

/** Reads one plan's JSON, or explains what is wrong with it and how to produce the right thing. */
export function parsePlanJson(text: string, source: string): PlanJson {
  const fix = 'Fix: pass the output of "terraform show -json <planfile>"';
  if (text.trim() === '') throw new PlanInputError(`${source} is empty. ${fix}`);
  const parsed = parseStrictJson(text);
  if ('error' in parsed) {
    const { line, column, reason } = parsed.error;
    throw new PlanInputError(`${source} is not valid JSON (${reason} at line ${line}, column ${column}). ${fix}`);
  }
  const plan = parsed.value as Partial<PlanJson> | null;
  if (plan === null || typeof plan !== 'object' || typeof plan.format_version !== 'string') {
    throw new PlanInputError(`${source} is not a Terraform plan: it has no "format_version". ${fix}`);
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw new PlanInputError(`${source} is not a Terraform plan: "resource_changes" is not a list. ${fix}`);
  }
  return plan as PlanJson;
}

/**
 * The stack a plan file belongs to: `name=path` names it explicitly; otherwise the file name without
 * `.json` (and `.plan`/`.tfplan`), or the directory name when the file is just `plan.json`.
 */
export function stackFromArgument(argument: string): { stack: string; path: string } {
  const named = /^([A-Za-z0-9_-]+)=(.+)$/.exec(argument);
  if (named) return { stack: named[1], path: named[2] };
  const parts = argument.split(/[\\/]/).filter(Boolean);
  const base = (parts[parts.length - 1] ?? argument).replace(/\.json$/, '').replace(/\.(tf)?plan$/, '');
  const generic = ['plan', 'tfplan', 'terraform'].includes(base);
  return { stack: generic && parts.length > 1 ? parts[parts.length - 2] : base, path: argument };
}

function kindOf(actions: readonly string[]): ChangeKind | undefined {
  const key = actions.join(',');
  if (key === 'create') return 'add';
  if (key === 'update') return 'change';
  if (key === 'delete') return 'destroy';
  if (key === 'delete,create' || key === 'create,delete') return 'replace';
  if (key === 'forget') return 'forget';
  return undefined;
}

function formatPath(steps: readonly PathStep[]): string {
  return steps.reduce<string>((out, step) => (typeof step === 'number' ? `${out}[${step}]` : out ? `${out}.${step}` : step), '');
}

/** Every managed resource a plan changes, classified. */
export function resourceChanges(stackPlan: StackPlan): ResourceChange[] {
  return (stackPlan.plan.resource_changes ?? []).flatMap((change) => {
    const kind = change.mode === 'managed' ? kindOf(change.change.actions) : undefined;
    if (!kind) return [];
    const destructive = kind === 'destroy' || kind === 'replace';
    return [
      {
        stack: stackPlan.stack,
        address: change.address,
        type: change.type,
        kind,
        forcedBy: (change.change.replace_paths ?? []).map(formatPath),
        dataAtRisk: destructive && (STATEFUL_TYPES.includes(change.type) || stackPlan.stack === StackNames.state),
      },
    ];
  });
}

export interface SummaryOptions {
  /**
   * Longest output, in characters.
   * @default 65536 (a GitHub comment)
   */
  readonly maxLength?: number;
  /** Where the full plans are, for the truncation note (e.g. the workflow run's artifacts URL). */
  readonly fullPlanLocation?: string;
  /** Stacks that could not be planned. */
  readonly failedStacks?: readonly string[];
}

const SYMBOL: Record<ChangeKind, string> = { add: '+', change: '~', destroy: '-', replace: '-/+', forget: '.' };
const VERB: Record<ChangeKind, string> = { add: 'create', change: 'update in place', destroy: 'destroy', replace: 'replace', forget: 'forget (remove from state only)' };

function count(changes: readonly ResourceChange[], kind: ChangeKind): number {
  return changes.filter((c) => c.kind === kind).length;
}

function warningLine(change: ResourceChange): string {
  const forced = change.forcedBy.length > 0 ? `, forced by ${change.forcedBy.map((p) => `\`${p}\``).join(', ')}` : '';
  return `> - \`${change.stack}\`: \`${change.address}\` **${change.kind}**${forced}`;
}

/**
 * A Markdown summary of several stacks' plans for one pull request comment: totals, a warning for
 * every change that loses data and every replacement with what forced it, a table per stack, and the
 * changed resources. Sections that do not fit `maxLength` are left out with a note.
 */
export function summarizePlans(plans: readonly StackPlan[], options: SummaryOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const perStack = plans.map((p) => ({ stack: p.stack, changes: resourceChanges(p) }));
  const all = perStack.flatMap((s) => s.changes);
  const failed = options.failedStacks ?? [];

  const totals = `${count(all, 'add')} to add, ${count(all, 'change')} to change, ${count(all, 'destroy')} to destroy, ${count(all, 'replace')} to replace`;
  const head = [SUMMARY_MARKER, `## Terraform plan: ${totals} (${plans.length} stacks)`, ''];

  const warnings: string[] = [];
  if (failed.length > 0) {
    warnings.push('> [!CAUTION]', `> **Not planned**: ${failed.map((s) => `\`${s}\``).join(', ')} failed to plan; see the job log. This summary is incomplete.`, '');
  }
  const atRisk = all.filter((c) => c.dataAtRisk);
  if (atRisk.length > 0) {
    warnings.push('> [!CAUTION]', '> **Data at risk**: these changes destroy or replace resources that hold data.', ...atRisk.map(warningLine), '');
  }
  const otherReplacements = all.filter((c) => c.kind === 'replace' && !c.dataAtRisk);
  if (otherReplacements.length > 0) {
    warnings.push('> [!WARNING]', '> **Replacements**: these resources are destroyed and created again.', ...otherReplacements.map(warningLine), '');
  }

  const table = [
    '| stack | add | change | destroy | replace |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...perStack.map(({ stack, changes }) =>
      `| \`${stack}\` | ${count(changes, 'add')} | ${count(changes, 'change')} | ${count(changes, 'destroy')} | ${count(changes, 'replace')} |`,
    ),
    `| **total** | **${count(all, 'add')}** | **${count(all, 'change')}** | **${count(all, 'destroy')}** | **${count(all, 'replace')}** |`,
    '',
  ];

  const details = perStack
    .filter((s) => s.changes.length > 0)
    .map(({ stack, changes }) =>
      [
        `<details><summary><code>${stack}</code>: ${changes.length} resource${changes.length === 1 ? '' : 's'} changed</summary>`,
        '',
        ...changes.map((c) => `- \`${SYMBOL[c.kind]}\` \`${c.address}\` ${VERB[c.kind]}`),
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  if (all.length === 0 && failed.length === 0) details.push('No changes: the infrastructure matches the configuration.\n');

  const where = options.fullPlanLocation ? ` The full plans: ${options.fullPlanLocation}` : ' The full plans are in the workflow run\'s artifacts.';
  const truncationNote = (left: number) => `\n_Truncated: ${left} more section${left === 1 ? '' : 's'} did not fit in a comment.${where}_\n`;

  let out = `${[...head, ...warnings, ...table].join('\n')}\n`;
  const reserve = truncationNote(details.length).length;
  if (out.length + reserve > maxLength) {
    // Even the warnings do not fit: keep what fits of them, whole lines only.
    const lines = out.split('\n');
    out = '';
    for (const line of lines) {
      if (out.length + line.length + 1 + reserve > maxLength) break;
      out += `${line}\n`;
    }
    return out + truncationNote(details.length);
  }
  for (let i = 0; i < details.length; i++) {
    const rest = details.length - i - 1;
    const needsNote = rest > 0 ? truncationNote(rest).length : 0;
    if (out.length + details[i].length + needsNote > maxLength) return out + truncationNote(details.length - i);
    out += details[i];
  }
  return out;
}
