import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JSON_SCHEMA_PATH } from '../src/config';
import { exampleInput, ROOT, tempDir } from './helpers';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled CLI (`npm test` builds it first) as a user would. */
function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? tempDir(),
    env: { ...process.env, ACTIVE_ACTIVE_CONFIG: '', ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Every file below `dir` with its content, to prove an earlier output was left untouched. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      files[path.relative(dir, file)] = fs.readFileSync(file, 'utf8');
    }
  }
  return files;
}

function expectNoStackTrace(run: Run): void {
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
}

describe('active-active synth', () => {
  test('without any config, synthesizes the embedded two-Region example', () => {
    const cwd = tempDir();
    const run = cli(['synth'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Synthesized 6 stacks from examples\/two-region\.json \(embedded example\) into cdktf\.out/);
    expect(run.stdout).toMatch(/state\s+26 resources/);
    expect(run.stdout).toContain('Deploy order: state -> global -> region-us-east-1 -> region-us-west-2 -> mesh -> edge');
    expect(fs.readdirSync(path.join(cwd, 'cdktf.out', 'stacks')).sort()).toEqual([
      'edge',
      'global',
      'mesh',
      'region-us-east-1',
      'region-us-west-2',
      'state',
    ]);
  });

  test('picks up active-active.config.json from the working directory, and --output', () => {
    const cwd = tempDir();
    fs.copyFileSync(path.join(ROOT, 'examples', 'three-region.json'), path.join(cwd, 'active-active.config.json'));
    const run = cli(['synth', '--output', 'out'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('from active-active.config.json (working directory) into out');
    expect(fs.existsSync(path.join(cwd, 'out', 'stacks', 'region-eu-west-1', 'cdk.tf.json'))).toBe(true);
  });

  test('reads $ACTIVE_ACTIVE_CONFIG', () => {
    const run = cli(['synth'], { env: { ACTIVE_ACTIVE_CONFIG: path.join(ROOT, 'examples', 'three-region.json') } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Synthesized 7 stacks from .*three-region\.json \(\$ACTIVE_ACTIVE_CONFIG\)/);
  });

  describe('bad input: a clear message, a non-zero exit, and the previous output left untouched', () => {
    const cwd = tempDir();
    expect(cli(['synth'], { cwd }).code).toBe(0);
    const before = snapshot(path.join(cwd, 'cdktf.out'));

    const cases: Array<[string, string, RegExp]> = [
      ['an invalid field', JSON.stringify({ ...exampleInput(), accountId: '12345' }), /accountId: must be exactly 12 digits\. Fix:/],
      [
        'overlapping CIDRs',
        JSON.stringify({
          ...exampleInput(),
          regions: [
            { region: 'us-east-1', cidr: '10.10.0.0/16', primary: true },
            { region: 'us-west-2', cidr: '10.10.0.0/16' },
          ],
        }),
        /regions\[1\]\.cidr: "10\.10\.0\.0\/16" overlaps regions\[0\]\.cidr/,
      ],
      ['broken JSON', '{ "name": "acme-shop",, }', /line 1, column 23: not valid JSON/],
    ];

    test.each(cases)('%s', (_label, text, expected) => {
      fs.writeFileSync(path.join(cwd, 'bad.json'), text);
      const run = cli(['synth', '--config', 'bad.json'], { cwd });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^Invalid configuration in .*bad\.json:/);
      expect(run.stderr).toMatch(expected);
      expectNoStackTrace(run);
      expect(snapshot(path.join(cwd, 'cdktf.out'))).toEqual(before);
      expect(fs.readdirSync(cwd).sort()).toEqual(['bad.json', 'cdktf.out']);
    });

    test('input-7 a --config file that does not exist, or an empty --config, is a usage error (exit 2)', () => {
      const run = cli(['synth', '--config', 'nope.json'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('error: --config: file "nope.json" does not exist. Fix: point --config at an existing config file\n');
      const empty = cli(['synth', '--config', ''], { cwd });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toBe(
        'error: --config is empty. Fix: pass the path of a config file, or leave --config out to use the default\n',
      );
      const directory = cli(['synth', '--config', '.'], { cwd });
      expect(directory.code).toBe(2);
      expect(directory.stderr).toMatch(/^error: --config: "\." is a directory\. Fix:/);
      const variable = cli(['stacks'], { cwd, env: { ACTIVE_ACTIVE_CONFIG: 'gone.json' } });
      expect(variable.code).toBe(2);
      expect(variable.stderr).toMatch(/ACTIVE_ACTIVE_CONFIG: file "gone\.json" does not exist/);
      expect(snapshot(path.join(cwd, 'cdktf.out'))).toEqual(before);
    });
  });
});

describe('flags', () => {
  test('--version and --help', () => {
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(cli(['--version']).stdout.trim()).toBe(version);
    const help = cli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['synth', 'validate', 'backend', 'schema']) expect(help.stdout).toContain(command);
  });

  test('unknown commands and flags exit 2 with a suggestion', () => {
    const command = cli(['synht']);
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command 'synht'[\s\S]*Did you mean synth\?/);
    const flag = cli(['synth', '--confg', 'x.json']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option '--confg'[\s\S]*Did you mean --config\?/);
  });

  test('a bad --concurrency value names the flag', () => {
    const run = cli(['validate', '--concurrency', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--concurrency takes a whole number of at least 1, got "0"/);
  });
});

describe('active-active backend', () => {
  test("prints each stack's S3 backend settings as HCL, the state stack's first", () => {
    const run = cli(['backend']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('# region-us-west-2: terraform -chdir=cdktf.out/stacks/region-us-west-2 init -reconfigure');
    expect(run.stdout).toMatch(/key\s+= "stacks\/global\.tfstate"/);
    expect(run.stdout).toMatch(/dynamodb_table = "acme-shop-tfstate-lock"/);
    expect(run.stdout.indexOf('key            = "stacks/state.tfstate"')).toBeGreaterThan(0);
    expect(run.stdout.indexOf('stacks/state.tfstate')).toBeLessThan(run.stdout.indexOf('stacks/global.tfstate'));
  });

  test('apply-11 follows state.active: the replica bucket, its Region, key and lock table', () => {
    const dir = tempDir();
    try {
      const config = path.join(dir, 'replica.json');
      const input = exampleInput();
      fs.writeFileSync(config, JSON.stringify({ ...input, state: { ...input.state, active: 'replica' } }));
      const run = cli(['backend', '--config', config, '--stack', 'region-us-west-2', '--format', 'json']);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        stack: 'region-us-west-2',
        bucket: 'acme-shop-tfstate-111122223333-us-west-2',
        key: 'stacks/region-us-west-2.tfstate',
        region: 'us-west-2',
        encrypt: true,
        kms_key_id: 'arn:aws:kms:us-west-2:111122223333:alias/acme-shop-tfstate',
        dynamodb_table: 'acme-shop-tfstate-lock',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('apply-11 --replica, which moved one stack but not the reads of its outputs, points at state.active', () => {
    const run = cli(['backend', '--replica']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--replica is gone[^\n]*Fix: set "state": \{ "active": "replica" \} in the config/);
  });

  test('an unknown stack is a usage error; the state stack has its own key in the bucket', () => {
    const unknown = cli(['backend', '--stack', 'region-eu-west-9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /--stack "region-eu-west-9" is not a stack of this config\. Fix: use one of state, global, region-us-east-1/,
    );
    const state = cli(['backend', '--stack', 'state', '--format', 'json']);
    expect(state.code).toBe(0);
    expect(JSON.parse(state.stdout)).toMatchObject({ stack: 'state', key: 'stacks/state.tfstate' });
  });
});

describe('active-active schema', () => {
  test('the committed JSON Schema is the one the code generates (run "npm run schema" after a change)', () => {
    const run = cli(['schema']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(fs.readFileSync(path.join(ROOT, JSON_SCHEMA_PATH), 'utf8'));
  });

  test('--reference prints the configuration reference that npm run docs commits', () => {
    const run = cli(['schema', '--reference']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8'));
  });

  test('the examples point editors at it', () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json'))) {
      const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
      expect(path.resolve(ROOT, 'examples', config.$schema)).toBe(path.join(ROOT, JSON_SCHEMA_PATH));
    }
  });
});

describe('active-active modules', () => {
  test('--check passes on the committed modules/', () => {
    const run = cli(['modules', '--check'], { cwd: ROOT });
    expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(/^modules\/ is current \(\d+ modules, \d+ files\)\.\n$/) });
  });

  test('writes the modules, then --check names what went stale and the fix, exit 1, no stack trace', () => {
    const dir = tempDir();
    expect(cli(['modules', '-o', 'out'], { cwd: dir }).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'out', 'vpc', 'main.tf'), 'utf8')).toBe(
      fs.readFileSync(path.join(ROOT, 'modules', 'vpc', 'main.tf'), 'utf8'),
    );
    fs.appendFileSync(path.join(dir, 'out', 'vpc', 'main.tf'), '\n');
    const run = cli(['modules', '--check', '-o', 'out'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('out/ is stale: vpc/main.tf. Fix: run "npm run modules" and commit the result');
    expectNoStackTrace(run);
  });

  test('regenerating removes files the generator no longer makes, and leaves everything else alone', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'out', 'vpc'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'out', 'vpc', 'old.tf'), '');
    fs.writeFileSync(path.join(dir, 'out', 'NOTES.md'), 'mine');
    expect(cli(['modules', '-o', 'out'], { cwd: dir }).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'out', 'vpc', 'old.tf'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'out', 'NOTES.md'), 'utf8')).toBe('mine');
  });
});

describe('active-active validate', () => {
  test('synthesizes the config and plans every stack with real Terraform', () => {
    const cwd = tempDir();
    const run = cli(['validate'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/state\s+valid\s+26/);
    expect(run.stdout).toMatch(/All 6 stacks valid/);
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('interrupted with Ctrl-C while Terraform runs, it exits 130 and leaves no temporary directory', async () => {
    const temp = tempDir();
    // Its own process group, so the interrupt reaches the CLI and its Terraform children, as a terminal's does.
    const child = spawn(process.execPath, [CLI, 'validate'], {
      cwd: tempDir(),
      env: { ...process.env, ACTIVE_ACTIVE_CONFIG: '', TMPDIR: temp },
      stdio: 'ignore',
      detached: true,
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Terraform is running once a stack reports, while others are still planning.
    const started = Date.now();
    while (!fs.readdirSync(temp).some((name) => name.startsWith('active-active-tf-'))) {
      if (Date.now() - started > 60_000) throw new Error('validate made no Terraform working directory within a minute');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(fs.readdirSync(temp)).toEqual([]);
  });

  test('fails with exit 1 when a stack does not plan', () => {
    const cwd = tempDir();
    expect(cli(['synth'], { cwd }).code).toBe(0);
    for (const other of ['state', 'region-us-east-1', 'region-us-west-2', 'mesh', 'edge']) {
      fs.rmSync(path.join(cwd, 'cdktf.out', 'stacks', other), { recursive: true });
    }
    const file = path.join(cwd, 'cdktf.out', 'stacks', 'global', 'cdk.tf.json');
    const stack = JSON.parse(fs.readFileSync(file, 'utf8'));
    stack.resource = { aws_kms_key: { broken: { deletion_window_in_days: 1 } } };
    fs.writeFileSync(file, JSON.stringify(stack));
    const run = cli(['validate', '--synthesized', 'cdktf.out'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/global\s+FAILED \(plan\)/);
    expect(run.stdout).toMatch(/1 of 1 stacks failed/);
    expect(run.stdout).toMatch(/deletion_window_in_days/);
  });

  test('a --synthesized directory without stacks is a clear error', () => {
    const run = cli(['validate', '--synthesized', 'nowhere']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/holds no synthesized stacks.*Fix: run "active-active synth" first/);
    expectNoStackTrace(run);
  });
});

describe('active-active preview', () => {
  /** A git repository holding `active-active.config.json` at its first commit, as a pull request's base. */
  function repository(config: object): string {
    const dir = tempDir();
    const git = (...args: string[]) => {
      const run = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
    };
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(dir, 'active-active.config.json'), `${JSON.stringify(config, null, 2)}\n`);
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'base');
    return dir;
  }

  test('needs exactly one of --from and --from-git', () => {
    for (const args of [['preview'], ['preview', '--from', 'a.json', '--from-git', 'main']]) {
      const run = cli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(
        'error: preview compares with one old config. Fix: pass --from <old-config>, or --from-git <ref> for the config file at a git revision\n',
      );
    }
  });

  test('an old config that cannot be read or is invalid is a config error naming it', () => {
    const cwd = tempDir();
    const missing = cli(['preview', '--from', 'deployed.json'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/deployed\.json.*cannot be read \(ENOENT\)/s);
    fs.writeFileSync(path.join(cwd, 'deployed.json'), JSON.stringify({ ...exampleInput(), name: 'X' }));
    const invalid = cli(['preview', '--from', 'deployed.json'], { cwd });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/deployed\.json[\s\S]*name/);
    expectNoStackTrace(invalid);
  });

  test('--from-git needs a config file, and a revision that has it', () => {
    const embedded = cli(['preview', '--from-git', 'main']);
    expect(embedded.code).toBe(2);
    expect(embedded.stderr).toMatch(/--from-git reads your config file at a revision, and none was found\. Fix: pass --config <file>/);
    const cwd = repository(exampleInput());
    const unknown = cli(['preview', '--from-git', 'no-such-branch'], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^error: --from-git no-such-branch: active-active\.config\.json cannot be read at that revision \(git: .+\)\. Fix: pass a revision that has the config file/,
    );
    const option = cli(['preview', '--from-git', '--upload-pack=x'], { cwd });
    expect(option.code).toBe(1);
    expect(option.stderr).toMatch(/is not a git revision/);
  });

  test('a change that would replace what holds data is refused before planning, with the safe procedure', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'deployed.json'), JSON.stringify(exampleInput()));
    fs.writeFileSync(path.join(cwd, 'renamed.json'), JSON.stringify({ ...exampleInput(), name: 'acme-store' }));
    const run = cli(['preview', '--from', 'deployed.json', '--config', 'renamed.json'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^error: Unsafe change from deployed\.json to renamed\.json \(--config\):\n {2}- name: changes from "acme-shop" to "acme-store", .*Fix: keep "acme-shop"/,
    );
    expectNoStackTrace(run);
  });

  test('an unchanged config previews no change, as Markdown and as JSON, without planning anything', () => {
    const cwd = repository(exampleInput());
    const markdown = cli(['preview', '--from-git', 'main'], { cwd });
    expect(markdown.stderr).toBe('');
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^## Change preview: 0 to add, 0 to change, 0 to destroy, 0 to replace \(6 stacks\)\n/);
    expect(markdown.stdout).toContain('No changes: the infrastructure matches the configuration.');
    const json = cli(['preview', '--from', 'active-active.config.json', '--config', 'active-active.config.json', '--json'], { cwd });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ changes: [] });
  });
});
