import { spawn, type ChildProcess } from 'node:child_process';
import { UserError } from '../errors';

/** Environment variable naming the Terraform binary; `terraform` on `PATH` otherwise. */
export const TERRAFORM_ENV_VAR = 'ACTIVE_ACTIVE_TERRAFORM';

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export class TerraformMissingError extends UserError {}

function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env[TERRAFORM_ENV_VAR] || 'terraform';
}

/** Terraform processes started here and still running. */
const running = new Set<ChildProcess>();
let stopping = false;

/**
 * Starts one Terraform process and tracks it until it ends. After `stopTerraform`, nothing starts:
 * the caller's promise stays pending while the interrupted command ends the process.
 */
export function spawnTerraform(
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly stdio: 'pipe' | 'inherit' },
): ChildProcess | undefined {
  if (stopping) return undefined;
  const child = spawn(terraformBinary(options.env), args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.stdio === 'pipe' ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  running.add(child);
  child.on('close', () => running.delete(child));
  child.on('error', () => running.delete(child));
  return child;
}

/** The one-line error for a Terraform binary that is not there. */
export function terraformMissing(env: NodeJS.ProcessEnv): TerraformMissingError {
  return new TerraformMissingError(
    `Terraform CLI "${terraformBinary(env)}" was not found. Fix: install Terraform >= 1.11 on PATH, or set ${TERRAFORM_ENV_VAR} to its path`,
  );
}

/**
 * Starts no more Terraform processes and resolves once the running ones have ended. It sends them no
 * signal: a terminal's Ctrl-C reaches them already, and a second interrupt makes Terraform quit an
 * apply without writing its state.
 */
export function stopTerraform(): Promise<void> {
  stopping = true;
  const ended = [...running].map((child) => new Promise<void>((resolve) => child.once('close', () => resolve())));
  return Promise.all(ended).then(() => undefined);
}

/** Runs one Terraform command without a shell and collects its output. */
export function runTerraform(
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawnTerraform(args, { ...options, stdio: 'pipe' });
    if (!child) return;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? terraformMissing(options.env) : error));
    child.on('close', (code) => {
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    });
  });
}
