import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors';
import { writeCliConfig } from './cli-config';
import { findProviderMirror, type ProviderMirror } from './mirror';
import {
  backendKey,
  OFFLINE_PROVIDER_SETTINGS,
  offlineCopy,
  remoteStateSources,
  standInState,
  standInVariables,
  type TerraformJson,
} from './offline';
import type { ProviderSchema } from './placeholders';
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
  /** Passed init, validate and plan. */
  readonly ok: boolean;
  /** The step that failed, if any. */
  readonly failedStep?: 'prepare' | 'init' | 'validate' | 'plan';
  readonly planned?: PlanCounts;
  /** Unique warning summaries Terraform printed during validate and plan. */
  readonly warnings: readonly string[];
  /** Terraform's own diagnostics when a step failed. */
  readonly diagnostics?: string;
  readonly seconds: number;
  /** The offline working directory (kept when `keepWorkdirs` is set). */
  readonly workdir: string;
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
   * Write each stack's plan as `terraform show -json` output to `<dir>/<stack>.json`, for
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
  /** Called as each stack finishes, for progress output. */
  readonly onResult?: (result: StackCheck) => void;
}

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
  changes?: PlanCounts;
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

/** `validate -json` prints one document; its diagnostics take the shape of `plan -json` lines. */
function parseValidateOutput(text: string): JsonLogLine[] {
  try {
    const document = JSON.parse(text) as { diagnostics?: JsonLogLine['diagnostic'][] };
    return (document.diagnostics ?? []).map((diagnostic) => ({ type: 'diagnostic', diagnostic }));
  } catch {
    return [];
  }
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
  /** Awaited after `validate`, before `plan` (stand-in state that needs the provider schema). */
  readonly beforePlan?: (initializedDir: string) => Promise<void>;
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

/** Runs `init`, `validate` and `plan` for every task, `concurrency` at a time, in a fresh temporary root. */
async function runChecks(tasks: (root: string, env: NodeJS.ProcessEnv) => CheckTask[], options: HarnessOptions): Promise<HarnessReport> {
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'active-active-tf-'));
  const { env, mirror } = terraformEnvironment(root, options.env ?? process.env);

  const checkOne = async (task: CheckTask): Promise<StackCheck> => {
    const taskStarted = Date.now();
    const warnings = new Set<string>();
    let workdir = root;
    const done = (partial: Omit<StackCheck, 'stack' | 'seconds' | 'workdir' | 'warnings'>): StackCheck => {
      const result = { stack: task.name, ...partial, warnings: [...warnings], seconds: (Date.now() - taskStarted) / 1000, workdir };
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

    const validate = await runTerraform(['validate', '-json', '-no-color'], { cwd: workdir, env: taskEnv });
    const validateLines = parseValidateOutput(validate.stdout);
    warningsOf(validateLines).forEach((w) => warnings.add(w));
    if (validate.code !== 0) return done({ ok: false, failedStep: 'validate', diagnostics: failureText(validate, validateLines) });

    try {
      await task.beforePlan?.(workdir);
    } catch (error) {
      return done({ ok: false, failedStep: 'prepare', diagnostics: (error as Error).message });
    }
    const prior = options.priorState?.[task.name];
    if (prior) fs.writeFileSync(path.join(workdir, 'terraform.tfstate'), JSON.stringify(prior));
    const planArgs = [
      'plan',
      '-refresh=false',
      '-lock=false',
      '-input=false',
      '-json',
      '-out=tfplan',
      ...(options.destroy ? ['-destroy'] : []),
    ];
    const plan = await runTerraform(planArgs, { cwd: workdir, env: taskEnv });
    const planLines = parseJsonLines(plan.stdout);
    warningsOf(planLines).forEach((w) => warnings.add(w));
    if (plan.code !== 0) return done({ ok: false, failedStep: 'plan', diagnostics: failureText(plan, planLines) });
    const summary = planLines.find((line) => line.type === 'change_summary')?.changes;
    if (options.planJsonDir) {
      const show = await runTerraform(['show', '-json', 'tfplan'], { cwd: workdir, env: taskEnv });
      if (show.code !== 0) return done({ ok: false, failedStep: 'plan', diagnostics: failureText(show) });
      fs.mkdirSync(options.planJsonDir, { recursive: true });
      fs.writeFileSync(path.join(options.planJsonDir, `${task.name}.json`), show.stdout);
    }
    return done({ ok: true, planned: { add: summary?.add ?? 0, change: summary?.change ?? 0, remove: summary?.remove ?? 0 } });
  };

  try {
    const results = await pool(
      options.concurrency ?? os.availableParallelism(),
      tasks(root, env).map((task) => () => checkOne(task)),
    );
    return { mirror, results, ok: results.every((r) => r.ok), seconds: (Date.now() - started) / 1000 };
  } finally {
    if (!options.keepWorkdirs) fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Checks every synthesized stack with real Terraform, offline: in a temporary copy, `init` against
 * the local provider mirror, `validate`, and `plan -refresh=false` with mock credentials. Stacks that
 * read other stacks' outputs get stand-in state with values shaped by the provider schema.
 */
export function checkSynthesized(outdir: string, options: HarnessOptions = {}): Promise<HarnessReport> {
  const stacks = readStacks(outdir);
  return runChecks((root, env) => {
    // Backend keys identify the stack whose state a remote state data source reads.
    const stackByKey = new Map<string, string>();
    for (const [name, json] of stacks) {
      const key = backendKey(json);
      if (key !== undefined) stackByKey.set(key, name);
    }
    const standInDir = path.join(root, 'stand-ins');
    fs.mkdirSync(standInDir, { recursive: true });
    const standInPath = (producer: string) => path.join(standInDir, `${producer}.tfstate`);

    let schemaPromise: Promise<ProviderSchema | undefined> | undefined;
    const schemaFrom = (initializedDir: string) => (schemaPromise ??= readProviderSchema<ProviderSchema>(initializedDir, env));
    const writtenStandIns = new Map<string, Promise<void>>();
    const ensureStandIn = (producer: string, initializedDir: string) => {
      let written = writtenStandIns.get(producer);
      if (!written) {
        written = schemaFrom(initializedDir).then((schema) => {
          const state = standInState(stacks.get(producer)!, producer, schema);
          fs.writeFileSync(standInPath(producer), `${JSON.stringify(state, null, 2)}\n`);
        });
        writtenStandIns.set(producer, written);
      }
      return written;
    };

    return [...stacks].map(([name, stack]): CheckTask => {
      let producers: string[] = [];
      return {
        name,
        prepare: (taskRoot) => {
          const standIns: Record<string, string> = {};
          producers = remoteStateSources(stack).map((source) => {
            const producer = stackByKey.get(source.key);
            if (!producer) throw new Error(`remote state "${source.name}" reads "${source.key}", which no synthesized stack writes`);
            standIns[source.name] = standInPath(producer);
            return producer;
          });
          const workdir = path.join(taskRoot, 'stacks', name);
          fs.mkdirSync(workdir, { recursive: true });
          fs.writeFileSync(path.join(workdir, 'cdk.tf.json'), `${JSON.stringify(offlineCopy(stack, standIns), null, 2)}\n`);
          return { workdir, variables: standInVariables(stack) };
        },
        beforePlan: async (initializedDir) => {
          await Promise.all(producers.map((producer) => ensureStandIn(producer, initializedDir)));
        },
      };
    });
  }, options);
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
