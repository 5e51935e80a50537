/**
 * Synthesis benchmark: `npm run synth` of the embedded two-Region example and the CLI alone, against
 * the cost of loading `@cdktf/provider-aws` from its package root, measured in the same run.
 * Usage: npm run bench [-- --runs N] [--write FILE]
 * --write replaces the table between BENCH_MARKERS in FILE (CONTRIBUTING.md shows it), so the
 * figures in the docs are always the output of a run.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/package-root';

interface Sample {
  readonly seconds: number;
  /** Peak resident memory of the largest Node.js process the command ran, in MiB. */
  readonly peakMiB: number;
}

const root = packageRoot();

/** Where a run keeps its scratch files: the output directory and the peak-memory probe. */
interface Scratch {
  readonly dir: string;
  readonly rssLog: string;
  readonly hook: string;
}

function scratchDir(): Scratch {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'active-active-bench-'));
  const rssLog = path.join(dir, 'rss.log');
  const hook = path.join(dir, 'rss-hook.js');
  // Every Node.js process of a measured command appends its peak RSS (KiB) when it exits.
  fs.writeFileSync(
    hook,
    `process.on('exit', () => require('fs').appendFileSync(${JSON.stringify(rssLog)}, process.resourceUsage().maxRSS + '\\n'));\n`,
  );
  return { dir, rssLog, hook };
}

function measure({ rssLog, hook }: Scratch, command: string, args: string[]): Sample {
  fs.writeFileSync(rssLog, '');
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: `--require=${hook}`, ACTIVE_ACTIVE_CONFIG: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  const peaks = fs.readFileSync(rssLog, 'utf8').split('\n').filter(Boolean).map(Number);
  return { seconds, peakMiB: Math.max(...peaks) / 1024 };
}

/** The comments that enclose the benchmark's output in a Markdown file. */
export const BENCH_MARKERS = ['<!-- bench -->', '<!-- /bench -->'] as const;

/** `text` with what lies between the markers replaced by `table`; an error names a missing marker. */
export function withBenchTable(text: string, table: string): string {
  const [open, close] = BENCH_MARKERS;
  const start = text.indexOf(open);
  const end = text.indexOf(close, start);
  if (start < 0 || end < 0) throw new Error(`the file has no ${open} ... ${close} markers to write the table between`);
  return `${text.slice(0, start + open.length)}\n${table}\n${text.slice(end)}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a whole number of at least 1');
  const writeFlag = process.argv.indexOf('--write');
  const writeTo = writeFlag > 0 ? process.argv[writeFlag + 1] : undefined;
  if (writeFlag > 0 && !writeTo) throw new Error('--write takes the Markdown file to write the table into');
  const scratch = scratchDir();
  const outdir = path.join(scratch.dir, 'cdktf.out');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const cases: Array<[string, string, string[]]> = [
    ['npm run synth (2-Region example)', npm, ['run', '--silent', 'synth', '--', '--output', outdir]],
    [
      'active-active synth (node dist/src/cli.js)',
      process.execPath,
      [path.join(root, 'dist', 'src', 'cli.js'), 'synth', '--output', outdir],
    ],
    ["reference: require('@cdktf/provider-aws')", process.execPath, ['-e', "require('@cdktf/provider-aws')"]],
  ];
  const results = cases.map(([label, command, args]) => {
    measure(scratch, command, args); // warm the file system cache
    const samples = Array.from({ length: runs }, () => measure(scratch, command, args));
    return { label, seconds: median(samples.map((s) => s.seconds)), peakMiB: Math.max(...samples.map((s) => s.peakMiB)) };
  });
  const reference = results[results.length - 1].seconds;
  const lines = [
    `Synthesis benchmark: median of ${runs} runs, ${os.cpus().length} CPUs, Node.js ${process.version}`,
    '',
    '| command | median time | peak memory | vs. reference |',
    '| --- | ---: | ---: | ---: |',
    ...results.map(
      (r) => `| ${r.label} | ${r.seconds.toFixed(2)} s | ${r.peakMiB.toFixed(0)} MiB | ${((r.seconds / reference) * 100).toFixed(0)} % |`,
    ),
    '',
    `Target: npm run synth takes at most 50 % of the reference: ${results[0].seconds <= reference / 2 ? 'met' : 'NOT MET'}.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  // Scratch goes first, so a file without markers leaves nothing behind.
  fs.rmSync(scratch.dir, { recursive: true, force: true });
  if (writeTo) {
    const file = path.resolve(writeTo);
    fs.writeFileSync(file, withBenchTable(fs.readFileSync(file, 'utf8'), lines.join('\n')));
  }
  if (results[0].seconds > reference / 2) process.exitCode = 1;
}

if (require.main === module) main();
