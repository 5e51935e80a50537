import { spawn } from 'node:child_process';
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

export function terraformBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env[TERRAFORM_ENV_VAR] || 'terraform';
}

/** Runs one Terraform command without a shell and collects its output. */
export function runTerraform(
  args: readonly string[],
  options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<CommandResult> {
  const binary = terraformBinary(options.env);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new TerraformMissingError(
              `Terraform CLI "${binary}" was not found. Fix: install Terraform >= 1.11 on PATH, or set ${TERRAFORM_ENV_VAR} to its path`,
            )
          : error,
      );
    });
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
