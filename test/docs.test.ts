import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH_MARKERS, withBenchTable } from '../scripts/bench';
import { configJsonSchema } from '../src/config';
import type { JsonSchemaNode } from '../src/config/json-schema';
import { AWS_REGION_CODES } from '../src/config/regions';
import { MAX_REGIONS, MIN_REGIONS } from '../src/config/schema';
import { deploymentWaves } from '../src/naming';
import { MAX_PASSWORD_LENGTH } from '../src/planning/aurora';
import { failoverSeconds } from '../src/planning/failover';
import { CONFIG_REFERENCE_COMMAND, CONFIG_REFERENCE_PATH, configReference } from '../src/report/config-reference';
import { subnetTable } from '../src/report/subnet-table';
import { MIRROR_ENV_VAR } from '../src/terraform/mirror';
import { AWS_PROVIDER_CONSTRAINT, TERRAFORM_VERSION_CONSTRAINT } from '../stacks/project-stack';
import { resourceCount } from '../src/terraform/offline';
import { configFrom, example, exampleInput, resources, ROOT, synth, tempDir, type Synthesized } from './helpers';

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const readme = read('README.md');
const operations = read('docs/operations.md');
const built = read('docs/what-it-builds.md');
const reviewing = read('docs/reviewing-changes.md');
const contributing = read('CONTRIBUTING.md');

/** Every Markdown file a reader follows links through: the README, the guides, CONTRIBUTING, CHANGELOG. */
const DOCUMENTS = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`),
].filter((f) => f.endsWith('.md'));

/** What lies between `<!-- name -->` and `<!-- /name -->` (a name may carry `:variant`). */
function between(text: string, marker: string): string {
  const close = marker.split(':')[0];
  const found = new RegExp(`<!-- ${marker} -->\\n([\\s\\S]*?)\\n<!-- /${close} -->`).exec(text);
  if (!found) throw new Error(`no <!-- ${marker} --> block`);
  return found[1];
}

/** The cells of a Markdown table's body rows. */
function tableRows(table: string): string[][] {
  return table
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** Markdown without its fenced code blocks, where neither headings nor links count. */
const withoutCode = (text: string) => text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');

/** ATX headings outside code, as [level, text]. */
function headings(text: string): Array<[number, string]> {
  return [...withoutCode(text).matchAll(/^(#{1,6}) +(.+?) *#* *$/gm)].map((m) => [m[1].length, m[2]]);
}

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to hyphens, `-1` on repeats. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  return new Set(
    headings(text).map(([, title]) => {
      const slug = title
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      return count === 0 ? slug : `${slug}-${count}`;
    }),
  );
}

function fieldPaths(node: JsonSchemaNode, prefix = ''): string[] {
  if (node.anyOf) return node.anyOf.flatMap((branch) => fieldPaths(branch, prefix));
  const own = Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const field = prefix ? `${prefix}.${key}` : key;
    return [field, ...fieldPaths(child, field)];
  });
  return node.items ? [...own, ...fieldPaths(node.items, `${prefix}[]`)] : own;
}

const normalized = (text: string) => text.replace(/\s+/g, ' ');

describe('README', () => {
  test('stays short: at most 15 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15_000);
  });

  test('links the deploy guide on its first screen', () => {
    expect(readme.split('\n').slice(0, 20).join('\n')).toContain('](docs/operations.md)');
  });

  test('gives the two commands a newcomer runs, and what npm test needs and how long it takes', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('\n## ', readme.indexOf('## Quick start') + 1));
    expect(quickStart).toContain('Terraform >= 1.11 on `PATH`');
    expect(quickStart).toContain(`$${MIRROR_ENV_VAR}`);
    expect(quickStart).toMatch(/\d+ to \d+ minutes/);
  });

  test('the commands table lists exactly the commands `active-active --help` prints', () => {
    const help = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    const commandsPart = help.stdout.slice(help.stdout.indexOf('Commands:'));
    const printed = [...commandsPart.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    const documented = tableRows(between(readme, 'commands')).map(([cell]) => /^`([a-z-]+)/.exec(cell)![1]);
    expect(printed.length).toBeGreaterThan(0);
    expect(documented.sort()).toEqual(printed.sort());
  });

  test('the minimal config synthesizes, and the error sample is what the CLI prints for its typo', () => {
    const config = between(readme, 'minimal-config').replace(/^```json\n|\n```$/g, '');
    const dir = tempDir();
    try {
      const file = path.join(dir, 'bad.json');
      const cli = (args: string[]) =>
        spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8' });
      fs.writeFileSync(path.join(dir, 'good.json'), config);
      expect(cli(['synth', '--config', 'good.json', '--output', 'out']).status).toBe(0);
      fs.writeFileSync(file, config.replace('"primary": true', '"primay": true'));
      const run = cli(['synth', '--config', 'bad.json', '--output', 'out']);
      const sample = between(readme, 'config-error').split('\n');
      expect(sample.slice(0, 2)).toEqual(['```text', '$ npx active-active synth --config bad.json']);
      expect(run.status).toBe(1);
      expect(run.stderr.replace(file, '/home/ops/shop/bad.json')).toBe(`${sample.slice(2, -1).join('\n')}\n`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('lists every supported Region, as config errors promise', () => {
    for (const region of AWS_REGION_CODES) expect(readme).toContain(region);
  });

  test('states the failover time of the default health check', () => {
    const defaults = failoverSeconds(example('two-region').traffic).totalSeconds;
    expect(normalized(readme)).toContain(`health-checked failover in about ${defaults} seconds with the default health check`);
  });
});

describe('docs/what-it-builds.md', () => {
  const synthesized: Synthesized[] = [];
  afterAll(() => {
    for (const result of synthesized) fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
  });

  test('the subnet plan table is what `active-active subnets` prints for the two-Region example', () => {
    expect(between(built, 'subnet-plan:two-region')).toBe(subnetTable(example('two-region')));
  });

  test('the resources-per-stack table matches what the examples synthesize', () => {
    const rows = tableRows(between(built, 'resource-counts'));
    expect(rows).toHaveLength(5);
    for (const [label, state, global, regions, mesh, edge] of rows) {
      const result = synth(example(/`([a-z-]+)`/.exec(label)![1]));
      synthesized.push(result);
      const count = (stack: string) => resourceCount(result.stacks.get(stack)!);
      const regionCounts = [...result.stacks.keys()].filter((s) => s.startsWith('region-')).map(count);
      expect([count('state'), count('global'), count('mesh'), count('edge')]).toEqual([
        Number(state),
        Number(global),
        Number(mesh),
        Number(edge),
      ]);
      expect([...new Set(regionCounts)].join(', ')).toBe(regions);
    }
  });

  test('apply-3 health settings: every failover time stated follows from failoverSeconds', () => {
    const rows = tableRows(between(built, 'failover-time'));
    expect(rows.length).toBeGreaterThan(0);
    const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
    for (const [mode, interval, threshold, stated] of rows) {
      const healthCheck = { intervalSeconds: parseInt(interval, 10), unhealthyThresholdCount: parseInt(threshold, 10) };
      const modeName = /`([a-z0-9-]+)`/.exec(mode)![1];
      const config = configFrom({
        ...exampleInput(),
        traffic: { mode: modeName, healthCheck, ...(modeName === 'route53-latency' ? { route53 } : {}) },
      });
      expect(stated).toBe(`${failoverSeconds(config.traffic).totalSeconds} s`);
    }
    // No other failover figure: the old accelerator-only claim is gone.
    for (const file of DOCUMENTS) expect({ file, stale: /failover in about 30 seconds/.test(read(file)) }).toEqual({ file, stale: false });
  });

  test('the NAT cost table: each monthly figure is its hourly one over 730 hours, and the total adds up', () => {
    const section = built.slice(built.indexOf('### NAT modes and what they cost'));
    const rows = tableRows(section.slice(section.indexOf('| `natGateways`'), section.indexOf('\n\n', section.indexOf('| `natGateways`'))));
    expect(rows).toHaveLength(3);
    for (const [, , hourly, monthly] of rows) {
      expect(monthly).toBe(`$${(Number(hourly.slice(1)) * 730).toFixed(2)}`);
    }
    // The two-Region total: per-AZ NAT and an attachment in each Region, and one attachment per side of the peering.
    const total = /about 2 x \(\$([\d.]+) \+ \$([\d.]+)\) \+ 2 x \$([\d.]+) =\s+\*\*\$(\d+) a month\*\*/.exec(section)!;
    const attachment = (0.05 * 730).toFixed(2);
    expect([total[1], total[2], total[3]]).toEqual([rows[0][3].slice(1), attachment, attachment]);
    expect(Math.round(2 * (Number(total[1]) + Number(total[2])) + 2 * Number(total[3]))).toBe(Number(total[4]));
  });

  test('the replication alarms are the ones the mesh stack synthesizes', () => {
    const result = synth(example('two-region'));
    synthesized.push(result);
    const alarms = Object.values(resources(result.stacks.get('mesh'), 'aws_cloudwatch_metric_alarm'));
    const latency = alarms.find((alarm) => alarm.metric_name === 'ReplicationLatency')!;
    const stated = /`ReplicationLatency` above (\d+) seconds in (\d+) of (\d+) five-minute periods/.exec(normalized(built))!;
    expect(latency).toMatchObject({
      threshold: Number(stated[1]),
      datapoints_to_alarm: Number(stated[2]),
      evaluation_periods: Number(stated[3]),
      period: 300,
    });
    expect(alarms.find((alarm) => alarm.metric_name === 'OperationsFailedReplication')).toMatchObject({
      threshold: 0,
      comparison_operator: 'GreaterThanThreshold',
    });
  });

  test('links the module composition instead of inlining it', () => {
    expect(built).toContain('](../examples/terraform/two-region/main.tf)');
    const composition = read('examples/terraform/two-region/main.tf');
    const firstModule = composition.slice(composition.indexOf('module "'), composition.indexOf('\n', composition.indexOf('module "')));
    for (const file of DOCUMENTS) expect({ file, inlined: read(file).includes(firstModule) }).toEqual({ file, inlined: false });
  });
});

describe('docs/operations.md: how long a first deploy takes', () => {
  test('every duration stated follows from the typical minutes per stack and the waves', () => {
    const minutes = new Map(tableRows(between(operations, 'deploy-timings')).map(([stack, typical]) => [stack, Number(typical)]));
    const of = (stack: string) => {
      if (stack === 'state' || stack === 'global' || stack === 'mesh' || stack === 'edge') return minutes.get(`\`${stack}\``)!;
      return stack === 'primary' ? minutes.get('primary `region-*`')! : minutes.get('each other `region-*`')!;
    };
    const stacksOf = (regions: number) => {
      const secondaries = Array.from({ length: regions - 1 }, (_, i) => `secondary-${i}`);
      return {
        waves: deploymentWaves('primary', secondaries).map((wave) =>
          wave.map((s) => (s.startsWith('region-secondary') ? 'secondary' : s.replace('region-', ''))),
        ),
      };
    };
    const sequence = (regions: number) =>
      stacksOf(regions)
        .waves.flat()
        .reduce((sum, stack) => sum + of(stack), 0);
    const inWaves = (regions: number, atOnce: number) =>
      stacksOf(regions).waves.reduce((sum, wave) => sum + Math.ceil(wave.length / atOnce) * Math.max(...wave.map(of)), 0);
    const text = operations.replace(/\s+/g, ' ');
    expect(text).toContain(`about **${sequence(2)} minutes** for 2 Regions and **${sequence(11)} minutes** for 11`);
    expect(inWaves(2, 10)).toBe(inWaves(11, 10));
    expect(text).toContain(`about **${inWaves(2, 10)} minutes** for 2 Regions and for 11`);
    expect(text).toContain(`11 Regions about **${inWaves(11, 4)} minutes**`);
  });
});

describe('docs/reviewing-changes.md', () => {
  test('the sample comment is the start of docs/sample-plan-comment.md, as Markdown source', () => {
    const shown = between(reviewing, 'sample-comment');
    const sample = read('docs/sample-plan-comment.md');
    expect(shown.startsWith('```markdown\n') && shown.endsWith('\n```')).toBe(true);
    const head = shown.slice('```markdown\n'.length, -'\n```'.length);
    expect(`${head}\n\n<details>`).toBe(sample.slice(0, sample.indexOf('<details>') + '<details>'.length));
  });
});

describe('docs/operations.md', () => {
  test('covers the operations a layout goes through, and links the state outage guide', () => {
    const sections = headings(operations).map(([, title]) => title);
    for (const title of [
      'Bootstrap the state backend',
      'Deploy',
      'Adding a Region',
      'Removing a Region',
      'Upgrades',
      'Rotating the master password',
      'If the state Region is down',
      'Tearing the layout down',
    ]) {
      expect(sections).toContain(title);
    }
    expect(operations).toContain('](state-outage.md)');
    expect(operations).toContain('"decommission": true');
  });

  test('states the limits the code enforces: Regions per layout, master password length', () => {
    expect(readme).toContain(`for ${MIN_REGIONS} to ${MAX_REGIONS} Regions`);
    expect(normalized(operations)).toContain(
      `It must have 8 to ${MAX_PASSWORD_LENGTH['aurora-postgresql']} characters (${MAX_PASSWORD_LENGTH['aurora-mysql']} on MySQL)`,
    );
  });

  test('the designed recovery shown is what `active-active report` prints for the two-Region example', () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), 'report', '--config', 'examples/two-region.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    // A ~~~ fence: the report's own ``` fence (the Mermaid diagram) cannot close it.
    expect(between(operations, 'recovery-report:two-region')).toBe(`~~~markdown\n${run.stdout}~~~`);
  });

  test('states the version requirements the stacks and modules carry', () => {
    for (const text of [operations, built]) {
      expect(text).toContain(`\`hashicorp/aws\` \`${AWS_PROVIDER_CONSTRAINT}\` and Terraform \`${TERRAFORM_VERSION_CONSTRAINT}\``);
    }
    const { engines } = JSON.parse(read('package.json')) as { engines: { node: string } };
    const node = engines.node.replace(/^>=\s*/, '>= ');
    expect(readme).toContain(`Node.js ${node}`);
    expect(operations).toContain(`Node.js ${node}`);
    expect(readme).toContain(`Terraform ${TERRAFORM_VERSION_CONSTRAINT.replace(/\.0$/, '')} on \`PATH\``);
  });
});

describe('docs/configuration.md', () => {
  const reference = read(CONFIG_REFERENCE_PATH);

  test('is what the generator makes from the schema', () => {
    if (reference !== configReference())
      throw new Error(`${CONFIG_REFERENCE_PATH} is stale. Fix: run "${CONFIG_REFERENCE_COMMAND}" and commit the result`);
  });

  test('has a row for every field of the schema, and no other, each with a description', () => {
    const rows = [...reference.matchAll(/^\| `([^`]+)` \|(.*)\|$/gm)];
    expect(rows.map((m) => m[1]).sort()).toEqual(fieldPaths(configJsonSchema()).sort());
    for (const [, field, rest] of rows) {
      const cells = rest.split(/(?<!\\)\|/).map((c) => c.trim());
      expect({ field, cells: cells.length, description: cells[3] !== '' }).toEqual({ field, cells: 4, description: true });
    }
  });

  test('shows the defaults and constraints of a field', () => {
    expect(reference).toContain('| `traffic.healthCheck.intervalSeconds` | integer | `10` | 5 to 300 |');
    expect(reference).toContain('| `topology.peering` | string | `"full-mesh"` | one of `"full-mesh"`, `"hub-and-spoke"` |');
    expect(reference).toContain('| `state.region` | string | the primary Region | a [supported Region](#supported-regions) |');
    expect(reference).toContain(
      '| `traffic.accelerator.listenerPorts` | integer[] | 80, and 443 when every Region has a certificate | at least 1 item; each: 1 to 65535 |',
    );
    expect(reference).toContain('| `workload` | `"none"` or object |');
    // zod's safe-integer range for a bare .int() is no rule anyone set.
    expect(reference).not.toContain(String(Number.MAX_SAFE_INTEGER));
  });

  test('a field its object requires shows the default of the object it belongs to', () => {
    expect(reference).toContain('| `network.transitGatewayAsnRange.start` | integer | `64512` (required if the object is given) |');
  });

  test('rules the schema checks in code are listed too: the accepted log retention periods and Fargate CPU sizes', () => {
    expect(reference).toMatch(/\| `database\.logRetentionDays` \| number \| `365` \| one of `1`, `3`, [^|]*`3653` \|/);
    expect(reference).toContain('| `workload.cpu` | number | `256` | one of `256`, `512`, `1024`, `2048`, `4096`, `8192`, `16384` |');
  });
});

describe('every document', () => {
  test.each(DOCUMENTS.filter((f) => f !== 'docs/sample-plan-comment.md'))('%s has one top-level heading, its first line', (file) => {
    const text = read(file);
    expect(text.startsWith('# ')).toBe(true);
    expect(headings(text).filter(([level]) => level === 1)).toHaveLength(1);
  });

  test.each(DOCUMENTS)('%s: every relative link resolves to a file and, with an anchor, to its heading', (file) => {
    // Inline code goes too: a pattern such as `(a|b)` is no link.
    const links = [
      ...withoutCode(read(file))
        .replace(/`[^`\n]*`/g, '')
        .matchAll(/\]\(([^)\s]+)\)/g),
    ]
      .map((m) => m[1])
      .filter((l) => !/^[a-z]+:/.test(l));
    const broken = links.filter((link) => {
      const [target, anchor] = link.split('#');
      const resolved = target === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), target);
      if (!fs.existsSync(resolved)) return true;
      return anchor !== undefined && !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});

describe('CONTRIBUTING.md', () => {
  test('shows the benchmark table as `npm run bench -- --write` writes it', () => {
    const [open, close] = BENCH_MARKERS;
    const table = between(contributing, open.slice(5, -4));
    expect(table).toMatch(/^Synthesis benchmark: median of \d+ runs/);
    expect(table).toContain('| command | median time | peak memory | vs. reference |');
    expect(withBenchTable(`a\n${open}\nold\n${close}\nb`, 'new')).toBe(`a\n${open}\nnew\n${close}\nb`);
    expect(contributing).toContain('npm run bench -- --write CONTRIBUTING.md');
  });
});

describe('.ci/run', () => {
  test('installs from the lock file, type-checks and runs the README test command', () => {
    const script = read('.ci/run');
    expect(script).toMatch(/^npm ci\b/m);
    expect(script).toMatch(/npm run typecheck/);
    expect(script).toMatch(/npm test\b/);
  });
});
