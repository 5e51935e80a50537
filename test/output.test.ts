import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from './helpers';

const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: string[], cwd: string): Run {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ACTIVE_ACTIVE_CONFIG: '' }, encoding: 'utf8' });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Makes runs meet before they touch the output: the first rename of each run waits (up to 5 s) until
 * every run has reached its own, so that their swaps overlap as they would by bad luck. A run that
 * waits for another's lock instead arrives later, and then passes straight through.
 */
const BARRIER_PRELOAD = `
const fs = require('node:fs');
const path = require('node:path');
const rename = fs.renameSync;
let met = false;
fs.renameSync = function (from, to) {
  if (!met) {
    met = true;
    const dir = process.env.BARRIER_DIR;
    fs.writeFileSync(path.join(dir, String(process.pid)), '');
    const deadline = Date.now() + 5000;
    while (fs.readdirSync(dir).length < Number(process.env.BARRIER_RUNS) && Date.now() < deadline) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
  return rename.apply(this, arguments);
};
`;

/** Runs the CLI without waiting, so that several runs overlap; `barrier` makes them meet at the swap. */
function cliAsync(args: string[], cwd: string, barrier?: { dir: string; runs: number; preload: string }): Promise<Run> {
  return new Promise((resolve) => {
    const preload = barrier ? ['--require', barrier.preload] : [];
    const env = {
      ...process.env,
      ACTIVE_ACTIVE_CONFIG: '',
      ...(barrier ? { BARRIER_DIR: barrier.dir, BARRIER_RUNS: String(barrier.runs) } : {}),
    };
    const child = spawn(process.execPath, [...preload, CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** One line on standard error, no stack trace. */
function expectOneLineError(run: Run, code: number, message: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

/** A process ID that no process has any more. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', '']).pid;
  if (pid === undefined) throw new Error('no pid');
  return pid;
}

describe('input-1 synth --output deletes nothing it did not write', () => {
  test('input-1 "-o ." is refused and the working directory, state file included, is untouched', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'terraform.state.tfstate'), '{"version": 4}');
    fs.writeFileSync(path.join(cwd, 'notes.txt'), 'mine');
    for (const target of ['.', '..', 'terraform.state.tfstate']) {
      expectOneLineError(
        cli(['synth', '-o', target], cwd),
        2,
        /^error: --output ".*" would contain (the state stack's state file terraform\.state\.tfstate|the project directory)/,
      );
    }
    expect(fs.readdirSync(cwd).sort()).toEqual(['notes.txt', 'terraform.state.tfstate']);
    expect(fs.readFileSync(path.join(cwd, 'terraform.state.tfstate'), 'utf8')).toBe('{"version": 4}');
  });

  test('input-1 a file, a foreign directory and a symbolic link are refused; an earlier output and an empty directory are replaced', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'somefile'), 'text');
    expectOneLineError(
      cli(['synth', '-o', 'somefile'], cwd),
      2,
      /^error: --output "somefile" is a file, not an earlier synthesis output\. Fix:/,
    );
    expect(fs.readFileSync(path.join(cwd, 'somefile'), 'utf8')).toBe('text');

    fs.mkdirSync(path.join(cwd, 'src'));
    fs.writeFileSync(path.join(cwd, 'src', 'main.ts'), 'code');
    expectOneLineError(
      cli(['synth', '-o', 'src'], cwd),
      2,
      /^error: --output "src" exists and is not an earlier synthesis output \(it holds no cdktf manifest\.json\); synthesis would delete it\. Fix:/,
    );
    expect(fs.readFileSync(path.join(cwd, 'src', 'main.ts'), 'utf8')).toBe('code');

    fs.symlinkSync('src', path.join(cwd, 'link'));
    expectOneLineError(cli(['synth', '-o', 'link'], cwd), 2, /^error: --output "link" is a symbolic link/);

    fs.mkdirSync(path.join(cwd, 'empty'));
    expect(cli(['synth', '-o', 'empty'], cwd).code).toBe(0);
    expect(cli(['synth', '-o', 'empty'], cwd).code).toBe(0);
    fs.writeFileSync(path.join(cwd, 'empty', 'plan.json'), '{}');
    expectOneLineError(cli(['synth', '-o', 'empty'], cwd), 2, /it holds entries synthesis did not write: plan\.json\)/);
    expect(fs.existsSync(path.join(cwd, 'empty', 'plan.json'))).toBe(true);
    expect(fs.readdirSync(cwd).sort()).toEqual(['empty', 'link', 'somefile', 'src']);
  });
});

describe('input-4 unwritable or impossible output paths are usage errors, not stack traces', () => {
  test.each<[string, string[]]>([
    ['synth', ['synth', '-o']],
    ['schema', ['schema', '-o']],
    ['modules', ['modules', '-o']],
  ])('input-4 %s -o below a file, and in a read-only directory', (_command, args) => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'afile'), '');
    expectOneLineError(
      cli([...args, 'afile/out'], cwd),
      2,
      /^error: --output "afile\/out": cannot write there \(E[A-Z]+: a part of the path is a file, not a directory\)\. Fix:/,
    );
    fs.mkdirSync(path.join(cwd, 'locked'), { mode: 0o500 });
    if (process.getuid?.() !== 0) {
      expectOneLineError(
        cli([...args, 'locked/out'], cwd),
        2,
        /^error: --output "locked\/out": cannot write there \(EACCES: permission denied\)\. Fix:/,
      );
    }
    fs.chmodSync(path.join(cwd, 'locked'), 0o700);
  });

  test('input-4 plan-summary -o below a file, or at a directory', () => {
    const cwd = tempDir();
    fs.writeFileSync(path.join(cwd, 'afile'), '');
    const args = ['plan-summary', '--failed', 'global', '-o'];
    expectOneLineError(
      cli([...args, 'afile/summary.md'], cwd),
      2,
      /^error: --output "afile\/summary\.md": cannot write there \(E[A-Z]+: a part of the path is a file/,
    );
    expectOneLineError(cli([...args, '.'], cwd), 2, /^error: --output "\." is a directory\. Fix: pass the path of a file/);
  });
});

describe('input-4 deeply nested input files', () => {
  test('input-4 a config nested 5,000 or a plan nested 20,000 levels deep exits 1 with the problem, not a stack trace', () => {
    const cwd = tempDir();
    const deep = `{"tags": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    fs.writeFileSync(path.join(cwd, 'deep.json'), deep);
    const config = cli(['stacks', '--config', 'deep.json'], cwd);
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/line 1, column 265: nested more than 256 levels deep\. Fix:/);
    expect(config.stderr).not.toMatch(/^\s+at /m);
    // Plans are parsed without the config schema behind them, so only deeper nesting used to overflow the stack.
    fs.writeFileSync(path.join(cwd, 'deep-plan.json'), `{"a": ${'{"b": '.repeat(20_000)}1${'}'.repeat(20_000)}}`);
    expectOneLineError(
      cli(['plan-summary', 'deep-plan.json'], cwd),
      1,
      /^error: deep-plan\.json, line 1, column 1537: nested more than 256 levels deep\. Fix:/,
    );
  });
});

describe('input-5 concurrent and killed synth runs', () => {
  test.each([
    ['without an earlier output', false],
    ['replacing an earlier output', true],
  ])('input-5 two synth runs swapping at the same moment both succeed (%s)', async (_label, earlier) => {
    const cwd = tempDir();
    if (earlier) expect(cli(['synth'], cwd).code).toBe(0);
    const scratch = tempDir();
    const preload = path.join(scratch, 'barrier.js');
    fs.writeFileSync(preload, BARRIER_PRELOAD);
    fs.mkdirSync(path.join(scratch, 'arrived'));
    const barrier = { dir: path.join(scratch, 'arrived'), runs: 2, preload };
    const runs = await Promise.all([1, 2].map(() => cliAsync(['synth'], cwd, barrier)));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    expect(fs.readdirSync(cwd)).toEqual(['cdktf.out']);
    expect(fs.readdirSync(path.join(cwd, 'cdktf.out', 'stacks')).sort()).toEqual([
      'edge',
      'global',
      'mesh',
      'region-us-east-1',
      'region-us-west-2',
      'state',
    ]);
  });

  test('input-5 leftovers of a killed run (staging, retired, lock) are removed; those of a live run are kept', () => {
    const cwd = tempDir();
    const dead = deadPid();
    for (const leftover of [`cdktf.out.staging-${dead}-1`, `cdktf.out.retired-${dead}-2`]) {
      fs.mkdirSync(path.join(cwd, leftover, 'stacks'), { recursive: true });
    }
    fs.writeFileSync(path.join(cwd, 'cdktf.out.lock'), `${dead}\n`);
    const live = `cdktf.out.staging-${process.pid}-3`;
    fs.mkdirSync(path.join(cwd, live));
    const run = cli(['synth'], cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(fs.readdirSync(cwd).sort()).toEqual(['cdktf.out', live]);
  });
});
