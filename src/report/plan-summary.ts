import { dollarChange, dollars } from '../cost/format';
import { planCost, type PlanCost } from '../cost/plan-cost';
import { UsageError, UserError } from '../errors';
import { parseStrictJson } from '../json';
import { StackNames } from '../naming';
import { plural } from '../text';

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
  'aws_dynamodb_table_replica',
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

const PLAN_FIX = 'Fix: pass the output of "terraform show -json <planfile>"';

/** The action lists Terraform writes (https://developer.hashicorp.com/terraform/internals/json-format), by kind. */
const ACTIONS: ReadonlyMap<string, ChangeKind | 'none'> = new Map([
  ['no-op', 'none'],
  ['read', 'none'],
  ['create', 'add'],
  ['update', 'change'],
  ['delete', 'destroy'],
  ['delete,create', 'replace'],
  ['create,delete', 'replace'],
  ['forget', 'forget'],
]);

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The first field of one resource change that is not what Terraform writes: `[field, problem]`. */
function resourceChangeProblem(change: unknown): [string, string] | undefined {
  if (!isObject(change)) return ['', `expected an object, got ${describeJson(change)}`];
  for (const field of ['address', 'type']) {
    if (typeof change[field] !== 'string') return [`.${field}`, `expected a string, got ${describeJson(change[field])}`];
  }
  if (change.mode !== 'managed' && change.mode !== 'data')
    return ['.mode', `expected "managed" or "data", got ${describeJson(change.mode)}`];
  const inner = change.change;
  if (!isObject(inner)) return ['.change', `expected an object, got ${describeJson(inner)}`];
  const actions = inner.actions;
  if (!Array.isArray(actions)) return ['.change.actions', `expected a list, got ${describeJson(actions)}`];
  if (!ACTIONS.has(actions.join(',')) || !actions.every((a) => typeof a === 'string')) {
    return ['.change.actions', `${JSON.stringify(actions)} is not a Terraform action list`];
  }
  const paths = inner.replace_paths;
  if (paths === undefined) return undefined;
  if (!Array.isArray(paths)) return ['.change.replace_paths', `expected a list, got ${describeJson(paths)}`];
  for (const [i, steps] of paths.entries()) {
    if (!Array.isArray(steps)) return [`.change.replace_paths[${i}]`, `expected a list, got ${describeJson(steps)}`];
    const bad = steps.findIndex((step) => typeof step !== 'string' && typeof step !== 'number');
    if (bad >= 0) return [`.change.replace_paths[${i}][${bad}]`, `expected a string or a number, got ${describeJson(steps[bad])}`];
  }
  return undefined;
}

/**
 * Reads one plan's JSON, or explains what is wrong with it and how to produce the right thing. Only a
 * complete plan is summarized: a state, an errored or incomplete plan, or one with fields Terraform
 * does not write would otherwise read as "no changes".
 */
export function parsePlanJson(text: string | Uint8Array, source: string): PlanJson {
  const fail = (problem: string): never => {
    throw new PlanInputError(`${source} ${problem}. ${PLAN_FIX}`);
  };
  if ((typeof text === 'string' ? text : Buffer.from(text).toString('utf8')).trim() === '') fail('is empty');
  const parsed = parseStrictJson(text);
  if ('error' in parsed) {
    const { line, column, problem } = parsed.error;
    throw new PlanInputError(`${source}, line ${line}, column ${column}: ${problem}. ${PLAN_FIX}`);
  }
  const plan = parsed.value;
  if (!isObject(plan)) return fail(`is not a Terraform plan: it is ${describeJson(plan)}`);
  if ('lineage' in plan || 'values' in plan) fail('is a Terraform state, not a plan');
  if (typeof plan.format_version !== 'string') fail('is not a Terraform plan: it has no "format_version"');
  const format = plan.format_version as string;
  if (!/^1\.\d+$/.test(format)) fail(`has format_version ${JSON.stringify(format)}; this tool reads 1.x`);
  if (plan.errored === true) fail('is the plan of a run that failed ("errored": true), so its changes are not all known');
  if (plan.complete === false)
    fail('is an incomplete plan ("complete": false), such as one made with -target; it does not show every change');
  if (!isObject(plan.planned_values)) fail('is not a Terraform plan: it has no "planned_values"');
  const changes = plan.resource_changes;
  if (changes !== undefined) {
    if (!Array.isArray(changes)) return fail(`is not a Terraform plan: resource_changes: expected a list, got ${describeJson(changes)}`);
    changes.forEach((change, i) => {
      const problem = resourceChangeProblem(change);
      if (problem) fail(`is not a Terraform plan: resource_changes[${i}]${problem[0]}: ${problem[1]}`);
    });
  }
  return plan as unknown as PlanJson;
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
  const kind = ACTIONS.get(actions.join(','));
  return kind === 'none' ? undefined : kind;
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
  /**
   * The heading's first words.
   * @default 'Terraform plan'
   */
  readonly title?: string;
  /**
   * Start with the marker a workflow finds its comment by. A summary that goes inside another comment leaves it out.
   * @default true
   */
  readonly marker?: boolean;
}

const SYMBOL: Record<ChangeKind, string> = { add: '+', change: '~', destroy: '-', replace: '-/+', forget: '.' };
const VERB: Record<ChangeKind, string> = {
  add: 'create',
  change: 'update in place',
  destroy: 'destroy',
  replace: 'replace',
  forget: 'forget (remove from state only)',
};

function count(changes: readonly ResourceChange[], kind: ChangeKind): number {
  return changes.filter((c) => c.kind === kind).length;
}

/** Text as HTML: for names taken from file names or resource keys, which may hold any character. */
function escapeHtml(text: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '`': '&#96;', '|': '&#124;' };
  return text.replace(/[&<>"`|]/g, (char) => entities[char]).replace(/[\r\n\t]/g, ' ');
}

/**
 * Inline code that survives any name: a backtick span when the text can hold one, else an HTML
 * `<code>` element (a backtick or `|` would end the span or split a table cell; a line break would
 * end the line).
 */
function code(text: string): string {
  return /^[^`|\r\n\t]+$/.test(text) ? `\`${text}\`` : `<code>${escapeHtml(text)}</code>`;
}

function warningLine(change: ResourceChange): string {
  const forced = change.forcedBy.length > 0 ? `, forced by ${change.forcedBy.map(code).join(', ')}` : '';
  return `> - ${code(change.stack)}: ${code(change.address)} **${change.kind}**${forced}`;
}

function headline(title: string, all: readonly ResourceChange[], planned: number, failed: number): string {
  if (planned === 0) return `## ${title}: not planned (${plural(failed, 'stack')} failed)`;
  const totals = `${count(all, 'add')} to add, ${count(all, 'change')} to change, ${count(all, 'destroy')} to destroy, ${count(all, 'replace')} to replace`;
  return `## ${title}: ${totals} (${plural(planned, 'stack')}${failed > 0 ? `, ${failed} failed` : ''})`;
}

/** Rows of the cost table before the rest is summed up in one line. */
const COST_ROWS = 10;

/** The change in fixed monthly charges, with the resources that change them most. */
function costSection(cost: PlanCost | undefined): string[] {
  if (!cost) return [];
  const change = cost.after - cost.before;
  const lines = [
    `**Monthly cost: ${dollarChange(change)}** in fixed charges (from ${dollars(cost.before)} to ${dollars(cost.after)} for the resources in these plans, at on-demand list prices; usage charges are not included, see \`active-active cost\`).`,
    '',
  ];
  if (cost.changes.length > 0) {
    const shown = cost.changes.slice(0, COST_ROWS);
    const rest = cost.changes.slice(COST_ROWS);
    lines.push(
      '| stack | resource | before | after | change |',
      '| --- | --- | ---: | ---: | ---: |',
      ...shown.map(
        (c) =>
          `| ${code(c.stack)} | ${code(c.address)} | ${dollars(c.before)} | ${dollars(c.after)} | ${dollarChange(c.after - c.before)} |`,
      ),
      ...(rest.length > 0
        ? [`| | ${plural(rest.length, 'other resource')} | | | ${dollarChange(rest.reduce((sum, c) => sum + c.after - c.before, 0))} |`]
        : []),
      '',
    );
  }
  if (cost.warnings.length > 0) lines.push(...cost.warnings.map((w) => `- Not priced: ${escapeHtml(w)}`), '');
  return lines;
}

/**
 * A Markdown summary of several stacks' plans for one pull request comment: totals, a warning for
 * every change that loses data and every replacement with what forced it, a table per stack, and the
 * changed resources. Sections that do not fit `maxLength` are left out with a note; a `maxLength` too
 * small for even the heading and that note is refused.
 */
export function summarizePlans(plans: readonly StackPlan[], options: SummaryOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const perStack = plans.map((p) => ({ stack: p.stack, changes: resourceChanges(p) }));
  const all = perStack.flatMap((s) => s.changes);
  const failed = options.failedStacks ?? [];

  const head = [
    ...(options.marker === false ? [] : [SUMMARY_MARKER]),
    headline(options.title ?? 'Terraform plan', all, plans.length, failed.length),
    '',
  ];

  const warnings: string[] = [];
  if (failed.length > 0) {
    warnings.push(
      '> [!CAUTION]',
      `> **Not planned**: ${failed.map(code).join(', ')} failed to plan; see the job log. This summary is incomplete.`,
      '',
    );
  }
  const atRisk = all.filter((c) => c.dataAtRisk);
  if (atRisk.length > 0) {
    warnings.push(
      '> [!CAUTION]',
      '> **Data at risk**: these changes destroy or replace resources that hold data.',
      ...atRisk.map(warningLine),
      '',
    );
  }
  const otherReplacements = all.filter((c) => c.kind === 'replace' && !c.dataAtRisk);
  if (otherReplacements.length > 0) {
    warnings.push(
      '> [!WARNING]',
      '> **Replacements**: these resources are destroyed and created again.',
      ...otherReplacements.map(warningLine),
      '',
    );
  }

  const table =
    perStack.length === 0
      ? []
      : [
          '| stack | add | change | destroy | replace |',
          '| --- | ---: | ---: | ---: | ---: |',
          ...perStack.map(
            ({ stack, changes }) =>
              `| ${code(stack)} | ${count(changes, 'add')} | ${count(changes, 'change')} | ${count(changes, 'destroy')} | ${count(changes, 'replace')} |`,
          ),
          `| **total** | **${count(all, 'add')}** | **${count(all, 'change')}** | **${count(all, 'destroy')}** | **${count(all, 'replace')}** |`,
          '',
        ];

  const cost = costSection(planCost(plans));

  const details = perStack
    .filter((s) => s.changes.length > 0)
    .map(({ stack, changes }) =>
      [
        `<details><summary><code>${escapeHtml(stack)}</code>: ${plural(changes.length, 'resource')} changed</summary>`,
        '',
        ...changes.map((c) => `- \`${SYMBOL[c.kind]}\` ${code(c.address)} ${VERB[c.kind]}`),
        '',
        '</details>',
        '',
      ].join('\n'),
    );
  if (all.length === 0 && failed.length === 0) details.push('No changes: the infrastructure matches the configuration.\n');

  const where = options.fullPlanLocation
    ? ` The full plans: ${options.fullPlanLocation}`
    : " The full plans are in the workflow run's artifacts.";
  const truncationNote = (left: number) =>
    `\n_Truncated: ${left} more section${left === 1 ? '' : 's'} did not fit in a comment.${where}_\n`;

  let out = `${[...head, ...warnings, ...table, ...cost].join('\n')}\n`;
  const reserve = truncationNote(details.length).length;
  if (out.length + reserve > maxLength) {
    // Even the warnings do not fit: keep what fits of them, whole lines only, the marker at least.
    const shortest = SUMMARY_MARKER.length + 1 + reserve;
    if (shortest > maxLength) {
      throw new UsageError(
        `--max-length ${maxLength} is too small: the shortest summary takes ${shortest} characters. Fix: use at least ${shortest}`,
      );
    }
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
