import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedConfig } from '../src/config';
import { GLOBAL_ACCELERATOR_CONTROL_PLANE, ROUTE53_CONTROL_PLANE } from '../src/planning/control-planes';
import { failoverSeconds } from '../src/planning/failover';
import { regionPairs } from '../src/planning/pairs';
import { recoveryDiagram, regionNodeId } from '../src/report/diagram';
import {
  designedRecovery,
  formatSeconds,
  STATE_REPLICATION_TIME_CONTROL,
  type DesignedRecovery,
  type Figure,
} from '../src/report/recovery';
import { recoveryJson, recoveryMarkdown } from '../src/report/recovery-report';
import { GLOBAL_ACCELERATOR_REGION } from '../src/constructs/traffic/accelerator';
import { edgeRegion, ROUTE53_CONTROL_PLANE_REGION } from '../stacks/edge-stack';
import { configFrom, example, exampleInput, resources, ROOT, synth, tempDir } from './helpers';

const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };

/** The figure of `mechanism` (or data store) that measures `measure`. */
function figure(report: DesignedRecovery, id: string, measure: string): Figure {
  const row = [...report.mechanisms, ...report.dataLoss].find((m) => m.id === id);
  const found = row?.figures.find((f) => f.measure === measure);
  if (!found) throw new Error(`no figure "${measure}" of ${id}`);
  return found;
}

/** seconds, kind and source of a figure, for compact comparisons. */
const summary = (f: Figure) => ({ seconds: f.seconds, kind: f.kind, source: f.source });

describe('designedRecovery: the two-Region example (defaults)', () => {
  const config = example('two-region');
  const report = designedRecovery(config);

  test('target health: 10 s interval x 3 failed checks, then about 30 s for Global Accelerator', () => {
    expect(summary(figure(report, 'target-health', 'detection'))).toEqual({ seconds: 10 * 3, kind: 'bound', source: 'config' });
    expect(summary(figure(report, 'target-health', 'Global Accelerator moves new connections'))).toEqual({
      seconds: 30,
      kind: 'typical',
      source: 'aws',
    });
    const moved = figure(report, 'target-health', 'new connections moved');
    expect(summary(moved)).toEqual({ seconds: 10 * 3 + 30, kind: 'typical', source: 'aws' });
    expect(moved.basis).toBe('30 s (detection) + 30 s (Global Accelerator moves new connections) = 60 s');
    // The same figure the README and what-it-builds.md state.
    expect(moved.seconds).toBe(failoverSeconds(config.traffic).totalSeconds);
  });

  test('Route 53 entry checks: 30 s x 3 per checker, and the 18 % rule cited; no DNS step with an accelerator', () => {
    const detection = figure(report, 'entry-health-checks', 'detection');
    expect(summary(detection)).toEqual({ seconds: 30 * 3, kind: 'bound', source: 'config' });
    expect(detection.basis).toContain('18 % or fewer');
    expect(detection.reference).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/Route53\//);
    expect(report.mechanisms.find((m) => m.id === 'entry-health-checks')!.figures).toHaveLength(1);
  });

  test('Aurora: switchover loses nothing, failover the lag (typically under a second); promote-database waits 30 x 60 s', () => {
    expect(summary(figure(report, 'aurora', 'lost in a switchover'))).toEqual({ seconds: 0, kind: 'guarantee', source: 'aws' });
    expect(summary(figure(report, 'aurora', 'lost in a failover'))).toEqual({
      seconds: { min: 0, max: 1 },
      kind: 'typical',
      source: 'aws',
    });
    for (const id of ['aurora-switchover', 'aurora-failover']) {
      expect(summary(figure(report, id, 'new writer available'))).toEqual({ seconds: 60, kind: 'typical', source: 'aws' });
      expect(summary(figure(report, id, 'promote-database waits at most'))).toEqual({ seconds: 30 * 60, kind: 'bound', source: 'config' });
    }
    // autoPromote is off: nothing starts the failover by itself.
    expect(() => figure(report, 'aurora-failover', 'failover starts')).toThrow();
  });

  test('S3: the RTC bucket has the 15-minute guarantee, the state bucket (no RTC) only a typical figure', () => {
    expect(summary(figure(report, 'bucket:assets', 'replicated'))).toEqual({ seconds: 15 * 60, kind: 'guarantee', source: 'aws' });
    expect(summary(figure(report, 'terraform-state', 'replicated'))).toEqual({ seconds: 15 * 60, kind: 'typical', source: 'aws' });
    expect(report.dataLoss.map((d) => [d.id, d.copies])).toEqual([
      ['aurora', 'us-east-1 -> us-west-2'],
      ['bucket:assets', 'every Region, both ways (us-east-1, us-west-2)'],
      ['terraform-state', 'us-east-1 <-> us-west-2 (state.active: primary)'],
    ]);
  });

  test('control planes: none for health-based failover, the dial in us-west-2, RDS where the writer goes, state in us-east-1', () => {
    expect(report.controlPlanes.map((c) => [c.controlPlane, c.regions])).toEqual([
      ['none', []],
      ['Global Accelerator API', ['us-west-2']],
      ['Route 53 API', ['us-east-1']],
      ['RDS API', ['us-west-2']],
      ['none', []],
      ['S3 and DynamoDB (state bucket and lock table)', ['us-east-1']],
    ]);
  });

  test('every AWS figure cites an AWS page, every config figure names the fields it uses', () => {
    const figures = [...report.mechanisms, ...report.dataLoss].flatMap((m) => m.figures);
    for (const f of figures.filter((x) => x.source === 'aws')) {
      expect({ measure: f.measure, reference: f.reference }).toEqual({
        measure: f.measure,
        reference: expect.stringMatching(/^https:\/\/(docs\.aws\.amazon\.com|aws\.amazon\.com)\//),
      });
    }
    for (const f of figures.filter((x) => x.source === 'config')) expect(f.basis).toMatch(/(traffic|resilience)\.[a-zA-Z.]+/);
  });
});

describe('designedRecovery: other settings', () => {
  // Other health checks, Route 53 latency records, RTC on one bucket of two, automatic promotion, the replica state.
  const config = configFrom({
    ...exampleInput(),
    state: { active: 'replica' },
    traffic: { mode: 'route53-latency', route53, healthCheck: { intervalSeconds: 20, timeoutSeconds: 10, unhealthyThresholdCount: 4 } },
    resilience: {
      healthChecks: { requestIntervalSeconds: 10, failureThreshold: 2 },
      alarms: { evaluationPeriods: 2 },
      runbooks: { timeoutMinutes: 45 },
      autoPromote: true,
    },
    storage: { buckets: [{ name: 'assets' }, { name: 'uploads', replicationTimeControl: false }] },
  });
  const report = designedRecovery(config);

  test('target health: 20 s x 4, then the 60 s TTL of the alias records', () => {
    expect(summary(figure(report, 'target-health', 'detection'))).toEqual({ seconds: 20 * 4, kind: 'bound', source: 'config' });
    expect(summary(figure(report, 'target-health', 'clients follow'))).toEqual({ seconds: 60, kind: 'bound', source: 'aws' });
    expect(summary(figure(report, 'target-health', 'new connections moved'))).toEqual({
      seconds: 20 * 4 + 60,
      kind: 'bound',
      source: 'aws',
    });
    expect(figure(report, 'target-health', 'new connections moved').seconds).toBe(failoverSeconds(config.traffic).totalSeconds);
  });

  test('Route 53 entry checks: 10 s x 2, then the 60 s TTL', () => {
    expect(summary(figure(report, 'entry-health-checks', 'detection'))).toEqual({ seconds: 10 * 2, kind: 'bound', source: 'config' });
    expect(summary(figure(report, 'entry-health-checks', 'new connections moved'))).toEqual({
      seconds: 10 * 2 + 60,
      kind: 'bound',
      source: 'aws',
    });
  });

  test('autoPromote starts the failover after 2 one-minute alarm periods; promote-database waits 45 x 60 s', () => {
    const start = figure(report, 'aurora-failover', 'failover starts');
    expect(summary(start)).toEqual({ seconds: 2 * 60, kind: 'bound', source: 'config' });
    expect(start.basis).toContain('us-west-2');
    expect(figure(report, 'aurora-failover', 'promote-database waits at most').seconds).toBe(45 * 60);
  });

  test('RTC on one bucket: a guarantee for it, a typical figure for the other', () => {
    expect(figure(report, 'bucket:assets', 'replicated').kind).toBe('guarantee');
    const uploads = figure(report, 'bucket:uploads', 'replicated');
    expect(summary(uploads)).toEqual({ seconds: 15 * 60, kind: 'typical', source: 'aws' });
    expect(uploads.basis).toContain('without Replication Time Control');
  });

  test('control planes: Route 53 in us-east-1 for the records, the replica state in us-west-2', () => {
    expect(report.controlPlanes.map((c) => [c.controlPlane, c.regions])).toEqual([
      ['none', []],
      ['Route 53 API', ['us-east-1']],
      ['RDS API', ['us-west-2']],
      ['none', []],
      ['S3 and DynamoDB (state bucket and lock table)', ['us-west-2']],
    ]);
  });

  test('without health checks or runbooks, their rows and figures are absent', () => {
    const bare = designedRecovery(
      configFrom({ ...exampleInput(), resilience: { healthChecks: { enabled: false }, runbooks: { enabled: false } } }),
    );
    expect(bare.mechanisms.map((m) => m.id)).toEqual(['target-health', 'aurora-switchover', 'aurora-failover']);
    expect(bare.mechanisms.flatMap((m) => m.figures).map((f) => f.measure)).not.toContain('promote-database waits at most');
    expect(bare.controlPlanes.map((c) => c.step)).not.toContain('restore reads the health checks');
  });

  test('an internal load balancer: the entry check follows the healthy-host alarm, 3 periods x 60 s', () => {
    const internal = designedRecovery(configFrom({ ...exampleInput(), traffic: { loadBalancer: { internal: true } } }));
    expect(summary(figure(internal, 'entry-health-checks', 'detection'))).toEqual({ seconds: 3 * 60, kind: 'bound', source: 'config' });
  });
});

describe('formatSeconds', () => {
  test.each([
    [0, '0 s'],
    [90, '90 s'],
    [900, '15 min'],
    [610, '610 s'],
    [{ min: 0, max: 1 }, '0 to 1 s'],
    [{ min: 60, max: 1800 }, '60 s to 30 min'],
  ])('%j -> %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });
});

describe('the figures match what the stacks build', () => {
  test('the routing control plane is the edge stack home Region in both modes', () => {
    const accelerator = example('two-region');
    const latency = configFrom({ ...exampleInput(), traffic: { mode: 'route53-latency', route53 } });
    expect([GLOBAL_ACCELERATOR_CONTROL_PLANE, ROUTE53_CONTROL_PLANE]).toEqual([GLOBAL_ACCELERATOR_REGION, ROUTE53_CONTROL_PLANE_REGION]);
    expect(designedRecovery(accelerator).controlPlanes[1].regions).toEqual([edgeRegion(accelerator)]);
    expect(designedRecovery(latency).controlPlanes[1].regions).toEqual([edgeRegion(latency)]);
  });

  test('Replication Time Control: on for the buckets that ask for it, off for the state bucket, as synthesized', () => {
    const config = example('three-region');
    const result = synth(config);
    try {
      const replicationTime = (stack: string) =>
        Object.values(resources(result.stacks.get(stack), 'aws_s3_bucket_replication_configuration')).map((c) => ({
          path: String(c['//']?.metadata?.path),
          rtc: (c.rule as Array<{ destination: { replication_time?: { status: string } } }>).every(
            (rule) => rule.destination.replication_time?.status === 'Enabled',
          ),
        }));
      const state = replicationTime('state');
      expect(state).toHaveLength(2);
      expect(state.every((c) => c.rtc === STATE_REPLICATION_TIME_CONTROL)).toBe(true);
      const report = designedRecovery(config);
      const mesh = replicationTime('mesh');
      for (const bucket of config.storage.buckets) {
        const configurations = mesh.filter((c) => c.path.startsWith(`mesh/replication-${bucket.name}-`));
        expect(configurations).toHaveLength(config.regions.length);
        const rtc = configurations.every((c) => c.rtc);
        expect({ bucket: bucket.name, rtc }).toEqual({ bucket: bucket.name, rtc: bucket.replicationTimeControl });
        expect(figure(report, `bucket:${bucket.name}`, 'replicated').kind).toBe(rtc ? 'guarantee' : 'typical');
      }
    } finally {
      fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
    }
  });
});

describe('recoveryDiagram', () => {
  const peeringLine = (a: string, b: string) => `  ${regionNodeId(a)} ---|"Transit Gateway peering"| ${regionNodeId(b)}`;
  const peerings = (diagram: string) => diagram.split('\n').filter((l) => l.includes('Transit Gateway peering'));

  test('three Regions in a full mesh: every Region, the primary marked, every pair peered', () => {
    const config = example('three-region');
    const diagram = recoveryDiagram(config);
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) expect(diagram).toContain(`["${region}`);
    expect(diagram).toContain('us_east_1["us-east-1 (primary)"]');
    expect(diagram).toContain('class us_east_1 primary');
    expect(peerings(diagram).sort()).toEqual(
      [peeringLine('eu-west-1', 'us-east-1'), peeringLine('eu-west-1', 'us-west-2'), peeringLine('us-east-1', 'us-west-2')].sort(),
    );
    expect(diagram).toContain('  us_east_1 -.->|"Aurora replication"| us_west_2');
    expect(diagram).toContain('  us_east_1 -.->|"Aurora replication"| eu_west_1');
    expect(diagram).toContain('  eu_west_1 <-.->|"S3 replication: assets, uploads"| us_west_2');
    expect(diagram).toContain('  us_east_1 <-.->|"Terraform state replication"| us_west_2');
    expect(diagram).toContain('entry{{"Global Accelerator: two static anycast IPs"}}');
  });

  test('hub and spoke: the hub peers with each spoke, spokes not with each other; S3 still replicates between every pair', () => {
    const config = configFrom({
      ...exampleInput('five-region'),
      topology: { peering: 'hub-and-spoke' },
      database: { writeForwarding: true },
    });
    const regions = config.regions.map((r) => r.region);
    const diagram = recoveryDiagram(config);
    for (const region of regions) expect(diagram).toContain(`["${region}`);
    const spokes = regions.filter((r) => r !== 'us-east-1');
    expect(peerings(diagram).sort()).toEqual(
      spokes
        .map((s) => [s, 'us-east-1'].sort())
        .map(([a, b]) => peeringLine(a, b))
        .sort(),
    );
    expect(peerings(diagram)).toHaveLength(regionPairs(regions, 'us-east-1', 'hub-and-spoke').length);
    expect(diagram.split('\n').filter((l) => l.includes('S3 replication'))).toHaveLength((5 * 4) / 2);
  });

  test('deterministic: the same text twice, and for the Regions listed in another order', () => {
    const input = exampleInput('three-region');
    const reordered = { ...input, regions: [...input.regions].reverse() };
    expect(recoveryDiagram(configFrom(input))).toBe(recoveryDiagram(configFrom(input)));
    const lines = (text: string) => text.split('\n').filter((l) => l.includes('---|') || l.includes('<-.->'));
    expect(lines(recoveryDiagram(configFrom(reordered)))).toEqual(lines(recoveryDiagram(configFrom(input))));
  });

  test('state Regions outside the layout get a node of their own', () => {
    const diagram = recoveryDiagram(configFrom({ ...exampleInput(), state: { region: 'eu-west-1', replicaRegion: 'eu-central-1' } }));
    expect(diagram).toContain('eu_west_1["eu-west-1 (Terraform state only)"]');
    expect(diagram).toContain('  eu_west_1 <-.->|"Terraform state replication"| eu_central_1');
  });

  test('route53-latency: the entry is the latency records', () => {
    expect(recoveryDiagram(configFrom({ ...exampleInput(), traffic: { mode: 'route53-latency', route53 } }))).toContain(
      'entry{{"Route 53 latency records"}}',
    );
  });
});

describe('active-active report', () => {
  const cli = (args: string[]) => {
    const cwd = tempDir();
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), 'report', ...args], {
      cwd,
      env: { ...process.env, ACTIVE_ACTIVE_CONFIG: '' },
      encoding: 'utf8',
    });
    return { cwd, code: run.status, stdout: run.stdout, stderr: run.stderr };
  };
  const twoRegion = path.join(ROOT, 'examples', 'two-region.json');
  const config: ResolvedConfig = example('two-region');

  test('prints Markdown: the tables and the Mermaid diagram', () => {
    const run = cli(['--config', twoRegion]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(recoveryMarkdown(config));
    expect(run.stdout).toContain('## Recovery time');
    expect(run.stdout).toContain('| Load balancer target health | detection | 30 s | bound | config |');
    expect(run.stdout).toContain(`\`\`\`mermaid\n${recoveryDiagram(config)}\n\`\`\``);
  });

  test('--json prints the figures and the diagram', () => {
    const run = cli(['--config', twoRegion, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ ...designedRecovery(config), diagram: recoveryDiagram(config) });
    expect(run.stdout).toBe(recoveryJson(config));
  });

  test('-o writes the report to a file', () => {
    const run = cli(['--config', twoRegion, '-o', 'out/recovery.md']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(fs.readFileSync(path.join(run.cwd, 'out', 'recovery.md'), 'utf8')).toBe(recoveryMarkdown(config));
  });

  test('a bad config: exit 1, one line naming the field and the fix, no stack trace', () => {
    const bad = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ ...exampleInput(), resilience: { runbooks: { timeoutMinutes: 1 } } }));
    const run = cli(['--config', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const problems = run.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems).toEqual([expect.stringMatching(/^ {2}- resilience\.runbooks\.timeoutMinutes: must be 5 to 240 minutes\. Fix: /)]);
    expect(run.stderr).toMatch(/^Invalid configuration in .*bad\.json:\n/);
    expect(run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});
