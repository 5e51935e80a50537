import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { LOCAL_BACKEND_OVERRIDE } from '../naming';
import { runTerraform, spawnTerraform, terraformMissing } from './run';

export interface StateMoveOptions {
  /** The synthesized state stack: `<output>/stacks/state`. */
  readonly stackDir: string;
  /** The local state file: where the state is before `bootstrap`, and after `bootstrap --reverse`. */
  readonly localStateFile: string;
  /** Extra S3 backend settings for `init` (`-backend-config=<file>`), e.g. a profile or endpoints. */
  readonly backendConfigFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Progress, one line at a time. */
  readonly log?: (line: string) => void;
}

export interface BootstrapOptions extends StateMoveOptions {
  /** Apply the state stack first (with the local backend). Without it, only an existing local state moves. */
  readonly apply: boolean;
  /** Apply without asking. @default false */
  readonly autoApprove?: boolean;
}

interface TerraformState {
  readonly lineage: string;
  readonly serial: number;
  readonly outputs?: unknown;
  readonly resources?: unknown;
}

interface StateResource {
  readonly mode?: string;
  readonly type?: string;
  readonly name?: string;
  readonly module?: string;
  readonly instances?: ReadonlyArray<{ readonly index_key?: unknown; readonly attributes?: unknown }>;
}

/**
 * Whether two states hold the same: the same resources with the same attributes, and the same
 * outputs. Lineage and serial are not compared: a migration may give the state new ones, and
 * Terraform adds bookkeeping fields to what it writes.
 */
function sameState(a: TerraformState, b: TerraformState): boolean {
  const content = (state: TerraformState) =>
    JSON.stringify([
      state.outputs ?? {},
      ((state.resources ?? []) as StateResource[]).map((r) => [
        r.module,
        r.mode,
        r.type,
        r.name,
        (r.instances ?? []).map((i) => [i.index_key, i.attributes]),
      ]),
    ]);
  return content(a) === content(b);
}

function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

async function terraform(options: StateMoveOptions, args: string[]): Promise<string> {
  const result = await runTerraform(args, { cwd: options.stackDir, env: options.env ?? process.env });
  if (result.code !== 0) {
    throw new UserError(`terraform ${args[0]} in ${shown(options.stackDir)} failed:\n${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout;
}

/** `terraform apply` on the terminal: the operator reads the plan and answers the prompt. */
function applyOnTerminal(options: BootstrapOptions): Promise<void> {
  const env = options.env ?? process.env;
  const args = ['apply', ...(options.autoApprove ? ['-auto-approve'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawnTerraform(args, { cwd: options.stackDir, env, stdio: 'inherit' });
    if (!child) return;
    child.on('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? terraformMissing(env) : error));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new UserError(
              `terraform apply of the state stack did not complete; its state stays in ${shown(options.localStateFile)}. Fix: read the error above, then run bootstrap again`,
            ),
          ),
    );
  });
}

function readState(text: string, where: string): TerraformState {
  const state = JSON.parse(text) as Partial<TerraformState>;
  if (typeof state.lineage !== 'string' || typeof state.serial !== 'number')
    throw new UserError(`${where} is not a Terraform state. Fix: check the file`);
  return state as TerraformState;
}

/**
 * The state stack's state in its bucket, or undefined when the S3 backend cannot be initialised
 * (before the first bootstrap the bucket does not exist).
 */
async function bucketState(options: StateMoveOptions): Promise<TerraformState | undefined> {
  const env = options.env ?? process.env;
  const init = await runTerraform(['init', '-input=false', '-no-color', '-reconfigure', ...backendConfig(options)], {
    cwd: options.stackDir,
    env,
  });
  if (init.code !== 0) return undefined;
  const pulled = await runTerraform(['state', 'pull'], { cwd: options.stackDir, env });
  return pulled.code === 0 && pulled.stdout.trim() ? readState(pulled.stdout, 'the state in the bucket') : undefined;
}

function backendConfig(options: StateMoveOptions): string[] {
  return options.backendConfigFile ? [`-backend-config=${path.resolve(options.backendConfigFile)}`] : [];
}

function writeLocalBackend(options: StateMoveOptions): string {
  const file = path.join(options.stackDir, LOCAL_BACKEND_OVERRIDE);
  fs.writeFileSync(
    file,
    `${JSON.stringify({ terraform: { backend: { local: { path: path.resolve(options.localStateFile) } } } }, null, 2)}\n`,
  );
  return file;
}

function requireStack(options: StateMoveOptions): void {
  if (!fs.existsSync(path.join(options.stackDir, 'cdk.tf.json'))) {
    throw new UserError(`${shown(options.stackDir)} holds no synthesized state stack. Fix: run "active-active synth" first`);
  }
}

/**
 * Puts the state stack's own state in the state bucket it creates: applies the stack with a local
 * backend (or takes an existing local state file), moves that state to the stack's S3 backend with
 * `init -migrate-state`, checks that the bucket holds the same resources and outputs, and only then
 * deletes the local file and its backup. Nothing is deleted when a step fails.
 */
export async function bootstrapState(options: BootstrapOptions): Promise<void> {
  const log = options.log ?? (() => {});
  requireStack(options);
  const exists = fs.existsSync(options.localStateFile);
  if (!options.apply && !exists) {
    throw new UserError(
      `${shown(options.localStateFile)} does not exist, so there is no state to move. Fix: run bootstrap without --no-apply to create the state stack`,
    );
  }
  // -force-copy overwrites whatever the bucket holds: never a state the stack already keeps there.
  const inBucket = await bucketState(options);
  const held = ((inBucket?.resources as unknown[] | undefined) ?? []).length;
  if (held > 0) {
    throw new UserError(
      `the state bucket already holds the state stack's state (${held} resources): it is bootstrapped${exists ? `, and ${shown(options.localStateFile)} is not moved over it` : ''}. Fix: deploy the state stack as any other; compare an old local file with "terraform state pull" before deleting it`,
    );
  }
  const override = writeLocalBackend(options);
  try {
    log(`Initializing the state stack with a local backend (${shown(options.localStateFile)})`);
    await terraform(options, ['init', '-input=false', '-no-color', '-reconfigure']);
    if (options.apply) {
      log('Applying the state stack');
      await applyOnTerminal(options);
    }
  } finally {
    fs.rmSync(override, { force: true });
  }
  const local = readState(fs.readFileSync(options.localStateFile, 'utf8'), shown(options.localStateFile));
  log('Moving its state into the state bucket');
  await terraform(options, ['init', '-input=false', '-no-color', '-migrate-state', '-force-copy', ...backendConfig(options)]);
  const moved = readState(await terraform(options, ['state', 'pull']), 'the state in the bucket');
  if (!sameState(moved, local)) {
    throw new UserError(
      `the bucket's state of the state stack is not the local one; ${shown(options.localStateFile)} is kept. Fix: compare them with "terraform state pull", then run bootstrap --no-apply again`,
    );
  }
  for (const file of [options.localStateFile, `${options.localStateFile}.backup`]) fs.rmSync(file, { force: true });
  log(`The state stack's state is in its bucket; ${shown(options.localStateFile)} is removed.`);
}

/**
 * The reverse, before the state stack is destroyed (its bucket cannot hold the state of its own
 * destruction): moves the state from the bucket to a local file and leaves the stack on a local
 * backend. Refuses to overwrite an existing local file.
 */
export async function unbootstrapState(options: StateMoveOptions): Promise<void> {
  const log = options.log ?? (() => {});
  requireStack(options);
  if (fs.existsSync(options.localStateFile)) {
    throw new UserError(`${shown(options.localStateFile)} already exists and would be overwritten. Fix: move it away first`);
  }
  await terraform(options, ['init', '-input=false', '-no-color', ...backendConfig(options)]);
  const inBucket = readState(await terraform(options, ['state', 'pull']), 'the state in the bucket');
  writeLocalBackend(options);
  log(`Moving the state stack's state out of its bucket into ${shown(options.localStateFile)}`);
  await terraform(options, ['init', '-input=false', '-no-color', '-migrate-state', '-force-copy']);
  const local = readState(fs.readFileSync(options.localStateFile, 'utf8'), shown(options.localStateFile));
  if (!sameState(local, inBucket)) {
    throw new UserError(
      `${shown(options.localStateFile)} is not the state the bucket holds. Fix: compare them with "terraform state pull" before destroying anything`,
    );
  }
  log(`The state stack now uses ${shown(options.localStateFile)}: destroy it from ${shown(options.stackDir)}.`);
}
