import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigInput } from '../src/config';
import { previewAgainst, settleLayout, type Preview, type SettledLayout } from '../src/terraform/preview';
import { formatReport } from '../src/terraform/harness';
import { resourceCount, type TerraformJson } from '../src/terraform/offline';
import { configFrom, exampleInput, synth, tempDir, type Synthesized } from './helpers';

/**
 * The change-safety matrix: each config change an operator makes on day 2, previewed offline
 * against the layout as deployed (settled on paper), and judged by the rules a senior engineer would
 * apply before `terraform apply`.
 */

/** Resource types that hold data or the means to read it: never replaced or deleted unless asked. */
const STATEFUL = new Set([
  'aws_rds_global_cluster',
  'aws_rds_cluster',
  'aws_rds_cluster_instance',
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_kms_key',
]);

/** Arguments that give a resource a fixed name AWS keeps unique: such a resource cannot be replaced without a gap or a clash. */
const NAME_ARGUMENTS = ['name', 'bucket', 'identifier', 'cluster_identifier', 'global_cluster_identifier'];

/** Arguments whose `true` protects a resource from deletion. */
const PROTECTION_ARGUMENTS = ['deletion_protection', 'enable_deletion_protection', 'deletion_protection_enabled'];

interface MatrixCase {
  readonly name: string;
  /** The base layout the change starts from. */
  readonly base: 'two' | 'three';
  readonly change: (input: ConfigInput) => ConfigInput;
  /** `<stack> <address>` of the stateful resources the change asks to remove. */
  readonly removes?: RegExp;
}

/** The resource body at a plan address in a synthesized stack (no count or for_each in stacks). */
function bodyAt(stack: TerraformJson | undefined, address: string): TerraformJson | undefined {
  const [type, name] = address.split('.');
  return stack?.resource?.[type]?.[name] as TerraformJson | undefined;
}

/** Every rule a change breaks, one line each. */
function violations(preview: Preview, before: Synthesized, removes: RegExp | undefined): string[] {
  const found: string[] = [];
  for (const change of preview.changes) {
    const where = `${change.stack} ${change.address} ${JSON.stringify(change.actions)}`;
    const deletes = change.actions.includes('delete');
    const asked = removes?.test(`${change.stack} ${change.address}`) ?? false;
    const old = bodyAt(before.stacks.get(change.stack), change.address);
    if (deletes && STATEFUL.has(change.type) && !asked) found.push(`(a) stateful resource replaced or deleted: ${where}`);
    if (deletes && change.actions.includes('create') && old && NAME_ARGUMENTS.some((arg) => typeof old[arg] === 'string')) {
      found.push(`(b) resource with a fixed name replaced: ${where}`);
    }
    const isProtected = old && (PROTECTION_ARGUMENTS.some((arg) => old[arg] === true) || old.lifecycle?.prevent_destroy === true);
    if (deletes && isProtected && !preview.removedStacks.includes(change.stack)) {
      found.push(`(c) deletion-protected resource scheduled for deletion: ${where}`);
    }
  }
  return found;
}

const withRegions = (input: ConfigInput, map: (regions: ConfigInput['regions']) => ConfigInput['regions']): ConfigInput => ({
  ...input,
  regions: map(input.regions),
});
const certificate = (region: string, i: number) => `arn:aws:acm:${region}:111122223333:certificate/0e8c5a8e-1111-4222-8333-94444555566${i}`;
const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
const workload = (input: ConfigInput) => (typeof input.workload === 'object' ? input.workload : {});
const database = (input: ConfigInput) => input.database ?? {};

const MATRIX: readonly MatrixCase[] = [
  {
    name: 'add certificates',
    base: 'two',
    change: (c) => withRegions(c, (regions) => regions.map((r, i) => ({ ...r, certificateArn: certificate(r.region, i) }))),
  },
  { name: 'change workload.port', base: 'two', change: (c) => ({ ...c, workload: { ...workload(c), port: 8080 } }) },
  {
    name: 'change workload.image',
    base: 'two',
    change: (c) => ({ ...c, workload: { ...workload(c), image: 'public.ecr.aws/nginx/nginx:1.27-alpine' } }),
  },
  { name: 'change CPU and memory', base: 'two', change: (c) => ({ ...c, workload: { ...workload(c), cpu: 512, memory: 1024 } }) },
  {
    name: 'toggle loadBalancer.internal',
    base: 'two',
    change: (c) => ({ ...c, traffic: { ...c.traffic, loadBalancer: { ...c.traffic?.loadBalancer, internal: true } } }),
  },
  {
    name: 'add a Region',
    base: 'two',
    change: (c) =>
      withRegions(c, (regions) => [
        ...regions,
        { region: 'eu-west-1', cidr: '10.30.0.0/16', azs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
      ]),
  },
  { name: 'reorder regions', base: 'two', change: (c) => withRegions(c, (regions) => [...regions].reverse()) },
  { name: 'change tags', base: 'two', change: (c) => ({ ...c, tags: { ...c.tags, CostCenter: 'cc-1234' } }) },
  { name: 'NAT per-az to single', base: 'two', change: (c) => ({ ...c, network: { ...c.network, natGateways: 'single' } }) },
  { name: 'NAT single to none', base: 'three', change: (c) => ({ ...c, network: { ...c.network, natGateways: 'none' } }) },
  {
    name: 'add interface endpoints',
    base: 'two',
    change: (c) => ({ ...c, network: { ...c.network, interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'] } }),
  },
  { name: 'minor engine version bump', base: 'two', change: (c) => ({ ...c, database: { ...database(c), engineVersion: '16.8' } }) },
  { name: 'new instance class', base: 'two', change: (c) => ({ ...c, database: { ...database(c), instanceClass: 'db.r7g.large' } }) },
  {
    name: 'instance counts up',
    base: 'two',
    change: (c) => ({ ...c, database: { ...database(c), instances: { primary: 3, secondary: 2 } } }),
  },
  {
    name: 'instance counts down',
    base: 'two',
    change: (c) => ({ ...c, database: { ...database(c), instances: { primary: 1, secondary: 1 } } }),
  },
  {
    name: 'add a bucket',
    base: 'two',
    change: (c) => ({ ...c, storage: { ...c.storage, buckets: [...(c.storage?.buckets ?? []), { name: 'media' }] } }),
  },
  {
    name: 'remove a bucket',
    base: 'two',
    change: (c) => ({ ...c, storage: { ...c.storage, buckets: [] } }),
    removes: /^region-[a-z0-9-]+ aws_s3_bucket\.storage-assets/,
  },
  {
    name: 'change replicaStorageClass',
    base: 'two',
    change: (c) => ({
      ...c,
      storage: { ...c.storage, buckets: (c.storage?.buckets ?? []).map((b) => ({ ...b, replicaStorageClass: 'STANDARD_IA' })) },
    }),
  },
  {
    name: 'Global Accelerator to Route 53',
    base: 'two',
    change: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'route53-latency', route53 } }),
  },
  {
    name: 'Route 53 to Global Accelerator',
    base: 'three',
    change: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'global-accelerator', route53: undefined } }),
  },
  {
    name: 'new health-check settings',
    base: 'two',
    change: (c) => ({
      ...c,
      traffic: { ...c.traffic, healthCheck: { path: '/healthz', intervalSeconds: 30, unhealthyThresholdCount: 2 } },
    }),
  },
  { name: 'bump masterPasswordVersion', base: 'two', change: (c) => ({ ...c, database: { ...database(c), masterPasswordVersion: 2 } }) },
  {
    name: 'another primary Region',
    base: 'two',
    change: (c) => withRegions(c, (regions) => regions.map((r) => ({ ...r, primary: !r.primary }))),
  },
  {
    name: 'remove a secondary Region',
    base: 'three',
    change: (c) => withRegions(c, (regions) => regions.filter((r) => r.region !== 'eu-west-1')),
    removes: /^region-eu-west-1 /,
  },
];

/** The second base: three Regions behind Route 53 latency records, one NAT gateway each. */
function threeRegionBase(): ConfigInput {
  const input = exampleInput('three-region');
  return {
    ...input,
    network: { ...input.network, natGateways: 'single' },
    traffic: { ...input.traffic, mode: 'route53-latency', route53 },
  };
}

describe('change preview: the change-safety matrix', () => {
  const bases = { two: exampleInput('two-region'), three: threeRegionBase() };
  const synthesized = { two: synth(configFrom(bases.two)), three: synth(configFrom(bases.three)) };
  const settled: Partial<Record<'two' | 'three', SettledLayout>> = {};
  const outcomes = new Map<string, { preview: Preview; after: Synthesized }>();
  afterAll(() => {
    for (const result of [...Object.values(synthesized), ...[...outcomes.values()].map((o) => o.after)]) {
      fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
    }
  });

  beforeAll(async () => {
    for (const base of ['two', 'three'] as const) settled[base] = await settleLayout(synthesized[base].outdir);
    for (const matrixCase of MATRIX) {
      const after = synth(configFrom(matrixCase.change(structuredClone(bases[matrixCase.base]))));
      outcomes.set(matrixCase.name, { preview: await previewAgainst(settled[matrixCase.base]!, after.outdir), after });
      if (process.env.MATRIX_DUMP)
        fs.appendFileSync(
          process.env.MATRIX_DUMP,
          JSON.stringify({
            name: matrixCase.name,
            changes: outcomes.get(matrixCase.name)!.preview.changes,
            failures: outcomes.get(matrixCase.name)!.preview.failures.map((f) => f.diagnostics),
            v: violations(outcomes.get(matrixCase.name)!.preview, synthesized[matrixCase.base], matrixCase.removes),
          }) + '\n',
        );
    }
  }, 3_600_000);

  test.each(['two', 'three'] as const)(
    'the %s-Region base plans from nothing without warnings, then settles: planned again, it changes nothing',
    (base) => {
      const layout = settled[base]!;
      if (layout.failures.length > 0) throw new Error(formatReport(layout.report));
      for (const result of layout.report.results) {
        expect({ stack: result.stack, warnings: result.warnings }).toEqual({ stack: result.stack, warnings: [] });
        expect(result.planned).toEqual({ add: resourceCount(synthesized[base].stacks.get(result.stack)!), change: 0, remove: 0 });
        expect(result.settled?.rounds).toBeGreaterThan(0);
      }
      expect(Object.keys(layout.states).sort()).toEqual([...synthesized[base].order].sort());
    },
  );

  test('the rules fail on a construct made unsafe on purpose: a port in a security group description replaces the group', async () => {
    // As a construct would synthesize it if it wrote the port into the description, which forces a new group.
    const { after } = outcomes.get('change workload.port')!;
    const unsafe = tempDir('aa-unsafe-');
    fs.cpSync(path.dirname(after.outdir), unsafe, { recursive: true });
    const outdir = path.join(unsafe, path.basename(after.outdir));
    try {
      for (const stack of after.order.filter((name) => name.startsWith('region-'))) {
        const file = path.join(outdir, 'stacks', stack, 'cdk.tf.json');
        const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
        for (const group of Object.values(json.resource.aws_security_group as Record<string, TerraformJson>)) {
          if (String(group['//']?.metadata?.path).includes('/workload/')) group.description = `${String(group.description)} on port 8080`;
        }
        fs.writeFileSync(file, JSON.stringify(json));
      }
      const preview = await previewAgainst(settled.two!, outdir);
      expect(preview.failures).toEqual([]);
      expect(violations(preview, synthesized.two, undefined)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^\(b\) resource with a fixed name replaced: region-us-east-1 aws_security_group\.workload_/),
        ]),
      );
    } finally {
      fs.rmSync(unsafe, { recursive: true, force: true });
    }
  });

  test.each(MATRIX.map((c) => [c.name, c] as const))('%s: planned against the deployed layout, it breaks no rule', (_name, matrixCase) => {
    const { preview } = outcomes.get(matrixCase.name)!;
    if (preview.failures.length > 0) throw new Error(preview.failures.map((f) => `${f.stack}: ${f.diagnostics}`).join('\n'));
    expect(violations(preview, synthesized[matrixCase.base], matrixCase.removes)).toEqual([]);
  });
});
