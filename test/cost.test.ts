import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { estimate, type Estimate } from '../src/cost/estimate';
import { dollars } from '../src/cost/format';
import { layoutOfPlan, layoutOfSynthesized, type PlanValues } from '../src/cost/layout';
import { planCost } from '../src/cost/plan-cost';
import { FREE, PRICERS } from '../src/cost/pricers';
import { csvFields, OfferMatcher, offerFileUrl, queriesByFile, refreshedTable } from '../src/cost/price-list';
import { priceTable, unitPrice } from '../src/cost/price-table';
import { defaultUsage, loadUsage, USAGE_DEFAULTS } from '../src/cost/usage';
import type { ResolvedConfig } from '../src/config';
import { configFrom, example, exampleInput, ROOT, synth, tempDir, type Synthesized } from './helpers';

const table = priceTable();
const HOURS = 730;
/** The table's price of `key` in `region`, failing loudly when it has none. */
const p = (key: string, region = 'us-east-1'): number => {
  const found = unitPrice(table, key, region);
  if (!found) throw new Error(`no ${key} for ${region}`);
  return found.price;
};
const cents = (amount: number) => Math.round(amount * 100);

const outputs: string[] = [];
function synthesized(config: ResolvedConfig): Synthesized {
  const result = synth(config);
  outputs.push(path.dirname(result.outdir));
  return result;
}
function estimateOf(config: ResolvedConfig, fixedOnly = false): Estimate {
  return estimate(layoutOfSynthesized(synthesized(config).stacks), table, defaultUsage(), { fixedOnly });
}
const fixedTotal = (e: Estimate) => e.items.filter((i) => i.charge === 'fixed').reduce((sum, i) => sum + i.monthly, 0);
afterAll(() => {
  for (const dir of outputs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * The fixed charges of a Region stack of the examples (default network, database, traffic and
 * workload): three NAT gateways with their addresses, the load balancer with a public address in
 * each of three subnets, the Transit Gateway's VPC attachment, two 0.25 vCPU / 0.5 GB tasks, the
 * Region's key, its composite alarm, and the alarm metrics of the Region stack.
 */
function regionStack(region: string, instances: number): number {
  return (
    instances * HOURS * p('aurora-instance-hour/db.r6g.large', region) +
    3 * HOURS * p('nat-gateway-hour', region) +
    (3 + 3) * HOURS * p('public-ipv4-hour', region) +
    HOURS * p('load-balancer-hour', region) +
    HOURS * p('transit-gateway-attachment-hour', region) +
    2 * HOURS * (0.25 * p('fargate-x86_64-vcpu-hour', region) + 0.5 * p('fargate-x86_64-gb-hour', region)) +
    p('kms-key-month', region) +
    p('composite-alarm-month', region) +
    // healthy hosts, the three metrics of the 5xx share, replication lag; the two alarms of the CPU target tracking policy
    (5 + 2) * p('alarm-metric-month', region)
  );
}

describe('monthly cost estimate', () => {
  test('the fixed charges of the two-Region example equal the hand calculation, to the cent', () => {
    const expected =
      regionStack('us-east-1', 2) +
      regionStack('us-west-2', 1) +
      // mesh: the peering attachment on each Transit Gateway; the replication alarms (failures and latency) of the bucket from each Region.
      HOURS * p('transit-gateway-attachment-hour', 'us-east-1') +
      HOURS * p('transit-gateway-attachment-hour', 'us-west-2') +
      2 * p('alarm-metric-month', 'us-east-1') +
      2 * p('alarm-metric-month', 'us-west-2') +
      // state: the state key and its replica key.
      p('kms-key-month', 'us-east-1') +
      p('kms-key-month', 'us-west-2') +
      // edge: the accelerator, an entry and a lag check per Region, the entry alarms and their key in us-east-1, the runbooks' key.
      HOURS * p('accelerator-hour') +
      4 * p('route53-health-check-month') +
      2 * p('alarm-metric-month', 'us-east-1') +
      p('kms-key-month', 'us-east-1') +
      p('kms-key-month', 'us-west-2');
    const result = estimateOf(example('two-region'));
    expect(cents(fixedTotal(result))).toBe(cents(expected));
    expect(cents(expected)).toBe(105444);
    expect(result.warnings).toEqual([]);
  });

  test('the fixed charges of the three-Region example equal the hand calculation, to the cent', () => {
    const peeringSides = 2; // full mesh of three: three peerings, each billed on both Transit Gateways: two sides per Region
    const expected =
      regionStack('us-east-1', 2) +
      regionStack('us-west-2', 1) +
      regionStack('eu-west-1', 1) +
      peeringSides *
        HOURS *
        (p('transit-gateway-attachment-hour', 'us-east-1') +
          p('transit-gateway-attachment-hour', 'us-west-2') +
          p('transit-gateway-attachment-hour', 'eu-west-1')) +
      // mesh: "assets" replicates with Replication Time Control from every Region to two others (failures and latency alarms); "uploads" has none.
      4 * (p('alarm-metric-month', 'us-east-1') + p('alarm-metric-month', 'us-west-2') + p('alarm-metric-month', 'eu-west-1')) +
      p('kms-key-month', 'us-east-1') +
      p('kms-key-month', 'us-west-2') +
      HOURS * p('accelerator-hour') +
      6 * p('route53-health-check-month') +
      3 * p('alarm-metric-month', 'us-east-1') +
      p('kms-key-month', 'us-east-1') +
      p('kms-key-month', 'us-west-2');
    const result = estimateOf(example('three-region'));
    expect(cents(fixedTotal(result))).toBe(cents(expected));
    expect(result.warnings).toEqual([]);
  });

  test('every item is its quantity times its unit price, and the total is their sum', () => {
    const result = estimateOf(example('three-region-global-tables'));
    for (const item of result.items) expect(item.monthly).toBe(item.quantity * item.unitPrice);
    expect(result.monthlyTotal).toBe(result.items.reduce((sum, i) => sum + i.monthly, 0));
    expect(result.items.some((i) => i.charge === 'usage' && i.type === 'aws_dynamodb_table_replica')).toBe(true);
  });

  test('every resource type the generator can emit is priced or on the free list with its reason', () => {
    const emitted = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          for (const m of fs.readFileSync(file, 'utf8').matchAll(/@cdktf\/provider-aws\/lib\/([a-z0-9-]+)'/g)) {
            if (m[1] !== 'provider' && !m[1].startsWith('data-')) emitted.add(`aws_${m[1].replace(/-/g, '_')}`);
          }
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    walk(path.join(ROOT, 'stacks'));
    expect(emitted.size).toBeGreaterThan(60);
    expect([...emitted].filter((type) => !(type in PRICERS) && !(type in FREE))).toEqual([]);
    for (const [type, reason] of Object.entries(FREE)) expect({ type, reason: reason.length > 5 }).toEqual({ type, reason: true });
    expect(Object.keys(PRICERS).filter((type) => type in FREE)).toEqual([]);
  });

  test('an unpriced type, or a class missing from the table, is a warning, never a silent zero', () => {
    const layout = layoutOfSynthesized(
      new Map([
        [
          'region-x',
          {
            provider: { aws: [{ region: 'us-east-1' }] },
            resource: {
              aws_new_thing: { a: {} },
              aws_rds_cluster_instance: { b: { instance_class: 'db.x2g.16xlarge', engine: 'aurora-postgresql' } },
            },
          },
        ],
      ]),
    );
    const result = estimate(layout, table, defaultUsage(), { fixedOnly: true });
    expect(result.warnings).toEqual([
      'aws_new_thing is not in the price table: region-x aws_new_thing.a is not priced',
      'region-x aws_rds_cluster_instance.b: db.x2g.16xlarge instance hours is not priced (no "aurora-instance-hour/db.x2g.16xlarge" in the price table)',
    ]);
  });

  test('a Region missing from the table is priced as us-east-1, with a warning', () => {
    const input = exampleInput();
    const config = configFrom({ ...input, regions: [input.regions[0], { region: 'ap-northeast-1', cidr: '10.20.0.0/16' }] });
    const result = estimateOf(config, true);
    expect(result.warnings).toEqual(['ap-northeast-1 is not in the price table: priced as us-east-1']);
    const nat = result.items.find((i) => i.region === 'ap-northeast-1' && i.component === 'NAT gateway hours')!;
    expect(nat.unitPrice).toBe(p('nat-gateway-hour', 'us-east-1'));
  });

  test('Serverless v2 at its minimum, Graviton tasks, and Spot beyond the on-demand base by weight', () => {
    const input = exampleInput();
    const config = configFrom({
      ...input,
      database: { instanceClass: 'db.serverless', serverless: { minCapacity: 1.5, maxCapacity: 8 } },
      workload: {
        desiredCount: 5,
        minCount: 2,
        maxCount: 8,
        architecture: 'arm64',
        spot: { onDemandBase: 1, onDemandWeight: 1, spotWeight: 3 },
      },
    });
    const items = estimateOf(config, true).items.filter((i) => i.region === 'us-west-2');
    const acu = items.filter((i) => i.type === 'aws_rds_cluster_instance');
    expect(acu.map((i) => [i.component, i.quantity, i.unitPrice])).toEqual([
      ['Serverless v2 minimum capacity', 1.5 * HOURS, p('aurora-acu-hour', 'us-west-2')],
    ]);
    // 5 tasks: 1 on demand as the base, the other 4 split 1:3, so 2 on demand and 3 on Spot.
    const tasks = items.filter((i) => i.type === 'aws_ecs_service').map((i) => [i.component, i.quantity]);
    expect(tasks).toEqual([
      ['Fargate arm64 vCPU', 2 * 0.25 * HOURS],
      ['Fargate arm64 memory', 2 * 0.5 * HOURS],
      ['Fargate Spot arm64 vCPU', 3 * 0.25 * HOURS],
      ['Fargate Spot arm64 memory', 3 * 0.5 * HOURS],
    ]);
  });

  test('usage: every figure is documented in docs/cost.md with its default, and a usage file overrides per Region', () => {
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'cost.md'), 'utf8');
    for (const [key, value] of Object.entries(USAGE_DEFAULTS)) expect(docs).toMatch(new RegExp(`\\| \`${key}\` \\| ${value} \\|`));
    const dir = tempDir('aa-usage-');
    try {
      const file = path.join(dir, 'usage.json');
      fs.writeFileSync(file, JSON.stringify({ natGatewayProcessedGb: 100, regions: { 'us-west-2': { natGatewayProcessedGb: 400 } } }));
      const usage = loadUsage(file, 'usage.json');
      expect(usage.forRegion('us-east-1').natGatewayProcessedGb).toBe(100);
      expect(usage.forRegion('us-west-2').natGatewayProcessedGb).toBe(400);
      expect(usage.forRegion('us-west-2').flowLogsGb).toBe(USAGE_DEFAULTS.flowLogsGb);
      const layout = layoutOfSynthesized(synthesized(example('two-region')).stacks);
      const nat = estimate(layout, table, usage).items.filter(
        (i) => i.component === 'data processed' && i.type === 'aws_nat_gateway' && i.region === 'us-west-2',
      );
      expect(nat.reduce((sum, i) => sum + i.quantity, 0)).toBeCloseTo(400);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the price table: a dated AWS source for every price, and every covered Region priced', () => {
    for (const [key, entry] of Object.entries(table.prices)) {
      expect({ key, source: entry.source }).toEqual({
        key,
        source: expect.stringMatching(/^https:\/\/(aws\.amazon\.com|pricing\.us-east-1\.amazonaws\.com)\//),
      });
      expect({ key, read: entry.read }).toEqual({ key, read: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
      if (entry.global === undefined)
        expect({ key, regions: Object.keys(entry.byRegion ?? {}).sort() }).toEqual({ key, regions: [...table.regions].sort() });
    }
    expect(table.fallbackRegion).toBe('us-east-1');
  });
});

describe('cost change of a plan', () => {
  /** A plan of one instance whose class changes, shaped as terraform show -json writes it. */
  const plan = (before: string | null, after: string | null): PlanValues => ({
    resource_changes: [
      {
        address: 'aws_rds_cluster_instance.db',
        mode: 'managed',
        type: 'aws_rds_cluster_instance',
        change: {
          actions: before === after ? ['no-op'] : before === null ? ['create'] : after === null ? ['delete'] : ['update'],
          before: before === null ? null : { instance_class: before },
          after: after === null ? null : { instance_class: after },
        },
      },
    ],
    configuration: {
      provider_config: { 'aws.west': { expressions: { region: { constant_value: 'us-west-2' } } } },
      root_module: { resources: [{ address: 'aws_rds_cluster_instance.db', provider_config_key: 'aws.west' }] },
    },
  });

  test('a priced argument changed in place: the difference of the two sides, in the Region of the provider', () => {
    const cost = planCost([{ stack: 'region-us-west-2', plan: plan('db.r6g.large', 'db.r6g.xlarge') }])!;
    const change = HOURS * (p('aurora-instance-hour/db.r6g.xlarge', 'us-west-2') - p('aurora-instance-hour/db.r6g.large', 'us-west-2'));
    expect(cents(cost.after - cost.before)).toBe(cents(change));
    expect(cost.changes).toEqual([
      { stack: 'region-us-west-2', address: 'aws_rds_cluster_instance.db', before: expect.any(Number), after: expect.any(Number) },
    ]);
    expect(layoutOfPlan('region-us-west-2', plan('db.r6g.large', null), 'before').resources[0].region).toBe('us-west-2');
  });

  test("raising the autoscaling floor above the service's desired count is a cost change, though the service itself does not change", () => {
    const floor = (before: number, after: number): PlanValues => ({
      resource_changes: [
        {
          address: 'aws_ecs_service.app',
          mode: 'managed',
          type: 'aws_ecs_service',
          change: { actions: ['no-op'], before: { desired_count: 2 }, after: { desired_count: 2 } },
        },
        {
          address: 'aws_ecs_task_definition.app',
          mode: 'managed',
          type: 'aws_ecs_task_definition',
          change: { actions: ['no-op'], before: { cpu: '1024', memory: '2048' }, after: { cpu: '1024', memory: '2048' } },
        },
        {
          address: 'aws_appautoscaling_target.app',
          mode: 'managed',
          type: 'aws_appautoscaling_target',
          change: { actions: ['update'], before: { min_capacity: before }, after: { min_capacity: after } },
        },
      ],
      configuration: {
        provider_config: { aws: { expressions: { region: { constant_value: 'us-east-1' } } } },
        root_module: {
          resources: [
            {
              address: 'aws_ecs_service.app',
              expressions: { task_definition: { references: ['aws_ecs_task_definition.app.arn', 'aws_ecs_task_definition.app'] } },
            },
            { address: 'aws_ecs_task_definition.app' },
            {
              address: 'aws_appautoscaling_target.app',
              expressions: { resource_id: { references: ['aws_ecs_service.app.name', 'aws_ecs_service.app'] } },
            },
          ],
        },
      },
    });
    const cost = planCost([{ stack: 'region-us-east-1', plan: floor(2, 4) }])!;
    const task = HOURS * (p('fargate-x86_64-vcpu-hour') + 2 * p('fargate-x86_64-gb-hour'));
    expect(cents(cost.after - cost.before)).toBe(cents(2 * task));
    expect(cost.changes.map((c) => c.address)).toEqual(['aws_ecs_service.app']);
  });

  test('created and destroyed resources count in full; a plan that changes nothing priced has no cost line', () => {
    expect(cents(planCost([{ stack: 's', plan: plan(null, 'db.r6g.large') }])!.after)).toBe(
      cents(HOURS * p('aurora-instance-hour/db.r6g.large', 'us-west-2')),
    );
    expect(planCost([{ stack: 's', plan: plan('db.r6g.large', null) }])!.after).toBe(0);
    expect(planCost([{ stack: 's', plan: plan('db.r6g.large', 'db.r6g.large') }])).toBeUndefined();
  });
});

describe('active-active cost', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'cli.js'), 'cost', ...args], { encoding: 'utf8' });

  test('prints the estimate of the default config as Markdown, and as JSON with --json', () => {
    const markdown = cli();
    expect(markdown.status).toBe(0);
    expect(markdown.stdout).toMatch(
      /^## Monthly cost of acme-shop, from examples\/two-region\.json \(embedded example\): \$1,\d{3}\.\d\d a month/,
    );
    expect(markdown.stdout).toContain('| **total** | **$1,054.44** |');
    expect(markdown.stdout).toContain('### Assumptions');
    const json = cli('--json');
    expect(json.status).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      currency: string;
      monthlyTotal: number;
      items: Array<Record<string, unknown>>;
      assumptions: string[];
    };
    expect(Object.keys(parsed)).toEqual(['currency', 'monthlyTotal', 'items', 'assumptions']);
    expect(parsed.currency).toBe('USD');
    expect(Object.keys(parsed.items[0])).toEqual([
      'stack',
      'address',
      'type',
      'region',
      'component',
      'quantity',
      'unit',
      'unitPrice',
      'monthly',
      'charge',
    ]);
    expect(parsed.monthlyTotal).toBe(parsed.items.reduce((sum, i) => sum + (i.monthly as number), 0));
  });

  test('a broken usage file is one line naming the field and the fix, exit 1, no stack trace', () => {
    const dir = tempDir('aa-usage-');
    try {
      const file = path.join(dir, 'usage.json');
      for (const [content, message] of [
        ['{"natGatewayProcessedGb": -5}', 'natGatewayProcessedGb: must be 0 or more. Fix: use 0 for none'],
        ['{"natGb": 5}', '"natGb" is not a usage figure. Fix: use the figures listed in docs/cost.md'],
        ['{"regions": {"mars": {}}}', 'regions.mars: is not a Region code. Fix: use e.g. "us-east-1"'],
        ['{"a": 1,}', 'line 1, column'],
      ]) {
        fs.writeFileSync(file, content);
        const run = cli('--usage', file, '--synthesized', path.join(dir, 'none'));
        expect(run.status).toBe(1);
        expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
        expect(run.stdout).toBe('');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The side-by-side table of docs/cost.md, from the estimates of the two examples. */
function comparisonTable(defaults: Estimate, lean: Estimate): string {
  const rows: Array<[string, readonly string[]]> = [
    ['Aurora instances (lean: Serverless v2 minimum)', ['aws_rds_cluster_instance']],
    ['NAT gateways and their addresses', ['aws_nat_gateway', 'aws_eip']],
    [
      'Transit Gateway attachments',
      [
        'aws_ec2_transit_gateway_vpc_attachment',
        'aws_ec2_transit_gateway_peering_attachment',
        'aws_ec2_transit_gateway_peering_attachment_accepter',
      ],
    ],
    ['Load balancers and their public addresses', ['aws_lb']],
    ['Global Accelerator', ['aws_globalaccelerator_accelerator']],
    ['Fargate tasks', ['aws_ecs_service']],
    [
      'KMS keys, alarms (scaling alarms too), health checks',
      [
        'aws_kms_key',
        'aws_cloudwatch_metric_alarm',
        'aws_cloudwatch_composite_alarm',
        'aws_appautoscaling_policy',
        'aws_route53_health_check',
      ],
    ],
  ];
  const sumOf = (e: Estimate, filter: (i: Estimate['items'][number]) => boolean) =>
    dollars(e.items.filter(filter).reduce((sum, i) => sum + i.monthly, 0));
  const covered = new Set(rows.flatMap(([, types]) => types));
  return [
    '| monthly, USD | default (`two-region.json`) | lean (`lean.json`) |',
    '| --- | ---: | ---: |',
    ...rows.map(([label, types]) => {
      const of = (e: Estimate) => sumOf(e, (i) => i.charge === 'fixed' && types.includes(i.type));
      return `| ${label} | ${of(defaults)} | ${of(lean)} |`;
    }),
    `| Other fixed charges | ${sumOf(defaults, (i) => i.charge === 'fixed' && !covered.has(i.type))} | ${sumOf(lean, (i) => i.charge === 'fixed' && !covered.has(i.type))} |`,
    `| **Fixed charges** | **${sumOf(defaults, (i) => i.charge === 'fixed')}** | **${sumOf(lean, (i) => i.charge === 'fixed')}** |`,
    `| Usage at the default figures | ${sumOf(defaults, (i) => i.charge === 'usage')} | ${sumOf(lean, (i) => i.charge === 'usage')} |`,
    `| **Total** | **${dollars(defaults.monthlyTotal)}** | **${dollars(lean.monthlyTotal)}** |`,
  ].join('\n');
}

describe('docs/cost.md', () => {
  test('shows the default and the lean profile side by side, as the estimator prices them', () => {
    const table = comparisonTable(estimateOf(example('two-region')), estimateOf(example('lean')));
    if (process.env.PRINT_COST_TABLE) process.stdout.write(`${table}\n`);
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'cost.md'), 'utf8')).toContain(table);
  });
});

describe('price table refresh from the Price List bulk files', () => {
  const header =
    '"SKU","OfferTermCode","RateCode","TermType","PriceDescription","EffectiveDate","StartingRange","EndingRange","Unit","PricePerUnit","Currency","Product Family","serviceCode","Location","usageType","operation","Region Code"';
  const row = (term: string, start: string, price: string, usage: string, region: string) =>
    `"SKU1","T","R","${term}","desc, with a comma","2026-11-01","${start}","Inf","Hrs","${price}","USD","NAT Gateway","AmazonEC2","Somewhere","${usage}","NatGateway","${region}"`;

  test('takes the first on-demand tier of the row whose attributes match, by column name in either spelling', () => {
    const matcher = new OfferMatcher(
      new Map([
        ['nat-gateway-hour@eu-west-1', { service: 'AmazonEC2', usagetype: '*NatGateway-Hours', regionCode: 'eu-west-1' }],
        ['nat-gateway-gb@eu-west-1', { service: 'AmazonEC2', usagetype: '*NatGateway-Bytes', regionCode: 'eu-west-1', scale: 1000 }],
      ]),
    );
    for (const line of [
      '"FormatVersion","v1.0"',
      '"Disclaimer","..."',
      header,
      row('Reserved', '0', '0.01', 'EU-NatGateway-Hours', 'eu-west-1'),
      row('OnDemand', '0', '0.05', 'USE1-NatGateway-Hours', 'us-east-1'),
      row('OnDemand', '0', '0.048', 'EU-NatGateway-Hours', 'eu-west-1'),
      row('OnDemand', '0', '0.099', 'EU-NatGateway-Hours', 'eu-west-1'),
      row('OnDemand', '10240', '0.03', 'EU-NatGateway-Bytes', 'eu-west-1'),
      row('OnDemand', '0', '0.048', 'EU-NatGateway-Bytes', 'eu-west-1'),
    ])
      matcher.line(line);
    expect(Object.fromEntries(matcher.prices())).toEqual({ 'nat-gateway-hour@eu-west-1': 0.048, 'nat-gateway-gb@eu-west-1': 48 });
    expect(csvFields('"a ""b""",c,"d,e"')).toEqual(['a "b"', 'c', 'd,e']);
  });

  test('asks each Region file for its entries, and dates and marks what it confirms', () => {
    const files = queriesByFile(table);
    expect(files.get(offerFileUrl('AmazonEC2', 'us-west-2'))!.get('nat-gateway-hour@us-west-2')).toEqual(
      expect.objectContaining({ usagetype: '*NatGateway-Hours', regionCode: 'us-west-2' }),
    );
    expect(files.has(offerFileUrl('AmazonRoute53'))).toBe(true);
    const { table: refreshed, changes } = refreshedTable(table, new Map([['nat-gateway-hour@eu-central-1', 0.053]]), '2027-01-02');
    expect(changes).toEqual([`nat-gateway-hour eu-central-1: ${p('nat-gateway-hour', 'eu-central-1')} -> 0.053`]);
    expect(refreshed.prices['nat-gateway-hour']).toEqual(
      expect.objectContaining({ read: '2027-01-02', checkedIn: expect.arrayContaining(['eu-central-1']) }),
    );
    expect(refreshed.prices['nat-gateway-hour'].byRegion!['eu-central-1']).toBe(0.053);
    expect(refreshed.prices['kms-key-month']).toBe(table.prices['kms-key-month']);
  });
});
