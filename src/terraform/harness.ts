import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors';
import { keepScratchDir, makeScratchDir, removeScratchDir } from '../scratch';
import { writeCliConfig } from './cli-config';
import { findProviderMirror, type ProviderMirror } from './mirror';
import {
  backendKey,
  OFFLINE_PROVIDER_SETTINGS,
  offlineCopy,
  providerContexts,
  remoteStateSources,
  standInState,
  standInVariables,
  type TerraformJson,
} from './offline';
import type { PlaceholderContext, ProviderSchema } from './placeholders';
import {
  contextFromPlan,
  planChangesNothing,
  plannedChanges,
  priorStateFromPlan,
  type PlanDocument,
  type TerraformState,
} from './prior-state';
import { startSfnStandIn, SFN_ENDPOINT_ENV_VAR } from './sfn-stand-in';
import { readProviderSchema } from './schema';
import { runTerraform, type CommandResult } from './run';

/** Planned changes of one stack, from Terraform's `change_summary`. */
export interface PlanCounts {
  readonly add: number;
  readonly change: number;
  readonly remove: number;
}

export interface StackCheck {
  readonly stack: string;
  /** Passed init and plan (whose validation walk is `terraform validate`'s). */
  readonly ok: boolean;
  /** The step that failed, if any. */
  readonly failedStep?: 'prepare' | 'init' | 'plan' | 'settle';
  readonly planned?: PlanCounts;
  /** Unique warning summaries Terraform printed during the plans. */
  readonly warnings: readonly string[];
  /** Terraform's own diagnostics when a step failed. */
  readonly diagnostics?: string;
  readonly seconds: number;
  /** The offline working directory (kept when `keepWorkdirs` is set). */
  readonly workdir: string;
  /** With `settle`: the state the stack settled on, and how many plans against prior state it took. */
  readonly settled?: { readonly state: TerraformState; readonly rounds: number };
}

export interface HarnessOptions {
  /**
   * Stacks checked at once.
   * @default the number of CPUs
   */
  readonly concurrency?: number;
  /**
   * Keep the temporary working directories (to inspect or re-run a plan).
   * @default false
   */
  readonly keepWorkdirs?: boolean;
  /** The environment for Terraform (default: this process's). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Write each stack's first plan (from the prior state, or from nothing) as `terraform show -json` output to `<dir>/<stack>.json`, for
   * `active-active plan-summary`.
   * @default - plans are not kept
   */
  readonly planJsonDir?: string;
  /**
   * Prior state per stack (Terraform state format 4) to plan against, instead of an empty state.
   * @default - every stack plans from nothing
   */
  readonly priorState?: Readonly<Record<string, object>>;
  /**
   * Plan the destruction of everything in the prior state (`plan -destroy`), as `cdktf destroy` and
   * `terraform destroy` would.
   * @default false
   */
  readonly destroy?: boolean;
  /**
   * After the plan, apply it on paper until nothing changes: build the state the plan would leave
   * (known values as planned, placeholders for what AWS fills in), plan against it, and repeat until
   * a plan changes nothing. A stack that never gets there fails with the changes of its last plan.
   * Stacks that read other stacks' outputs get the settled outputs of those stacks.
   * @default false
   */
  readonly settle?: boolean;
  /**
   * Check only these stacks or root modules (the others still provide stand-in outputs).
   * @default - all of them
   */
  readonly only?: readonly string[];
  /** Called as each stack finishes, for progress output. */
  readonly onResult?: (result: StackCheck) => void;
}

/**
 * Plans against prior state a settling stack may take before it must change nothing. Each round
 * fixes what is computed from values the round before filled in (policy documents, container
 * definitions, lists of IDs); the examples settle in two, three with a `prevent_destroy` relaxed.
 */
const SETTLE_ROUNDS = 6;

export interface HarnessReport {
  readonly mirror: ProviderMirror | undefined;
  readonly results: readonly StackCheck[];
  readonly ok: boolean;
  readonly seconds: number;
}

/** The stacks of a synthesized output directory, by name. */
export function readStacks(outdir: string): Map<string, TerraformJson> {
  const stacksDir = path.join(outdir, 'stacks');
  if (!fs.existsSync(stacksDir)) {
    throw new UserError(`${outdir} holds no synthesized stacks (no "stacks/" directory). Fix: run "active-active synth" first`);
  }
  const stacks = new Map<string, TerraformJson>();
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, name, 'cdk.tf.json');
    if (fs.existsSync(file)) stacks.set(name, JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson);
  }
  return stacks;
}

/** Runs `tasks` with at most `limit` in flight; results keep the order of `tasks`. */
async function pool<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, worker));
  return results;
}

interface JsonLogLine {
  type?: string;
  '@level'?: string;
  changes?: PlanCounts & { import?: number; forget?: number };
  outputs?: Record<string, { action?: string }>;
  diagnostic?: {
    severity: string;
    summary: string;
    detail?: string;
    address?: string;
    range?: { filename: string; start: { line: number; column: number } };
  };
}

function parseJsonLines(text: string): JsonLogLine[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as JsonLogLine);
}

function formatDiagnostic(line: JsonLogLine): string {
  const d = line.diagnostic!;
  const where = d.range ? ` (${d.range.filename} line ${d.range.start.line})` : '';
  const address = d.address ? ` [${d.address}]` : '';
  return `${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}${address}${where}${d.detail ? `\n  ${d.detail.replace(/\n/g, '\n  ')}` : ''}`;
}

function warningsOf(lines: JsonLogLine[]): string[] {
  return lines.filter((l) => l.diagnostic?.severity === 'warning').map((l) => l.diagnostic!.summary);
}

function failureText(result: CommandResult, lines: JsonLogLine[] = []): string {
  const errors = lines.filter((l) => l.diagnostic?.severity === 'error').map(formatDiagnostic);
  return errors.length > 0 ? errors.join('\n') : `${result.stderr}${result.stdout}`.trim();
}

/** A Terraform root module to check: where it goes, and what must be ready before its plan. */
interface CheckTask {
  readonly name: string;
  /** Writes the root module under `root`; returns its directory and any `TF_VAR_*` settings. */
  readonly prepare: (root: string) => { workdir: string; variables?: Record<string, string> };
  /** Awaited after `init`, before `plan` (stand-in state that needs the provider schema). */
  readonly beforePlan?: (initializedDir: string) => Promise<void>;
  /** Called once the task is done: with its settled state when it settled. */
  readonly finished?: (settled: TerraformState | undefined) => void;
  /**
   * Rewrites the root module with `prevent_destroy` (`true`) or without it (`false`). Settling
   * replaces resources whose placeholders the next round corrects, which `prevent_destroy` refuses;
   * the settled state must then plan no change with it back.
   */
  readonly protect?: (kept: boolean) => void;
  /** Settle this task, whatever `HarnessOptions.settle` says. */
  readonly settle?: boolean;
  /** The Region and account a provider configuration key (`aws`, `aws.west`) stands for. */
  readonly contextOf?: (providerConfigKey: string) => PlaceholderContext;
}

/**
 * The environment every Terraform command of a run gets: the CLI config (written into `root`) that
 * takes hashicorp/aws from the local mirror, no prompts.
 */
export function terraformEnvironment(
  root: string,
  base: NodeJS.ProcessEnv,
): { env: NodeJS.ProcessEnv; mirror: ProviderMirror | undefined } {
  const mirror = findProviderMirror(base);
  const env: NodeJS.ProcessEnv = {
    ...base,
    TF_CLI_CONFIG_FILE: writeCliConfig(root, mirror),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
  for (const name of ['TF_DATA_DIR', 'TF_WORKSPACE', 'TF_PLUGIN_CACHE_DIR']) delete env[name];
  return { env, mirror };
}

/** Runs `init` and `plan` for every task, `concurrency` at a time, in a fresh temporary root. */
async function runChecks(
  tasks: (root: string, schemaOf: (initializedDir: string) => Promise<ProviderSchema>) => CheckTask[],
  options: HarnessOptions,
): Promise<HarnessReport> {
  const started = Date.now();
  const root = makeScratchDir('active-active-tf-');
  const sfn = await startSfnStandIn();
  const { env: baseEnv, mirror } = terraformEnvironment(root, options.env ?? process.env);
  // Plans of state machines validate their definitions through the Step Functions API: a local stand-in answers.
  const env: NodeJS.ProcessEnv = { ...baseEnv, [SFN_ENDPOINT_ENV_VAR]: sfn.url };
  const schemaOf = (initializedDir: string) => readProviderSchema<ProviderSchema>(initializedDir, env);

  const checkOne = async (task: CheckTask): Promise<StackCheck> => {
    const taskStarted = Date.now();
    const warnings = new Set<string>();
    let workdir = root;
    const done = (partial: Omit<StackCheck, 'stack' | 'seconds' | 'workdir' | 'warnings'>): StackCheck => {
      const result = { stack: task.name, ...partial, warnings: [...warnings], seconds: (Date.now() - taskStarted) / 1000, workdir };
      task.finished?.(result.settled?.state);
      options.onResult?.(result);
      return result;
    };

    let taskEnv: NodeJS.ProcessEnv;
    try {
      const prepared = task.prepare(root);
      workdir = prepared.workdir;
      taskEnv = { ...env, ...prepared.variables };
    } catch (error) {
      return done({ ok: false, failedStep: 'prepare', diagnostics: (error as Error).message });
    }

    const init = await runTerraform(['init', '-backend=false', '-input=false', '-no-color'], { cwd: workdir, env: taskEnv });
    if (init.code !== 0) return done({ ok: false, failedStep: 'init', diagnostics: failureText(init) });

    // No separate `terraform validate`: `plan` walks the same validation graph first (its trace says
    // "running validation operation") and reports the same errors and warnings, so a second start of
    // the provider would only add time.
    try {
      await task.beforePlan?.(workdir);
    } catch (error) {
      return done({ ok: false, failedStep: 'prepare', diagnostics: (error as Error).message });
    }
    type PlanOutcome = { failure: string } | { planned: PlanCounts; changesNothing: boolean };
    const plan = async (prior: object | undefined): Promise<PlanOutcome> => {
      if (prior) fs.writeFileSync(path.join(workdir, 'terraform.tfstate'), JSON.stringify(prior));
      shownPlan = undefined;
      const planArgs = [
        'plan',
        '-refresh=false',
        '-lock=false',
        '-input=false',
        '-json',
        '-out=tfplan',
        ...(options.destroy ? ['-destroy'] : []),
      ];
      const result = await runTerraform(planArgs, { cwd: workdir, env: taskEnv });
      const lines = parseJsonLines(result.stdout);
      warningsOf(lines).forEach((w) => warnings.add(w));
      if (result.code !== 0) return { failure: failureText(result, lines) };
      const counts = lines.find((line) => line.type === 'change_summary')?.changes;
      const planned = { add: counts?.add ?? 0, change: counts?.change ?? 0, remove: counts?.remove ?? 0 };
      const outputActions = lines.flatMap((line) => (line.type === 'outputs' ? Object.values(line.outputs ?? {}) : []));
      const changesNothing =
        planned.add + planned.change + planned.remove + (counts?.import ?? 0) + (counts?.forget ?? 0) === 0 &&
        outputActions.every((output) => output.action === 'noop');
      return { planned, changesNothing };
    };
    // The JSON of the latest plan, rendered at most once per plan.
    let shownPlan: Promise<{ text: string } | { failure: string }> | undefined;
    const show = () =>
      (shownPlan ??= runTerraform(['show', '-json', 'tfplan'], { cwd: workdir, env: taskEnv }).then((result) =>
        result.code === 0 ? { text: result.stdout } : { failure: failureText(result) },
      ));

    const first = await plan(options.priorState?.[task.name]);
    if ('failure' in first) return done({ ok: false, failedStep: 'plan', diagnostics: first.failure });
    // The first plan is the one reported and kept; settling plans again from the state it leaves.
    if (options.planJsonDir) {
      const shown = await show();
      if ('failure' in shown) return done({ ok: false, failedStep: 'plan', diagnostics: shown.failure });
      fs.mkdirSync(options.planJsonDir, { recursive: true });
      fs.writeFileSync(path.join(options.planJsonDir, `${task.name}.json`), shown.text);
    }
    const planned = first.planned;
    let settled: StackCheck['settled'];
    if (task.settle ?? options.settle) {
      const schema = await schemaOf(workdir);
      let state: TerraformState | undefined;
      let last = first;
      let rounds = 0;
      let relaxed = false;
      for (;;) {
        let quiet = state !== undefined && last.changesNothing;
        if (state && !quiet && last.planned.add + last.planned.change + last.planned.remove === 0) {
          // Only outputs changed: the same values under another type are no change.
          const shown = await show();
          if ('failure' in shown) return done({ ok: false, failedStep: 'settle', diagnostics: shown.failure });
          quiet = planChangesNothing(JSON.parse(shown.text) as PlanDocument);
        }
        if (state && quiet) {
          if (!relaxed) {
            settled = { state, rounds };
            break;
          }
          // Settled without prevent_destroy: the same state must plan no change with it.
          task.protect?.(true);
          relaxed = false;
        } else {
          const shown = await show();
          if ('failure' in shown) return done({ ok: false, failedStep: 'settle', diagnostics: shown.failure });
          const document = JSON.parse(shown.text) as PlanDocument;
          if (rounds >= SETTLE_ROUNDS) {
            const changes = plannedChanges(document).map((c) => `  ${c.address}: ${c.actions.join(', ')}`);
            return done({
              ok: false,
              failedStep: 'settle',
              diagnostics: `still changing after ${SETTLE_ROUNDS} plans against the state of the one before:\n${changes.join('\n')}`,
            });
          }
          state = priorStateFromPlan(document, {
            schema,
            contextOf: task.contextOf ?? contextFromPlan(document),
            previous: state,
            lineage: `settled-${task.name}`,
          });
        }
        let next = await plan(state);
        rounds++;
        if ('failure' in next && task.protect && !relaxed && /prevent_destroy/.test(next.failure)) {
          // A placeholder the round before filled in forces a replacement this round corrects.
          task.protect(false);
          relaxed = true;
          next = await plan(state);
        }
        if ('failure' in next) return done({ ok: false, failedStep: 'settle', diagnostics: next.failure });
        last = next;
      }
    }
    return done({ ok: true, planned, settled });
  };

  try {
    const results = await pool(
      options.concurrency ?? os.availableParallelism(),
      tasks(root, schemaOf)
        .filter((task) => !options.only || options.only.includes(task.name))
        .map((task) => () => checkOne(task)),
    );
    return { mirror, results, ok: results.every((r) => r.ok), seconds: (Date.now() - started) / 1000 };
  } finally {
    await sfn.close();
    if (options.keepWorkdirs) keepScratchDir(root);
    else removeScratchDir(root);
  }
}

/**
 * Checks every synthesized stack with real Terraform, offline: in a temporary copy, `init` against
 * the local provider mirror and `plan -refresh=false` (validation included) with mock credentials. Stacks that
 * read other stacks' outputs get stand-in state with values shaped by the provider schema.
 */
export function checkSynthesized(outdir: string, options: HarnessOptions = {}): Promise<HarnessReport> {
  if (options.settle && options.only) throw new Error('settling takes every stack: each settles on the settled outputs of those it reads');
  const stacks = readStacks(outdir);
  return runChecks((root, schemaOf) => {
    // Backend keys identify the stack whose state a remote state data source reads.
    const stackByKey = new Map<string, string>();
    for (const [name, json] of stacks) {
      const key = backendKey(json);
      if (key !== undefined) stackByKey.set(key, name);
    }
    const producersOf = new Map(
      [...stacks].map(([name, stack]) => [
        name,
        remoteStateSources(stack).map((source) => {
          const producer = stackByKey.get(source.key);
          if (!producer) {
            throw new UserError(
              `stack ${name} reads the outputs of "${source.key}", which no stack in ${outdir} writes. Fix: check a whole synthesis output, as "active-active synth" writes it`,
            );
          }
          return { source: source.name, producer };
        }),
      ]),
    );
    const standInDir = path.join(root, 'stand-ins');
    fs.mkdirSync(standInDir, { recursive: true });
    const standInPath = (producer: string) => path.join(standInDir, `${producer}.tfstate`);

    // A settling stack's consumers read the outputs it settled on; otherwise those of its prior state.
    const settledStates = new Map<
      string,
      { promise: Promise<TerraformState | undefined>; resolve: (s: TerraformState | undefined) => void }
    >();
    for (const name of stacks.keys()) {
      let resolve!: (s: TerraformState | undefined) => void;
      settledStates.set(name, { promise: new Promise((r) => (resolve = r)), resolve });
    }
    const writtenStandIns = new Map<string, Promise<void>>();
    const ensureStandIn = (producer: string, initializedDir: string) => {
      let written = writtenStandIns.get(producer);
      if (!written) {
        written = (async () => {
          const schema = await schemaOf(initializedDir);
          const prior = options.settle
            ? await settledStates.get(producer)!.promise
            : (options.priorState?.[producer] as TerraformState | undefined);
          if (options.settle && !prior) throw new Error(`stack "${producer}", whose outputs this stack reads, did not settle`);
          const state = standInState(stacks.get(producer)!, producer, schema, prior?.outputs);
          fs.writeFileSync(standInPath(producer), `${JSON.stringify(state, null, 2)}\n`);
        })();
        writtenStandIns.set(producer, written);
      }
      return written;
    };

    return producersFirst([...stacks.keys()], (name) => producersOf.get(name)!.map((p) => p.producer)).map((name): CheckTask => {
      const stack = stacks.get(name)!;
      const producers = producersOf.get(name)!;
      const workdir = path.join(root, 'stacks', name);
      const standIns = Object.fromEntries(producers.map((p) => [p.source, standInPath(p.producer)]));
      const writeOffline = (json: TerraformJson) =>
        fs.writeFileSync(path.join(workdir, 'cdk.tf.json'), `${JSON.stringify(offlineCopy(json, standIns), null, 2)}\n`);
      return {
        name,
        prepare: () => {
          fs.mkdirSync(workdir, { recursive: true });
          writeOffline(stack);
          return { workdir, variables: standInVariables(stack) };
        },
        protect: hasPreventDestroy(stack) ? (kept) => writeOffline(kept ? stack : withoutPreventDestroy(stack)) : undefined,
        beforePlan: async (initializedDir) => {
          await Promise.all(producers.map((p) => ensureStandIn(p.producer, initializedDir)));
        },
        finished: (state) => settledStates.get(name)!.resolve(state),
        contextOf: providerContexts(stack),
      };
    });
  }, options);
}

/** The lifecycle blocks of a stack's resources. */
function lifecycles(stack: TerraformJson): Array<{ prevent_destroy?: boolean }> {
  const byType = (stack.resource ?? {}) as Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>>;
  return Object.values(byType).flatMap((byName) => Object.values(byName).flatMap((body) => (body.lifecycle ? [body.lifecycle] : [])));
}

/** Whether any resource of a stack sets `lifecycle.prevent_destroy`. */
function hasPreventDestroy(stack: TerraformJson): boolean {
  return lifecycles(stack).some((lifecycle) => lifecycle.prevent_destroy === true);
}

/** A copy of a stack without `prevent_destroy`: every other lifecycle setting stays. */
function withoutPreventDestroy(stack: TerraformJson): TerraformJson {
  const copy = structuredClone(stack);
  for (const lifecycle of lifecycles(copy)) delete lifecycle.prevent_destroy;
  return copy;
}

/**
 * `names` ordered so that every name comes after those `dependencies` gives it (then by name): a
 * pool that starts tasks in this order never waits on one it has not started.
 */
function producersFirst(names: readonly string[], dependencies: (name: string) => readonly string[]): string[] {
  const ordered: string[] = [];
  const visit = (name: string, trail: readonly string[]) => {
    if (ordered.includes(name)) return;
    if (trail.includes(name)) throw new Error(`stacks read each other's outputs in a cycle: ${[...trail, name].join(' -> ')}`);
    for (const dependency of [...dependencies(name)].sort()) visit(dependency, [...trail, name]);
    ordered.push(name);
  };
  for (const name of [...names].sort()) visit(name, []);
  return ordered;
}

/** A root module under a modules tree to plan offline, e.g. a module's `examples/basic`. */
export interface RootModule {
  /** Name in the report, e.g. `vpc/examples/basic`. */
  readonly name: string;
  /** Its directory, relative to the tree. */
  readonly dir: string;
  /** Aliases of its `aws` provider configurations besides the default one. */
  readonly providerAliases: readonly string[];
  /** `TF_VAR_*` values it needs (ephemeral secrets). */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Settle it after its plan (see `HarnessOptions.settle`).
   * @default HarnessOptions.settle
   */
  readonly settle?: boolean;
}

/**
 * Checks root modules of a directory tree with real Terraform, offline: the tree is copied (so
 * relative module `source` paths resolve), and an override file gives every provider configuration
 * mock credentials and no AWS calls.
 */
export function checkRootModules(treeDir: string, roots: readonly RootModule[], options: HarnessOptions = {}): Promise<HarnessReport> {
  return runChecks(
    () =>
      roots.map((rootModule): CheckTask => ({
        name: rootModule.name,
        settle: rootModule.settle,
        prepare: (taskRoot) => {
          const copy = path.join(taskRoot, 'tree');
          if (!fs.existsSync(copy))
            fs.cpSync(treeDir, copy, { recursive: true, filter: (source) => !source.includes(`${path.sep}.terraform`) });
          const workdir = path.join(copy, rootModule.dir);
          const providers = [undefined, ...rootModule.providerAliases].map((alias) => ({
            ...(alias ? { alias } : {}),
            ...OFFLINE_PROVIDER_SETTINGS,
          }));
          fs.writeFileSync(
            path.join(workdir, 'offline_override.tf.json'),
            `${JSON.stringify({ provider: { aws: providers } }, null, 2)}\n`,
          );
          return { workdir, variables: Object.fromEntries(Object.entries(rootModule.variables ?? {}).map(([k, v]) => [`TF_VAR_${k}`, v])) };
        },
      })),
    options,
  );
}

/** A plain-text table of the results, then the diagnostics of every failed stack. */
export function formatReport(report: HarnessReport): string {
  const rows = report.results.map((r) => [
    r.stack,
    r.ok ? 'valid' : `FAILED (${r.failedStep})`,
    r.planned ? String(r.planned.add + r.planned.change + r.planned.remove) : '-',
    r.seconds.toFixed(1),
  ]);
  const header = ['stack', 'result', 'resources planned', 'seconds'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const source = report.mirror
    ? `hashicorp/aws ${report.mirror.awsVersions.join(', ')} from the local mirror ${report.mirror.path}`
    : 'providers from the Terraform registry (no local mirror found)';
  const out = [`Terraform check (${source}):`, line(header), ...rows.map(line)];
  for (const r of report.results) {
    if (r.warnings.length > 0) out.push('', `${r.stack}: warnings:`, ...r.warnings.map((w) => `  - ${w}`));
  }
  for (const r of report.results.filter((x) => !x.ok)) {
    out.push('', `${r.stack}: ${r.failedStep} failed:`, r.diagnostics ?? '');
  }
  const failed = report.results.filter((r) => !r.ok).length;
  out.push(
    '',
    failed === 0
      ? `All ${report.results.length} stacks valid (${report.seconds.toFixed(1)} s).`
      : `${failed} of ${report.results.length} stacks failed.`,
  );
  return out.join('\n');
}
