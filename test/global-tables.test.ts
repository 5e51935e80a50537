import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigInput } from '../src/config';
import { configChangeProblems } from '../src/config/change';
import type { TableInput } from '../src/config/tables-schema';
import { designedRecovery } from '../src/report/recovery';
import { TABLE_KEY_ACTIONS, TABLE_READ_WRITE_ACTIONS } from '../src/constructs/storage/table-access';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, configProblems, crossStack, exampleInput, policyStatements, resourceAt, resources, synth } from './helpers';

const ORDERS: TableInput = {
  name: 'orders',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalSecondaryIndexes: [
    { name: 'by-customer', partitionKey: { name: 'customer', type: 'S' }, sortKey: { name: 'sk', type: 'S' } },
    { name: 'by-status', partitionKey: { name: 'status', type: 'S' }, projection: 'INCLUDE', nonKeyAttributes: ['total'] },
  ],
  ttlAttribute: 'expiresAt',
};
const SESSIONS: TableInput = {
  name: 'sessions',
  partitionKey: { name: 'id', type: 'S' },
  billing: { mode: 'provisioned', readMinCapacity: 2, readMaxCapacity: 50, writeMinCapacity: 3, writeMaxCapacity: 40 },
};

/** An example with `tables` added to its storage. */
export function withTables(example: string, tables: TableInput[]): ConfigInput {
  const input = exampleInput(example);
  return { ...input, storage: { ...input.storage, tables } };
}

function withTable(table: Partial<TableInput>): ConfigInput {
  return withTables('two-region', [{ ...ORDERS, ...table }]);
}

describe('storage.tables validation', () => {
  test('defaults to no tables, and the examples validate with tables', () => {
    expect(configFrom(exampleInput()).storage.tables).toEqual([]);
    const config = configFrom(withTables('two-region', [ORDERS, SESSIONS]));
    expect(
      config.storage.tables.map((t) => [
        t.name,
        t.homeRegion,
        t.provisioned ? 'provisioned' : 'on-demand',
        t.consistency,
        t.deletionProtection,
      ]),
    ).toEqual([
      ['orders', 'us-east-1', 'on-demand', 'eventual', true],
      ['sessions', 'us-east-1', 'provisioned', 'eventual', true],
    ]);
  });

  test.each<[string, ConfigInput, RegExp]>([
    [
      'duplicate names',
      withTables('two-region', [ORDERS, ORDERS]),
      /^storage\.tables\[1\]\.name: "orders" is already used by storage\.tables\[0\]\. Fix:/,
    ],
    [
      'attribute type',
      withTable({ partitionKey: { name: 'pk', type: 'X' as 'S' } }),
      /^storage\.tables\[0\]\.partitionKey\.type: "X" is not a key attribute type\. Fix:/,
    ],
    [
      'a key named twice with different types',
      withTable({ globalSecondaryIndexes: [{ name: 'by-sk', partitionKey: { name: 'sk', type: 'N' } }] }),
      /^storage\.tables\[0\]\.globalSecondaryIndexes\[0\]\.partitionKey\.type: "sk" is N here but S in sortKey.*Fix: use "S"/,
    ],
    [
      'sort key equal to the partition key',
      withTable({ sortKey: { name: 'pk', type: 'S' } }),
      /^storage\.tables\[0\]\.sortKey\.name: "pk" is also the partition key\. Fix:/,
    ],
    [
      'more than 20 indexes',
      withTable({
        globalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({
          name: `index-${i}`,
          partitionKey: { name: `a${i}`, type: 'S' as const },
        })),
      }),
      /^storage\.tables\[0\]\.globalSecondaryIndexes: has 21 indexes; a table has at most 20\. Fix:/,
    ],
    [
      'duplicate index names',
      withTable({ globalSecondaryIndexes: [ORDERS.globalSecondaryIndexes![0], ORDERS.globalSecondaryIndexes![0]] }),
      /^storage\.tables\[0\]\.globalSecondaryIndexes\[1\]\.name: "by-customer" is already used/,
    ],
    [
      'INCLUDE without attributes',
      withTable({ globalSecondaryIndexes: [{ name: 'by-x', partitionKey: { name: 'x', type: 'S' }, projection: 'INCLUDE' }] }),
      /^storage\.tables\[0\]\.globalSecondaryIndexes\[0\]\.nonKeyAttributes: is empty, but projection INCLUDE/,
    ],
    [
      'attributes without INCLUDE',
      withTable({ globalSecondaryIndexes: [{ name: 'by-x', partitionKey: { name: 'x', type: 'S' }, nonKeyAttributes: ['y'] }] }),
      /^storage\.tables\[0\]\.globalSecondaryIndexes\[0\]\.nonKeyAttributes: is only for projection INCLUDE/,
    ],
    [
      'TTL on a key attribute',
      withTable({ ttlAttribute: 'sk' }),
      /^storage\.tables\[0\]\.ttlAttribute: "sk" is a key attribute \(sortKey\).*Fix:/,
    ],
    [
      'provisioned min above max',
      withTables('two-region', [{ ...SESSIONS, billing: { mode: 'provisioned', writeMinCapacity: 50, writeMaxCapacity: 10 } }]),
      /^storage\.tables\[0\]\.billing\.writeMinCapacity: 50 is above writeMaxCapacity 10\. Fix:/,
    ],
    [
      'provisioned with indexes',
      withTable({ billing: { mode: 'provisioned' } }),
      /^storage\.tables\[0\]\.billing: provisioned capacity with globalSecondaryIndexes is not offered.*Fix: use \{ "mode": "on-demand" \}/,
    ],
    [
      'strong consistency',
      withTable({ consistency: 'strong' }),
      /^storage\.tables\[0\]\.consistency: "strong".*hashicorp\/aws 6\.3\.0 or newer.*5\.100\.0.*Fix: use "eventual"/,
    ],
    [
      'a home Region outside regions',
      withTable({ homeRegion: 'eu-west-1' }),
      /^storage\.tables\[0\]\.homeRegion: "eu-west-1" is not one of regions.*Fix:/,
    ],
    ['a table name', withTable({ name: 'Orders' }), /^storage\.tables\[0\]\.name: must be lowercase.*Fix:/],
  ])('refuses %s with the field and a Fix', (_label, input, expected) => {
    const problems = configProblems(input);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });
});

describe('storage.tables changes', () => {
  const before = configFrom(withTables('three-region', [ORDERS]));
  const problems = (after: ConfigInput) => configChangeProblems(before, configFrom(after)).map((p) => `${p.path}: ${p.message}`);

  test('adding a table or an index, or changing TTL, is accepted', () => {
    expect(problems(withTables('three-region', [ORDERS, SESSIONS]))).toEqual([]);
    expect(problems(withTables('three-region', [{ ...ORDERS, ttlAttribute: 'until', globalSecondaryIndexes: [] }]))).toEqual([]);
  });

  test('a new partition or sort key is refused with the migration', () => {
    const [problem, ...rest] = problems(withTables('three-region', [{ ...ORDERS, partitionKey: { name: 'id', type: 'S' } }]));
    expect(rest).toEqual([]);
    expect(problem).toMatch(
      /^storage\.tables\[0\]\.partitionKey: of "orders" changes, which replaces the table.*Fix: keep \{"name":"pk","type":"S"\}/,
    );
    expect(problems(withTables('three-region', [{ ...ORDERS, sortKey: undefined }]))[0]).toMatch(/^storage\.tables\[0\]\.sortKey: /);
  });

  test('a new primary Region would move an unpinned table: refused with "pin homeRegion"', () => {
    const input = withTables('three-region', [ORDERS]);
    const regions = input.regions.map((r) => ({ ...r, primary: r.region === 'us-west-2' }));
    const moved = problems({ ...input, regions });
    expect(moved.filter((p) => p.startsWith('storage.'))).toEqual([
      expect.stringMatching(
        /^storage\.tables\[0\]\.homeRegion: of "orders" resolves to us-west-2 instead of us-east-1.*Fix: pin "homeRegion": "us-east-1"$/,
      ),
    ]);
    const pinned = problems({ ...input, regions, storage: { ...input.storage, tables: [{ ...ORDERS, homeRegion: 'us-east-1' }] } });
    expect(pinned.filter((p) => p.startsWith('storage.'))).toEqual([]);
  });

  test('another billing mode is refused with the migration; capacity limits change in place', () => {
    const provisioned = { ...ORDERS, globalSecondaryIndexes: [], billing: { mode: 'provisioned' as const } };
    expect(problems(withTables('three-region', [provisioned]))).toEqual([
      expect.stringMatching(
        /^storage\.tables\[0\]\.billing\.mode: of "orders" changes from on-demand to provisioned, .*Fix: keep "on-demand"/,
      ),
    ]);
    const before = configFrom(withTables('three-region', [provisioned]));
    const wider = { ...provisioned, billing: { mode: 'provisioned' as const, writeMaxCapacity: 200 } };
    expect(configChangeProblems(before, configFrom(withTables('three-region', [wider])))).toEqual([]);
  });

  test('removing a protected table is refused; an unprotected one may go', () => {
    expect(problems(withTables('three-region', []))).toEqual([
      expect.stringMatching(
        /^storage\.tables: "orders" leaves storage\.tables.*Fix: keep it; to delete it, first set "deletionProtection": false/,
      ),
    ]);
    const unprotected = configFrom(withTables('three-region', [{ ...ORDERS, deletionProtection: false }]));
    expect(configChangeProblems(unprotected, configFrom(withTables('three-region', [])))).toEqual([]);
  });
});

describe.each([
  ['two-region', 2],
  ['three-region', 3],
  ['five-region', 5],
])('global table invariants: %s', (example, n) => {
  const config = configFrom(withTables(example, [ORDERS, SESSIONS]));
  const result = synth(config);
  afterAll(() => fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true }));
  const mesh = result.stacks.get('mesh')!;
  const keyOf = (reference: string) => crossStack(result, reference);
  const regionKey = (region: string) => {
    const stack = result.stacks.get(`region-${region}`)!;
    return `\${aws_kms_key.${resourceAt(stack, 'aws_kms_key', `region-${region}/regional-key/key`).name}.arn}`;
  };
  const providerOf = (region: string) => (region === config.primaryRegion ? 'aws' : `aws.${region}`);

  test.each(['orders', 'sessions'])('%s: the table in its home Region, without replica blocks, streamed, protected', (name) => {
    const { body } = resourceAt(mesh, 'aws_dynamodb_table', `mesh/table-${name}/table`);
    expect(body.name).toBe(`acme-shop-${name}`);
    expect(body.provider).toBe(providerOf(config.primaryRegion));
    expect(body.replica).toBeUndefined();
    expect(body.lifecycle.ignore_changes).toContain('replica');
    expect(body.lifecycle.prevent_destroy).toBe(true);
    expect(body).toMatchObject({
      stream_enabled: true,
      stream_view_type: 'NEW_AND_OLD_IMAGES',
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
    });
    expect(body.server_side_encryption.enabled).toBe(true);
    expect(keyOf(body.server_side_encryption.kms_key_arn)).toEqual({
      stack: `region-${config.primaryRegion}`,
      value: regionKey(config.primaryRegion),
    });
  });

  test('the stacks decide every part at synthesis: no count, no dynamic block, no conditional expression', () => {
    // The construct takes Terraform expressions for the HCL module; with the config's literal values
    // it must make exactly the resources and blocks it always made.
    const types = ['aws_dynamodb_table', 'aws_dynamodb_table_replica', 'aws_appautoscaling_target', 'aws_appautoscaling_policy'];
    const bodies = [
      ...types.flatMap((type) => Object.values(resources(mesh, type))),
      ...Object.values(resources(mesh, 'aws_cloudwatch_metric_alarm')).filter((a) => a.namespace === 'AWS/DynamoDB'),
    ];
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body.count).toBeUndefined();
      expect(body.dynamic).toBeUndefined();
      expect(JSON.stringify(body)).not.toMatch(/ \? /);
    }
    const orders = resourceAt(mesh, 'aws_dynamodb_table', 'mesh/table-orders/table').body;
    expect(orders.attribute.map((a: { name: string }) => a.name).sort()).toEqual(['customer', 'pk', 'sk', 'status']);
    expect(orders.ttl).toEqual({ attribute_name: 'expiresAt', enabled: true });
    expect(orders.billing_mode).toBe('PAY_PER_REQUEST');
    expect(orders.lifecycle.ignore_changes).toEqual(['replica']);
  });

  test.each(['orders', 'sessions'])('%s: every other Region has a replica with its own key, PITR and deletion protection', (name) => {
    const table = resourceAt(mesh, 'aws_dynamodb_table', `mesh/table-${name}/table`);
    const replicas = Object.values(resources(mesh, 'aws_dynamodb_table_replica')).filter(
      (r) => r.global_table_arn === `\${aws_dynamodb_table.${table.name}.arn}`,
    );
    const others = config.regions.map((r) => r.region).filter((r) => r !== config.primaryRegion);
    expect(replicas).toHaveLength(n - 1);
    expect(replicas.map((r) => r.provider).sort()).toEqual(others.map(providerOf).sort());
    for (const replica of replicas) {
      const region = (replica.provider as string).replace(/^aws\./, '');
      expect(keyOf(replica.kms_key_arn)).toEqual({ stack: `region-${region}`, value: regionKey(region) });
      expect(replica.point_in_time_recovery).toBe(true);
      expect(replica.deletion_protection_enabled).toBe(true);
    }
  });

  test('ReplicationLatency alarms: one per table, source and receiving Region, in the source Region to its alerts topic', () => {
    const alarms = Object.values(resources(mesh, 'aws_cloudwatch_metric_alarm')).filter((a) => a.namespace === 'AWS/DynamoDB');
    expect(alarms).toHaveLength(2 * n * (n - 1));
    const pairs = new Set<string>();
    for (const alarm of alarms) {
      expect(alarm.metric_name).toBe('ReplicationLatency');
      const source = alarm.provider === 'aws' ? config.primaryRegion : (alarm.provider as string).replace(/^aws\./, '');
      expect(alarm.dimensions.ReceivingRegion).not.toBe(source);
      expect(alarm.treat_missing_data).toBe('notBreaching');
      expect(crossStack(result, alarm.alarm_actions[0]).stack).toBe(`region-${source}`);
      pairs.add(`${alarm.dimensions.TableName} ${source} ${alarm.dimensions.ReceivingRegion}`);
    }
    expect(pairs.size).toBe(alarms.length);
  });

  test('provisioned: write scaling once in the home Region before the replicas, read scaling in every Region', () => {
    const targets = Object.values(resources(mesh, 'aws_appautoscaling_target'));
    const write = targets.filter((t) => t.scalable_dimension === 'dynamodb:table:WriteCapacityUnits');
    const read = targets.filter((t) => t.scalable_dimension === 'dynamodb:table:ReadCapacityUnits');
    expect(write.map((t) => [t.provider, t.min_capacity, t.max_capacity])).toEqual([[providerOf(config.primaryRegion), 3, 40]]);
    expect(read.map((t) => t.provider).sort()).toEqual(config.regions.map((r) => providerOf(r.region)).sort());
    const table = resourceAt(mesh, 'aws_dynamodb_table', 'mesh/table-sessions/table').body;
    expect(table.lifecycle.ignore_changes).toEqual(['replica', 'read_capacity', 'write_capacity']);
    const writePolicy = resourceAt(
      mesh,
      'aws_appautoscaling_policy',
      `mesh/table-sessions/write-scaling-policy-${config.primaryRegion}`,
    ).name;
    const replicas = Object.values(resources(mesh, 'aws_dynamodb_table_replica')).filter((r) =>
      r['//'].metadata.path.includes('table-sessions'),
    );
    for (const replica of replicas) expect(replica.depends_on).toContain(`aws_appautoscaling_policy.${writePolicy}`);
  });

  test("provisioned: every scaling policy has the name DynamoDB gives its own, so a replica's read policy takes over the one DynamoDB made", () => {
    const policies = Object.values(resources(mesh, 'aws_appautoscaling_policy')).filter((p) =>
      p['//'].metadata.path.includes('table-sessions'),
    );
    expect(policies).toHaveLength(1 + config.regions.length);
    const table = resourceAt(mesh, 'aws_dynamodb_table', 'mesh/table-sessions/table').name;
    for (const policy of policies) {
      const metric: string = policy.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type;
      expect(policy.name).toBe(`${metric}:table/\${aws_dynamodb_table.${table}.name}`);
    }
  });

  test.each(config.regions.map((r) => [r.region]))("%s: the task role reads and writes that Region's replicas only", (region) => {
    const stack = result.stacks.get(`region-${region}`)!;
    const policy = resourceAt(stack, 'aws_iam_role_policy', `region-${region}/table-access/policy`).body;
    const statements: TerraformJson[] = policyStatements(stack, policy.policy);
    const arn = (name: string) => `arn:aws:dynamodb:${region}:111122223333:table/acme-shop-${name}`;
    expect(statements).toEqual([
      {
        sid: 'ReadWriteItems',
        effect: 'Allow',
        actions: [...TABLE_READ_WRITE_ACTIONS],
        resources: [arn('orders'), `${arn('orders')}/index/*`, arn('sessions'), `${arn('sessions')}/index/*`],
      },
      {
        sid: 'TableKeyThroughDynamoDB',
        effect: 'Allow',
        actions: [...TABLE_KEY_ACTIONS],
        resources: [regionKey(region)],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`dynamodb.${region}.amazonaws.com`] }],
      },
    ]);
    expect(statements.flatMap((s) => s.actions).some((a: string) => a.endsWith(':*'))).toBe(false);
    expect(policy.role).toMatch(/^\$\{aws_iam_role\.[^.]+\.name\}$/);
  });
});

test('decommission turns deletion protection and prevent_destroy off on the table and every replica', () => {
  const config = configFrom({ ...withTables('two-region', [ORDERS]), decommission: true });
  const result = synth(config);
  try {
    const mesh = result.stacks.get('mesh')!;
    const table = resourceAt(mesh, 'aws_dynamodb_table', 'mesh/table-orders/table').body;
    expect(table.deletion_protection_enabled).toBe(false);
    expect(table.lifecycle.prevent_destroy).toBeUndefined();
    for (const replica of Object.values(resources(mesh, 'aws_dynamodb_table_replica')))
      expect(replica.deletion_protection_enabled).toBe(false);
  } finally {
    fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
  }
});

test('the designed recovery lists each table with its typical replication time', () => {
  const report = designedRecovery(configFrom(withTables('three-region', [ORDERS])));
  const table = report.dataLoss.find((d) => d.id === 'table:orders')!;
  expect(table.copies).toBe('every Region, both ways (us-east-1, us-west-2, eu-west-1)');
  expect(table.figures).toEqual([expect.objectContaining({ measure: 'replicated', seconds: 1, kind: 'typical', source: 'aws' })]);
  expect(table.figures[0].basis).toMatch(/last writer/);
});

test('the designed recovery names the home Region whose DynamoDB API Terraform needs for the tables', () => {
  const pinned = { ...ORDERS, name: 'carts', homeRegion: 'us-west-2' };
  const report = designedRecovery(configFrom(withTables('three-region', [ORDERS, pinned])));
  const step = report.controlPlanes.find((c) => c.controlPlane === 'DynamoDB API')!;
  expect(step.regions).toEqual(['us-east-1', 'us-west-2']);
  expect(step.basis).toMatch(/own replicas meanwhile/);
  expect(designedRecovery(configFrom(withTables('three-region', []))).controlPlanes.map((c) => c.controlPlane)).not.toContain(
    'DynamoDB API',
  );
});
