import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../../stacks';
import type { ResolvedConfig } from '../config';
import { UsageError } from '../errors';
import { deploymentOrder, LOCAL_BACKEND_OVERRIDE, STATE_STACK_STATE_FILE } from '../naming';
import { resourceCount, type TerraformJson } from '../terraform/offline';
import { processAlive, withLock } from './lock';

export interface SynthOptions {
  /** The output directory, replaced as a whole. */
  readonly outdir: string;
  /** The project directory, which holds the state stack's local state file. */
  readonly projectDir: string;
}

export interface SynthResult {
  readonly outdir: string;
  /** Stack names in deployment order. */
  readonly stacks: readonly string[];
}

/** Synthesizes all stacks into `outdir` (no swap): what `cdktf synth` runs through the app entry. */
export function synthesizeInPlace(config: ResolvedConfig, options: SynthOptions & { readonly writeTo?: string }): SynthResult {
  const { app } = buildApp(config, { outdir: options.writeTo ?? options.outdir });
  app.synth();
  return { outdir: options.outdir, stacks: deploymentOrder(config.primaryRegion, config.secondaryRegions) };
}

/** Moves Terraform's working files (providers, lock files) of existing stacks into the new output. */
function carryOverWorkingFiles(oldOutdir: string, newOutdir: string): void {
  const oldStacks = path.join(oldOutdir, 'stacks');
  if (!fs.existsSync(oldStacks)) return;
  for (const stack of fs.readdirSync(oldStacks)) {
    const target = path.join(newOutdir, 'stacks', stack);
    if (!fs.existsSync(target)) continue;
    // The local backend override of a state stack moved out of its bucket for a teardown
    // (bootstrap --reverse) stays too, so the destroy can run (again) after a synthesis.
    for (const entry of ['.terraform', '.terraform.lock.hcl', LOCAL_BACKEND_OVERRIDE]) {
      const source = path.join(oldStacks, stack, entry);
      if (fs.existsSync(source)) fs.renameSync(source, path.join(target, entry));
    }
  }
}

/** cdktf's record of a synthesis: a stack is `stacks/<name>/cdk.tf.json` below the output directory. */
export const MANIFEST_FILE = 'manifest.json';
/** Entries the output directory holds at its top level after a synthesis. */
const OUTPUT_ENTRIES = [MANIFEST_FILE, 'stacks'];

function isWithin(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest. */
function realPath(p: string): string {
  const missing: string[] = [];
  let current = path.resolve(p);
  while (!fs.existsSync(current) && path.dirname(current) !== current) {
    missing.unshift(path.basename(current));
    current = path.dirname(current);
  }
  return path.join(fs.realpathSync(current), ...missing);
}

/** Why `dir` is not an earlier synthesis output (so replacing it would delete someone's files), if it is not. */
function notSynthesisOutput(dir: string): string | undefined {
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return undefined;
  let manifest: { stacks?: Record<string, { synthesizedStackPath?: unknown }> };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as typeof manifest;
  } catch {
    return `it holds no cdktf ${MANIFEST_FILE}`;
  }
  const stacks = manifest?.stacks;
  if (
    stacks === null ||
    typeof stacks !== 'object' ||
    Object.entries(stacks).some(([name, stack]) => stack?.synthesizedStackPath !== `stacks/${name}/cdk.tf.json`)
  ) {
    return `its ${MANIFEST_FILE} is not the manifest of a synthesis`;
  }
  const foreign = [
    ...entries.filter((entry) => !OUTPUT_ENTRIES.includes(entry)),
    ...(fs.existsSync(path.join(dir, 'stacks'))
      ? fs
          .readdirSync(path.join(dir, 'stacks'))
          .filter((stack) => !(stack in stacks))
          .map((stack) => `stacks/${stack}`)
      : []),
  ];
  return foreign.length > 0 ? `it holds entries synthesis did not write: ${foreign.sort().join(', ')}` : undefined;
}

/**
 * Refuses an output directory whose replacement would delete what synthesis did not write: one that
 * would contain the project or working directory (and with them the state stack's state file), a
 * file, a symbolic link, or a directory that is not an earlier synthesis output.
 */
export function checkOutputTarget(outdir: string, projectDir: string, flag = '--output'): void {
  const target = realPath(outdir);
  const shown = `${flag} "${path.relative(process.cwd(), outdir) || '.'}"`;
  const fix = 'Fix: pass a directory of its own, such as "cdktf.out"';
  const protectedPaths: Array<[string, string]> = [
    [path.join(projectDir, STATE_STACK_STATE_FILE), `the state stack's state file ${STATE_STACK_STATE_FILE}`],
    [projectDir, 'the project directory'],
    [process.cwd(), 'the working directory'],
  ];
  for (const [protectedPath, what] of protectedPaths) {
    if (isWithin(realPath(protectedPath), target)) {
      throw new UsageError(`${shown} would contain ${what}, and synthesis replaces the output directory as a whole. ${fix}`);
    }
  }
  const stat = fs.lstatSync(outdir, { throwIfNoEntry: false });
  if (stat === undefined) return;
  if (stat.isSymbolicLink())
    throw new UsageError(`${shown} is a symbolic link, which synthesis would replace. ${fix}, or the directory the link points to`);
  if (!stat.isDirectory()) throw new UsageError(`${shown} is a file, not an earlier synthesis output. ${fix}`);
  const why = notSynthesisOutput(outdir);
  if (why)
    throw new UsageError(
      `${shown} exists and is not an earlier synthesis output (${why}); synthesis would delete it. ${fix}, or move what it holds elsewhere`,
    );
}

/** Leftovers of runs that were killed: staging and retired directories and claimed locks whose process is gone. */
function removeLeftovers(outdir: string): void {
  const parent = path.dirname(outdir);
  const base = path.basename(outdir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const leftover = new RegExp(`^${base}\\.(?:(?:staging|retired)-(\\d+)-\\d+|lock\\.stale-(\\d+))$`);
  for (const entry of fs.readdirSync(parent)) {
    const match = leftover.exec(entry);
    const pid = Number(match?.[1] ?? match?.[2]);
    if (match && pid !== process.pid && !processAlive(pid)) fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

function countResources(outdir: string, stacks: readonly string[]): Record<string, number> {
  return Object.fromEntries(
    stacks.map((stack) => [
      stack,
      resourceCount(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as TerraformJson),
    ]),
  );
}

/**
 * Synthesizes into a sibling temporary directory, then swaps it in under a lock next to the output,
 * so concurrent runs take turns and the last one wins. If anything fails, the previous output is left
 * exactly as it was. Refuses a target that is not an earlier synthesis output (`checkOutputTarget`).
 */
export function synthesize(
  config: ResolvedConfig,
  options: SynthOptions,
): SynthResult & { readonly resources: Readonly<Record<string, number>> } {
  const outdir = path.resolve(options.outdir);
  checkOutputTarget(outdir, options.projectDir);
  const suffix = `${process.pid}-${Date.now()}`;
  const staging = `${outdir}.staging-${suffix}`;
  const retired = `${outdir}.retired-${suffix}`;
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    const result = synthesizeInPlace(config, { ...options, outdir, writeTo: staging });
    const resources = countResources(staging, result.stacks);
    withLock(`${outdir}.lock`, outdir, () => {
      removeLeftovers(outdir);
      checkOutputTarget(outdir, options.projectDir);
      const hadOutput = fs.existsSync(outdir);
      if (hadOutput) {
        carryOverWorkingFiles(outdir, staging);
        fs.renameSync(outdir, retired);
      }
      fs.renameSync(staging, outdir);
      if (hadOutput) fs.rmSync(retired, { recursive: true, force: true });
    });
    return { ...result, resources };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
