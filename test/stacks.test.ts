import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { deploymentOrder, deploymentWaves, LOCAL_BACKEND_OVERRIDE, stackDependencies } from '../src/naming';
import { synthesize } from '../src/synth/synthesize';
import { configFrom, ELEVEN_REGIONS, example, exampleInput, resources, ROOT, synth, tempDir, type Synthesized } from './helpers';

const two = synth(example('two-region'));
const three = synth(example('three-region'));

function manifest(result: Synthesized): Record<string, { dependencies: string[] }> {
  return JSON.parse(fs.readFileSync(path.join(result.outdir, 'manifest.json'), 'utf8')).stacks;
}

function awsProviders(result: Synthesized, stack: string): Array<Record<string, unknown>> {
  return result.stacks.get(stack)!.provider.aws;
}

describe('stack topology', () => {
  test('two Regions: state, global, one stack per Region, mesh, edge, in deployment order', () => {
    expect(two.order).toEqual(['state', 'global', 'region-us-east-1', 'region-us-west-2', 'mesh', 'edge']);
  });

  test('three Regions add one Region stack', () => {
    expect(three.order).toEqual(['state', 'global', 'region-us-east-1', 'region-us-west-2', 'region-eu-west-1', 'mesh', 'edge']);
  });

  test.each([
    ['two Regions', two, ['region-us-west-2']],
    ['three Regions', three, ['region-us-west-2', 'region-eu-west-1']],
  ])('dependencies order deploys: state, global, primary, secondaries, mesh and edge (%s)', (_label, result, secondaries) => {
    const stacks = manifest(result);
    expect(stacks.state.dependencies).toEqual([]);
    expect(stacks.global.dependencies).toEqual(['state']);
    expect(stacks['region-us-east-1'].dependencies).toEqual(['global']);
    for (const secondary of secondaries) {
      expect(stacks[secondary].dependencies.sort()).toEqual(['global', 'region-us-east-1']);
    }
    expect(stacks.mesh.dependencies.sort()).toEqual(['region-us-east-1', ...secondaries].sort());
    expect(stacks.edge.dependencies.sort()).toEqual(['region-us-east-1', ...secondaries].sort());
  });

  test('the primary Region stack comes first even when it is not listed first', () => {
    const input = exampleInput();
    const result = synth(configFrom({ ...input, regions: [...input.regions].reverse() }));
    expect(result.order).toEqual(['state', 'global', 'region-us-east-1', 'region-us-west-2', 'mesh', 'edge']);
    expect(manifest(result)['region-us-west-2'].dependencies.sort()).toEqual(['global', 'region-us-east-1']);
  });
});

describe('deployment waves', () => {
  const layout = (count: number) => {
    const regions = ELEVEN_REGIONS.slice(0, count).map((region, i) => ({
      region,
      cidr: `10.${10 + i}.0.0/16`,
      ...(i === 0 ? { primary: true } : {}),
    }));
    return configFrom({ ...exampleInput(), regions });
  };

  test.each([2, 3, 5, 11])('%i Regions: state, global, the primary, every other Region together, then mesh and edge', (count) => {
    const config = layout(count);
    const waves = deploymentWaves(config.primaryRegion, config.secondaryRegions);
    expect(waves).toEqual([
      ['state'],
      ['global'],
      ['region-us-east-1'],
      ELEVEN_REGIONS.slice(1, count).map((r) => `region-${r}`),
      ['mesh', 'edge'],
    ]);
    // Every stack's dependencies are in earlier waves, and the waves one after another are the deploy order.
    const dependencies = stackDependencies(config.primaryRegion, config.secondaryRegions);
    waves.forEach((wave, i) => {
      for (const stack of wave) expect(dependencies.get(stack)!.every((d) => waves.slice(0, i).flat().includes(d))).toBe(true);
    });
    expect(waves.flat()).toEqual(deploymentOrder(config.primaryRegion, config.secondaryRegions));
  });

  test("cdktf deploy '*' follows the same waves: the manifest's dependencies are the dependency function's", () => {
    for (const result of [two, three]) {
      const stacks = manifest(result);
      const [primary, ...secondaries] = result.order.filter((s) => s.startsWith('region-')).map((s) => s.slice('region-'.length));
      const expected = stackDependencies(primary, secondaries);
      expect(Object.keys(stacks).sort()).toEqual([...expected.keys()].sort());
      for (const [stack, needs] of expected)
        expect({ stack, needs: [...stacks[stack].dependencies].sort() }).toEqual({ stack, needs: [...needs].sort() });
    }
  });

  test('active-active stacks --waves prints them, as text or as JSON for a workflow matrix', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), 'stacks', ...args], { encoding: 'utf8' });
    expect(cli('--waves').stdout).toBe(
      'wave 1: state\nwave 2: global\nwave 3: region-us-east-1\nwave 4: region-us-west-2\nwave 5: mesh edge\n',
    );
    expect(JSON.parse(cli('--waves', '--json').stdout)).toEqual([
      ['state'],
      ['global'],
      ['region-us-east-1'],
      ['region-us-west-2'],
      ['mesh', 'edge'],
    ]);
    const refused = cli('--json');
    expect([refused.status, refused.stderr.trim()]).toEqual([2, 'error: --json goes with --waves. Fix: pass --waves --json']);
  });
});

describe('providers', () => {
  test('every AWS provider is pinned to the account and tagged through default_tags', () => {
    for (const [stack] of three.stacks) {
      for (const provider of awsProviders(three, stack)) {
        expect(provider.allowed_account_ids).toEqual(['111122223333']);
        expect(provider.default_tags).toEqual([
          {
            tags: {
              Project: 'acme-shop',
              ManagedBy: 'active-active-cdktf',
              Stack: stack,
              Environment: 'production',
              Owner: 'platform-team',
            },
          },
        ]);
      }
    }
  });

  test('each stack has a default provider in its home Region', () => {
    const home = (stack: string) => awsProviders(three, stack).find((p) => !p.alias)?.region;
    expect(home('state')).toBe('us-east-1');
    expect(home('global')).toBe('us-east-1');
    expect(home('region-eu-west-1')).toBe('eu-west-1');
    expect(home('mesh')).toBe('us-east-1');
    expect(home('edge')).toBe('us-west-2');
  });

  test('the state stack reaches the replica Region through an aliased provider', () => {
    expect(awsProviders(two, 'state')).toEqual(
      expect.arrayContaining([expect.objectContaining({ alias: 'us-west-2', region: 'us-west-2' })]),
    );
  });

  test('required providers accept AWS provider 5.100+ and 6.x from hashicorp/aws', () => {
    for (const [, stack] of three.stacks) {
      expect(stack.terraform.required_providers).toEqual({
        aws: { source: 'hashicorp/aws', version: '>= 5.100.0, < 7.0.0' },
      });
      expect(stack.terraform.required_version).toBe('>= 1.11.0');
    }
  });

  test('no data source calls an AWS API: only locally computed ones are used', () => {
    const local = new Set(['aws_iam_policy_document', 'aws_partition', 'aws_region', 'terraform_remote_state']);
    for (const [, stack] of three.stacks) {
      for (const type of Object.keys(stack.data ?? {})) expect(local.has(type)).toBe(true);
    }
  });
});

describe('backends', () => {
  test('every stack, the state stack too, uses the S3 backend with DynamoDB locking, encryption and its own key', () => {
    const keys = new Set<string>();
    for (const stack of three.order) {
      const s3 = three.stacks.get(stack)!.terraform.backend.s3;
      expect(s3).toEqual({
        bucket: 'acme-shop-tfstate-111122223333-us-east-1',
        key: `stacks/${stack}.tfstate`,
        region: 'us-east-1',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:us-east-1:111122223333:alias/acme-shop-tfstate',
        dynamodb_table: 'acme-shop-tfstate-lock',
        use_lockfile: true,
      });
      keys.add(s3.key);
    }
    expect(keys.size).toBe(three.order.length);
  });

  test('use_lockfile is only set when state.useLockfile is on', () => {
    expect(two.stacks.get('global')!.terraform.backend.s3.use_lockfile).toBeUndefined();
  });
});

describe('region stacks', () => {
  test.each(['us-east-1', 'us-west-2', 'eu-west-1'])('%s has a customer-managed key with rotation and an alias', (region) => {
    const stack = three.stacks.get(`region-${region}`)!;
    const keys = Object.values(resources(stack, 'aws_kms_key'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(Object.values(resources(stack, 'aws_kms_alias'))[0].name).toBe('alias/acme-shop');
  });
});

describe('determinism', () => {
  test('two syntheses of one config are byte-identical', () => {
    const again = synth(example('three-region'));
    for (const [name] of three.stacks) {
      const a = fs.readFileSync(path.join(three.outdir, 'stacks', name, 'cdk.tf.json'));
      const b = fs.readFileSync(path.join(again.outdir, 'stacks', name, 'cdk.tf.json'));
      expect(a.equals(b)).toBe(true);
    }
    expect(
      fs.readFileSync(path.join(three.outdir, 'manifest.json')).equals(fs.readFileSync(path.join(again.outdir, 'manifest.json'))),
    ).toBe(true);
  });

  test('the output holds no machine path', () => {
    for (const [name] of three.stacks) {
      const text = fs.readFileSync(path.join(three.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');
      expect(text).not.toContain(three.outdir);
      expect(text).not.toContain(process.cwd());
    }
  });
});

describe('synthesis replaces the output only on success', () => {
  test('Terraform working files of existing stacks, and a state stack on its teardown backend, survive a new synthesis', () => {
    const project = tempDir();
    const outdir = path.join(project, 'cdktf.out');
    synthesize(example('two-region'), { outdir, projectDir: project });
    const providers = path.join(outdir, 'stacks', 'global', '.terraform');
    fs.mkdirSync(providers);
    fs.writeFileSync(path.join(providers, 'marker'), 'kept');
    fs.writeFileSync(path.join(outdir, 'stacks', 'global', '.terraform.lock.hcl'), 'lock');
    // A state stack moved to a local backend for its teardown (bootstrap --reverse) stays there.
    const override = path.join(outdir, 'stacks', 'state', LOCAL_BACKEND_OVERRIDE);
    fs.writeFileSync(override, '{}');
    synthesize(example('three-region'), { outdir, projectDir: project });
    expect(fs.readFileSync(path.join(providers, 'marker'), 'utf8')).toBe('kept');
    expect(fs.readFileSync(override, 'utf8')).toBe('{}');
    expect(fs.existsSync(path.join(outdir, 'stacks', 'region-eu-west-1', 'cdk.tf.json'))).toBe(true);
    expect(fs.readdirSync(project).sort()).toEqual(['cdktf.out']);
  });
});
