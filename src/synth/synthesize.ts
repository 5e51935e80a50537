import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../../stacks';
import type { ResolvedConfig } from '../config';
import { deploymentOrder, StackNames } from '../naming';

/** File name of the state stack's own (local) state, kept in the project directory. */
export const STATE_STACK_STATE_FILE = 'terraform.state.tfstate';

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

/**
 * The state stack's state file path as the local backend sees it: relative to the directory that
 * Terraform runs the stack in, so the output does not depend on where the project is checked out.
 */
export function stateFilePathFor(outdir: string, projectDir: string): string {
  const stackDir = path.join(path.resolve(outdir), 'stacks', StackNames.state);
  return path.relative(stackDir, path.join(path.resolve(projectDir), STATE_STACK_STATE_FILE));
}

/** Synthesizes all stacks into `outdir` (no swap): what `cdktf synth` runs through the app entry. */
export function synthesizeInPlace(config: ResolvedConfig, options: SynthOptions & { readonly writeTo?: string }): SynthResult {
  const { app } = buildApp(config, {
    outdir: options.writeTo ?? options.outdir,
    stateFilePath: stateFilePathFor(options.outdir, options.projectDir),
  });
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
    for (const entry of ['.terraform', '.terraform.lock.hcl']) {
      const source = path.join(oldStacks, stack, entry);
      if (fs.existsSync(source)) fs.renameSync(source, path.join(target, entry));
    }
  }
}

/**
 * Synthesizes into a sibling temporary directory, then swaps it in. If anything fails, the previous
 * output is left exactly as it was.
 */
export function synthesize(config: ResolvedConfig, options: SynthOptions): SynthResult {
  const outdir = path.resolve(options.outdir);
  const suffix = `${process.pid}-${Date.now()}`;
  const staging = `${outdir}.staging-${suffix}`;
  const retired = `${outdir}.retired-${suffix}`;
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    const result = synthesizeInPlace(config, { ...options, outdir, writeTo: staging });
    const hadOutput = fs.existsSync(outdir);
    if (hadOutput) {
      carryOverWorkingFiles(outdir, staging);
      fs.renameSync(outdir, retired);
    }
    fs.renameSync(staging, outdir);
    if (hadOutput) fs.rmSync(retired, { recursive: true, force: true });
    return result;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
