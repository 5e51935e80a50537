/**
 * An outage of the state Region, played out with Terraform's real S3 backend against local stand-ins:
 * `s3rver` for each state bucket and `dynalite` for each lock table, one pair per state Region, on
 * free loopback ports. The backend blocks and the remote-state read are the generated ones; only the
 * settings that point Terraform at the stand-ins are added (endpoints, path-style addressing, no
 * credential or account checks, no checksums, s3rver's keys). `kms_key_id` stays: s3rver ignores the
 * SSE-KMS headers. Replication is played by copying the bucket's files, object for object; the
 * scenario runs through the switch to the replica and the failback documented in docs/state-outage.md,
 * including the stale digests a lock table keeps across an outage.
 *
 * What this cannot prove: S3-native locking (`use_lockfile`). s3rver ignores `If-None-Match` on
 * PutObject, so two writers would both "get" the lock file; the lock proven here is the DynamoDB
 * table's, and the two-Region example leaves `use_lockfile` off.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, exampleInput, synth, tempDir, type Synthesized } from './helpers';
import { dynamodbCall, S3RVER_KEY, startStateRegion, type StateRegion } from './stand-ins';

interface Run {
  readonly code: number;
  /** Standard output and standard error, interleaved. */
  readonly output: string;
  readonly stdout: string;
}

/** Runs Terraform without blocking the event loop, which serves the stand-ins in this process. */
function terraform(dir: string, args: string[], onOutput?: (output: string, stdin: NodeJS.WritableStream) => void): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_IN_AUTOMATION: '1', AWS_EC2_METADATA_DISABLED: 'true' };
  for (const name of Object.keys(env)) if (name.startsWith('AWS_') && name !== 'AWS_EC2_METADATA_DISABLED') delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [...args, '-no-color'], { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      onOutput?.(output, child.stdin);
    };
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output, stdout }));
  });
}

/** Runs Terraform, fails on a non-zero exit, and returns standard output. */
async function ok(dir: string, args: string[]): Promise<string> {
  const run = await terraform(dir, args);
  if (run.code !== 0) throw new Error(`terraform ${args.join(' ')} in ${path.basename(dir)} failed:\n${run.output}`);
  return run.stdout;
}

/** The generated backend settings, pointed at the stand-ins of the Region they name; nothing else changes. */
function atStandIns(generated: TerraformJson, regions: Readonly<Record<string, StateRegion>>): TerraformJson {
  const region = regions[generated.region];
  if (!region) throw new Error(`no stand-in for state Region ${generated.region}`);
  return {
    ...generated,
    endpoints: region.endpoints,
    use_path_style: true,
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_s3_checksum: true,
    access_key: S3RVER_KEY,
    secret_key: S3RVER_KEY,
  };
}

const PRODUCER = 'global';
const CONSUMER = 'region-us-east-1';

/**
 * Two tiny stacks with the generated state settings: the producer keeps a marker value in
 * `terraform_data` and outputs it; the consumer reads it through the generated remote-state read.
 */
function writeStacks(
  synthesized: Synthesized,
  regions: Readonly<Record<string, StateRegion>>,
  work: string,
  marker: string,
): { producer: string; consumer: string; generated: { generated: TerraformJson; rewritten: TerraformJson }[] } {
  const producerStack = synthesized.stacks.get(PRODUCER)!;
  const consumerStack = synthesized.stacks.get(CONSUMER)!;
  const [readName, read] = Object.entries(consumerStack.data.terraform_remote_state as Record<string, TerraformJson>).find(
    ([, source]) => source.config.key === `stacks/${PRODUCER}.tfstate`,
  )!;
  const producerBackend = atStandIns(producerStack.terraform.backend.s3, regions);
  const consumerBackend = atStandIns(consumerStack.terraform.backend.s3, regions);
  const readConfig = atStandIns(read.config, regions);

  const producer = path.join(work, PRODUCER);
  const consumer = path.join(work, CONSUMER);
  for (const dir of [producer, consumer]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(producer, 'main.tf.json'),
    JSON.stringify({
      terraform: { backend: { s3: producerBackend } },
      resource: { terraform_data: { marker: { input: marker } } },
      output: { marker: { value: '${terraform_data.marker.output}' } },
    }),
  );
  fs.writeFileSync(
    path.join(consumer, 'main.tf.json'),
    JSON.stringify({
      terraform: { backend: { s3: consumerBackend } },
      data: { terraform_remote_state: { [readName]: { ...read, config: readConfig } } },
      output: { 'producer-marker': { value: `\${data.terraform_remote_state.${readName}.outputs.marker}` } },
    }),
  );
  return {
    producer,
    consumer,
    generated: [
      [producerStack.terraform.backend.s3, producerBackend],
      [consumerStack.terraform.backend.s3, consumerBackend],
      [read.config, readConfig],
    ].map(([generated, rewritten]) => ({ generated, rewritten })),
  };
}

/** A second apply while the first waits for approval (holding the lock) is refused by the lock table. */
async function expectConcurrentApplyRefused(stackDir: string, marker: string): Promise<void> {
  const mainFile = path.join(stackDir, 'main.tf.json');
  const original = fs.readFileSync(mainFile, 'utf8');
  fs.writeFileSync(mainFile, original.replace(/"input":"[^"]*"/, `"input":${JSON.stringify(marker)}`));
  try {
    let approval: NodeJS.WritableStream | undefined;
    let lockHeld: () => void = () => undefined;
    const waitingForApproval = new Promise<void>((resolve) => (lockHeld = resolve));
    const first = terraform(stackDir, ['apply'], (output, stdin) => {
      if (approval === undefined && output.includes('Enter a value:')) {
        approval = stdin;
        lockHeld();
      }
    });
    await waitingForApproval;
    const second = await terraform(stackDir, ['apply', '-auto-approve', '-input=false', '-lock-timeout=0s']);
    approval!.write('no\n');
    const firstRun = await first;
    expect(second.code).toBe(1);
    expect(second.output).toContain('Error acquiring the state lock');
    expect(second.output).toMatch(/ConditionalCheckFailed/);
    expect(firstRun.output).toContain('Apply cancelled');
  } finally {
    fs.writeFileSync(mainFile, original);
  }
}

/** The lock-table item in which Terraform keeps the MD5 digest of a stack's state object. */
function digestKey(region: StateRegion, stack: string): TerraformJson {
  return { LockID: { S: `${region.bucket}/stacks/${stack}.tfstate-md5` } };
}

function stateObject(region: StateRegion, stack: string): { serial: number; outputs: Record<string, { value: unknown }> } {
  const file = path.join(region.directory, region.bucket, 'stacks', `${stack}.tfstate._S3rver_object`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('apply-11 an outage of the state Region, with the real S3 backend against local S3 and DynamoDB', () => {
  const work = tempDir('aa-outage-');
  const input = exampleInput();
  const primarySynthesis = synth(configFrom(input));
  const replicaSynthesis = synth(configFrom({ ...input, state: { ...input.state, active: 'replica' } }));
  const lockTable = primarySynthesis.stacks.get(PRODUCER)!.terraform.backend.s3.dynamodb_table as string;
  const stateRegions: Record<string, StateRegion> = {};
  let primary: StateRegion;
  let replica: StateRegion;
  let digestsBeforeOutage: TerraformJson[] = [];

  beforeAll(async () => {
    primary = await startStateRegion('acme-shop-tfstate-111122223333-us-east-1', lockTable, path.join(work, 's3-us-east-1'));
    replica = await startStateRegion('acme-shop-tfstate-111122223333-us-west-2', lockTable, path.join(work, 's3-us-west-2'));
    Object.assign(stateRegions, { 'us-east-1': primary, 'us-west-2': replica });
  });

  afterAll(async () => {
    await Promise.allSettled(Object.values(stateRegions).map((region) => region.stop()));
    for (const dir of [work, ...[primarySynthesis, replicaSynthesis].map((s) => path.dirname(s.outdir))]) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('apply-11 the generated blocks are used as generated, only pointed at the stand-ins', () => {
    const { generated } = writeStacks(primarySynthesis, stateRegions, path.join(work, 'check'), 'v0');
    for (const { generated: block, rewritten } of generated) {
      expect(Object.keys(block).sort()).toEqual(['bucket', 'dynamodb_table', 'encrypt', 'key', 'kms_key_id', 'region']);
      for (const [setting, value] of Object.entries(block)) expect(rewritten[setting]).toEqual(value);
    }
  });

  test('apply-11 in the state Region: state lands in its bucket, the remote-state read sees it, a concurrent apply is refused by the lock', async () => {
    const { producer, consumer } = writeStacks(primarySynthesis, stateRegions, work, 'v1');
    await ok(producer, ['init', '-input=false']);
    await ok(producer, ['apply', '-auto-approve', '-input=false']);
    expect(stateObject(primary, PRODUCER).outputs.marker.value).toBe('v1');
    await ok(consumer, ['init', '-input=false']);
    await ok(consumer, ['apply', '-auto-approve', '-input=false']);
    expect((await ok(consumer, ['output', '-raw', 'producer-marker'])).trim()).toBe('v1');
    await expectConcurrentApplyRefused(producer, 'v-concurrent');
  });

  test('apply-11 state Region down: with state.active "replica" both stacks plan and apply from the replica bucket and its lock table', async () => {
    // What replication does: the same objects, byte for byte, in the replica bucket.
    fs.cpSync(path.join(primary.directory, primary.bucket), path.join(replica.directory, replica.bucket), { recursive: true });
    // The state Region's lock table outlives the outage with the digests it holds now.
    digestsBeforeOutage = await Promise.all(
      [PRODUCER, CONSUMER].map(
        async (stack) =>
          (await dynamodbCall(primary.endpoints.dynamodb, 'GetItem', { TableName: lockTable, Key: digestKey(primary, stack) })).Item,
      ),
    );
    expect(digestsBeforeOutage.every((item) => item?.Digest)).toBe(true);
    await primary.stop();
    delete stateRegions['us-east-1'];

    const { producer, consumer } = writeStacks(replicaSynthesis, stateRegions, work, 'v1');
    await ok(producer, ['init', '-input=false', '-reconfigure']);
    await ok(consumer, ['init', '-input=false', '-reconfigure']);
    // Exit code 0 with -detailed-exitcode: the replica's state matches the configuration, nothing to do.
    expect((await terraform(producer, ['plan', '-detailed-exitcode', '-input=false'])).code).toBe(0);
    expect((await terraform(consumer, ['plan', '-detailed-exitcode', '-input=false'])).code).toBe(0);

    await expectConcurrentApplyRefused(producer, 'v-concurrent');
    const replicated = stateObject(replica, PRODUCER).serial;
    writeStacks(replicaSynthesis, stateRegions, work, 'v2');
    await ok(producer, ['apply', '-auto-approve', '-input=false']);
    await ok(consumer, ['apply', '-auto-approve', '-input=false']);
    expect((await ok(consumer, ['output', '-raw', 'producer-marker'])).trim()).toBe('v2');
    const written = stateObject(replica, PRODUCER);
    expect(written.outputs.marker.value).toBe('v2');
    expect(written.serial).toBeGreaterThan(replicated);
  });

  test('apply-11 failback: replicated back and with stale digests cleared, the state Region serves what was written meanwhile', async () => {
    // The state Region is back: its bucket as it was, its table with the digests of before the outage.
    const recovered = await startStateRegion(primary.bucket, lockTable, primary.directory);
    stateRegions['us-east-1'] = recovered;
    for (const item of digestsBeforeOutage)
      await dynamodbCall(recovered.endpoints.dynamodb, 'PutItem', { TableName: lockTable, Item: item });
    // What replication back does: the replica's objects, byte for byte, in the state bucket.
    fs.cpSync(path.join(replica.directory, replica.bucket), path.join(recovered.directory, recovered.bucket), { recursive: true });

    const { producer, consumer } = writeStacks(primarySynthesis, stateRegions, work, 'v2');
    // A digest of the state before the outage no longer matches: Terraform refuses, as documented.
    const stale = await terraform(producer, ['init', '-input=false', '-reconfigure']);
    expect(stale.code).toBe(1);
    expect(stale.output).toContain('does not have the expected content');

    for (const stack of [PRODUCER, CONSUMER]) {
      await dynamodbCall(recovered.endpoints.dynamodb, 'DeleteItem', { TableName: lockTable, Key: digestKey(recovered, stack) });
    }
    await ok(producer, ['init', '-input=false', '-reconfigure']);
    await ok(consumer, ['init', '-input=false', '-reconfigure']);
    expect((await terraform(producer, ['plan', '-detailed-exitcode', '-input=false'])).code).toBe(0);
    expect((await terraform(consumer, ['plan', '-detailed-exitcode', '-input=false'])).code).toBe(0);
    expect((await ok(consumer, ['output', '-raw', 'producer-marker'])).trim()).toBe('v2');
    expect(stateObject(recovered, PRODUCER).outputs.marker.value).toBe('v2');
  });
});
