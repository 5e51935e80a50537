/**
 * `active-active bootstrap` moves the state stack's own state into the bucket it created, played
 * with Terraform's real S3 backend against the local stand-ins (s3rver for the bucket, dynalite for
 * the lock table). The apply itself needs AWS; the move is what is proven here, from a stand-in local
 * state as an apply (or an earlier version of this tool) leaves it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../src/errors';
import { writeCliConfig } from '../src/terraform/cli-config';
import { LOCAL_BACKEND_OVERRIDE } from '../src/naming';
import { bootstrapState, unbootstrapState } from '../src/terraform/bootstrap';
import { findProviderMirror } from '../src/terraform/mirror';
import { example, ROOT, synth, tempDir } from './helpers';
import { dynamodbCall, S3RVER_KEY, startStateRegion, type StateRegion } from './stand-ins';

const BUCKET = 'acme-shop-tfstate-111122223333-us-east-1';
const LOCK_TABLE = 'acme-shop-tfstate-lock';

describe('bootstrap: the state stack keeps its own state in its bucket', () => {
  const result = synth(example('two-region'));
  const stackDir = path.join(result.outdir, 'stacks', 'state');
  const work = tempDir('aa-bootstrap-');
  const project = path.join(work, 'project');
  const localStateFile = path.join(project, 'terraform.state.tfstate');
  const backendConfigFile = path.join(work, 'stand-ins.tfbackend');
  let region: StateRegion;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    fs.mkdirSync(project);
    region = await startStateRegion(BUCKET, LOCK_TABLE, path.join(work, 's3'));
    // The generated backend stays as it is; only what points Terraform at the stand-ins is added.
    fs.writeFileSync(
      backendConfigFile,
      [
        `endpoints = { s3 = "${region.endpoints.s3}", dynamodb = "${region.endpoints.dynamodb}" }`,
        'use_path_style = true',
        'skip_credentials_validation = true',
        'skip_requesting_account_id = true',
        'skip_metadata_api_check = true',
        'skip_s3_checksum = true',
        `access_key = "${S3RVER_KEY}"`,
        `secret_key = "${S3RVER_KEY}"`,
        '',
      ].join('\n'),
    );
    env = {
      ...process.env,
      TF_IN_AUTOMATION: '1',
      TF_CLI_CONFIG_FILE: writeCliConfig(work, findProviderMirror()),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    for (const name of Object.keys(env)) if (name.startsWith('AWS_') && name !== 'AWS_EC2_METADATA_DISABLED') delete env[name];
  });
  afterAll(async () => {
    await region?.stop();
    for (const dir of [work, path.dirname(result.outdir)]) fs.rmSync(dir, { recursive: true, force: true });
  });

  // What an apply of the state stack leaves: an output and a resource (Terraform moves no empty state).
  const localState = {
    version: 4,
    terraform_version: '1.11.4',
    serial: 7,
    lineage: '6f1c2a34-aa00-4b1e-9c3d-0123456789ab',
    outputs: { 'lock-table': { value: LOCK_TABLE, type: 'string' } },
    resources: [
      {
        mode: 'managed',
        type: 'aws_kms_alias',
        name: 'state-backend_key-alias',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          { schema_version: 0, attributes: { id: 'alias/acme-shop-tfstate', name: 'alias/acme-shop-tfstate', target_key_id: 'k' } },
        ],
      },
    ],
    check_results: null,
  };

  test('a local state moves into the bucket under the stack key, through the lock table, and no file stays behind; --reverse brings it back', async () => {
    fs.writeFileSync(localStateFile, JSON.stringify(localState));
    const lines: string[] = [];
    await bootstrapState({ stackDir, localStateFile, apply: false, backendConfigFile, env, log: (l) => lines.push(l) });

    const object = path.join(region.directory, BUCKET, 'stacks', 'state.tfstate._S3rver_object');
    expect(JSON.parse(fs.readFileSync(object, 'utf8'))).toMatchObject({
      outputs: localState.outputs,
      resources: [expect.objectContaining({ name: 'state-backend_key-alias' })],
    });
    // The S3 backend records the state's digest in the lock table when it writes the state.
    const digest = await dynamodbCall(region.endpoints.dynamodb, 'GetItem', {
      TableName: LOCK_TABLE,
      Key: { LockID: { S: `${BUCKET}/stacks/state.tfstate-md5` } },
    });
    expect(digest.Item?.Digest?.S).toMatch(/^[0-9a-f]{32}$/);
    expect(fs.readdirSync(project)).toEqual([]);
    expect(fs.existsSync(path.join(stackDir, LOCAL_BACKEND_OVERRIDE))).toBe(false);
    expect(lines.at(-1)).toMatch(/state is in its bucket/);

    // Bootstrapped once, never again: a second run would overwrite the bucket's state (-force-copy).
    const stale = JSON.stringify({ ...localState, serial: 3 });
    fs.writeFileSync(localStateFile, stale);
    await expect(bootstrapState({ stackDir, localStateFile, apply: false, backendConfigFile, env })).rejects.toThrow(
      /the state bucket already holds the state stack's state \(1 resources\): it is bootstrapped, and .*terraform\.state\.tfstate is not moved over it/,
    );
    expect(fs.readFileSync(localStateFile, 'utf8')).toBe(stale);
    fs.rmSync(localStateFile);

    // For a teardown: back to a local file, the stack left on a local backend to destroy from.
    await unbootstrapState({ stackDir, localStateFile, backendConfigFile, env });
    expect(JSON.parse(fs.readFileSync(localStateFile, 'utf8'))).toMatchObject({
      outputs: localState.outputs,
      resources: [expect.objectContaining({ name: 'state-backend_key-alias' })],
    });
    expect(fs.existsSync(path.join(stackDir, LOCAL_BACKEND_OVERRIDE))).toBe(true);
    await expect(unbootstrapState({ stackDir, localStateFile, backendConfigFile, env })).rejects.toThrow(
      /already exists and would be overwritten/,
    );
  }, 300_000);

  test('nothing to move, or a bucket that cannot be reached: a one-line error, and the local file stays', async () => {
    fs.rmSync(localStateFile, { force: true });
    fs.rmSync(path.join(stackDir, LOCAL_BACKEND_OVERRIDE), { force: true });
    await expect(bootstrapState({ stackDir, localStateFile, apply: false, env })).rejects.toThrow(
      /terraform\.state\.tfstate does not exist, so there is no state to move\. Fix: run bootstrap without --no-apply/,
    );
    fs.writeFileSync(localStateFile, JSON.stringify(localState));
    const unreachable = path.join(work, 'unreachable.tfbackend');
    fs.writeFileSync(unreachable, fs.readFileSync(backendConfigFile, 'utf8').replace(region.endpoints.s3, 'http://127.0.0.1:9'));
    const failed = bootstrapState({ stackDir, localStateFile, apply: false, backendConfigFile: unreachable, env });
    await expect(failed).rejects.toBeInstanceOf(UserError);
    await expect(failed).rejects.toThrow(/terraform init in .* failed/);
    expect(fs.existsSync(localStateFile)).toBe(true);
  }, 300_000);
});

describe('active-active bootstrap on the command line', () => {
  const cli = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), 'bootstrap', ...args], { cwd, encoding: 'utf8' });

  test('without a synthesized state stack, or with flags that do not go together: one line, the fix, no stack trace', () => {
    const dir = tempDir('aa-bootstrap-cli-');
    try {
      const missing = cli(dir);
      expect([missing.status, missing.stderr.trim()]).toEqual([
        1,
        'error: cdktf.out/stacks/state holds no synthesized state stack. Fix: run "active-active synth" first',
      ]);
      const mixed = cli(dir, '--reverse', '--no-apply');
      expect([mixed.status, mixed.stderr.trim()]).toEqual([
        2,
        'error: --reverse only moves state. Fix: leave out --no-apply and --auto-approve',
      ]);
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
