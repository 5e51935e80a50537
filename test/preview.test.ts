import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigInput } from '../src/config';
import { configChangeProblems } from '../src/config/change';
import { dollarChange } from '../src/cost/format';
import { planCost } from '../src/cost/plan-cost';
import { priceTable, unitPrice } from '../src/cost/price-table';
import { STATEFUL_TYPES, summarizePlans } from '../src/report/plan-summary';
import { previewAgainst, settleLayout, type Preview, type SettledLayout } from '../src/terraform/preview';
import { formatReport } from '../src/terraform/harness';
import { resourceCount, type TerraformJson } from '../src/terraform/offline';
import { configFrom, exampleInput, ROOT, synth, type Synthesized } from './helpers';

/**
 * The change-safety matrix: each config change an operator makes on day 2, previewed offline
 * against the layout as deployed (settled on paper), and judged by the rules a senior engineer would
 * apply before `terraform apply`.
 */

/** A price of the committed table. */
const price = (key: string, region: string) => unitPrice(priceTable(), key, region)!.price;

/** Resource types that hold data or the means to read it: never replaced or deleted unless asked. */
const STATEFUL = new Set(STATEFUL_TYPES);

/** Arguments that give a resource a fixed name AWS keeps unique: such a resource cannot be replaced without a gap or a clash. */
const NAME_ARGUMENTS = ['name', 'bucket', 'identifier', 'cluster_identifier', 'global_cluster_identifier'];

/** Arguments whose `true` protects a resource from deletion. */
const PROTECTION_ARGUMENTS = ['deletion_protection', 'enable_deletion_protection', 'deletion_protection_enabled'];

interface MatrixCase {
  readonly name: string;
  /** The base layout the change starts from. */
  readonly base: Base;
  readonly change: (input: ConfigInput) => ConfigInput;
  /** `<stack> <address>` of the stateful resources the change asks to remove. */
  readonly removes?: RegExp;
  /** The change is refused before planning, with this problem (path and safe procedure). */
  readonly refused?: RegExp;
  /** A refused case that starts from a variant of its base (refused cases are not planned). */
  readonly from?: (input: ConfigInput) => ConfigInput;
  /** In the slice `npm test` runs; `npm run test:matrix` runs every case. */
  readonly slice?: true;
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

/** A global table for the matrix: keys, an index and TTL. */
const ORDERS = {
  name: 'orders',
  partitionKey: { name: 'pk', type: 'S' as const },
  sortKey: { name: 'sk', type: 'S' as const },
  globalSecondaryIndexes: [{ name: 'by-customer', partitionKey: { name: 'customer', type: 'S' as const } }],
  ttlAttribute: 'expiresAt',
};

const MATRIX: readonly MatrixCase[] = [
  {
    name: 'add certificates',
    base: 'two',
    change: (c) => withRegions(c, (regions) => regions.map((r, i) => ({ ...r, certificateArn: certificate(r.region, i) }))),
  },
  { name: 'change workload.port', base: 'two', slice: true, change: (c) => ({ ...c, workload: { ...workload(c), port: 8080 } }) },
  {
    name: 'change workload.image',
    base: 'two',
    change: (c) => ({ ...c, workload: { ...workload(c), image: 'public.ecr.aws/nginx/nginx:1.27-alpine' } }),
  },
  { name: 'change CPU and memory', base: 'two', change: (c) => ({ ...c, workload: { ...workload(c), cpu: 512, memory: 1024 } }) },
  {
    name: 'toggle loadBalancer.internal',
    base: 'two',
    slice: true,
    change: (c) => ({ ...c, traffic: { ...c.traffic, loadBalancer: { ...c.traffic?.loadBalancer, internal: true } } }),
    refused: /^traffic\.loadBalancer\.internal: .*Fix: first set traffic\.loadBalancer\.deletionProtection to false and apply/,
  },
  {
    name: 'toggle loadBalancer.internal and its deletion protection at once',
    base: 'two',
    change: (c) => ({
      ...c,
      traffic: { ...c.traffic, loadBalancer: { ...c.traffic?.loadBalancer, internal: true, deletionProtection: false } },
    }),
    refused: /^traffic\.loadBalancer\.internal: .*Fix: first set traffic\.loadBalancer\.deletionProtection to false and apply/,
  },
  {
    name: 'add a Region',
    base: 'two',
    slice: true,
    change: (c) =>
      withRegions(c, (regions) => [
        ...regions,
        { region: 'eu-west-1', cidr: '10.30.0.0/16', azs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
      ]),
  },
  { name: 'reorder regions', base: 'two', change: (c) => withRegions(c, (regions) => [...regions].reverse()) },
  {
    name: 'change name',
    base: 'two',
    slice: true,
    change: (c) => ({ ...c, name: 'acme-store' }),
    refused: /^name: .*Fix: keep "acme-shop"/,
  },
  {
    name: 'another database engine',
    base: 'two',
    change: (c) => ({ ...c, database: { ...database(c), engine: 'aurora-mysql', masterUsername: 'admin' } }),
    refused: /^database\.engine: .*Fix: keep aurora-postgresql/,
  },
  {
    name: 'another database name',
    base: 'two',
    change: (c) => ({ ...c, database: { ...database(c), databaseName: 'shop' } }),
    refused: /^database\.databaseName: .*Fix: keep "databaseName": "app"/,
  },
  {
    name: 'another VPC CIDR',
    base: 'two',
    slice: true,
    change: (c) => withRegions(c, (regions) => regions.map((r, i) => (i === 1 ? { ...r, cidr: '10.21.0.0/16' } : r))),
    refused: /^regions\[1\]: us-west-2's cidr or azs change, .*Fix: keep "cidr": "10\.20\.0\.0\/16"/,
  },
  {
    name: 'move the state backend',
    base: 'two',
    change: (c) => ({ ...c, state: { ...c.state, region: 'us-west-2', replicaRegion: 'us-east-1' } }),
    refused: /^state\.region: .*Fix: keep them/,
  },
  { name: 'change tags', base: 'two', change: (c) => ({ ...c, tags: { ...c.tags, CostCenter: 'cc-1234' } }) },
  { name: 'NAT per-az to single', base: 'two', change: (c) => ({ ...c, network: { ...c.network, natGateways: 'single' } }) },
  {
    // Without NAT the tasks reach only private ECR, through interface endpoints.
    name: 'NAT single to none',
    base: 'latency',
    change: (c) => ({
      ...c,
      network: { ...c.network, natGateways: 'none' },
      workload: { ...workload(c), image: '111122223333.dkr.ecr.{region}.amazonaws.com/shop/web:1.0' },
    }),
  },
  {
    name: 'add interface endpoints',
    base: 'two',
    change: (c) => ({ ...c, network: { ...c.network, interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'] } }),
  },
  {
    name: 'minor engine version bump',
    base: 'two',
    slice: true,
    change: (c) => ({ ...c, database: { ...database(c), engineVersion: '16.8' } }),
  },
  { name: 'new instance class', base: 'two', change: (c) => ({ ...c, database: { ...database(c), instanceClass: 'db.r7g.large' } }) },
  {
    name: 'instance counts up',
    base: 'two',
    change: (c) => ({ ...c, database: { ...database(c), instances: { primary: 3, secondary: 2 } } }),
  },
  {
    name: 'instance counts down',
    base: 'two',
    removes: /^region-us-east-1 aws_rds_cluster_instance\.database_instance-2_/,
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
    slice: true,
    change: (c) => ({ ...c, storage: { ...c.storage, buckets: [] } }),
    removes: /^region-[a-z0-9-]+ aws_s3_bucket\.bucket-assets_/,
  },
  {
    name: 'add a global table',
    base: 'two',
    slice: true,
    change: (c) => ({ ...c, storage: { ...c.storage, tables: [ORDERS] } }),
  },
  {
    // A table holds data, and its deletion protection refuses the delete: two applies, and the preview says so.
    name: 'remove a global table',
    base: 'tables',
    change: (c) => ({ ...c, storage: { ...c.storage, tables: [] } }),
    refused: /^storage\.tables: "orders" leaves storage\.tables.*Fix: keep it; to delete it, first set "deletionProtection": false/,
  },
  {
    name: 'add a Region with a global table',
    base: 'tables',
    change: (c) =>
      withRegions(c, (regions) => [
        ...regions,
        { region: 'eu-west-1', cidr: '10.30.0.0/16', azs: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
      ]),
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
    refused: /^traffic\.mode: .*cannot delete the accelerator's flow-log bucket and key in us-west-2/,
    change: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'route53-latency', route53 } }),
  },
  {
    name: 'Route 53 latency to geolocation',
    base: 'latency',
    refused:
      /^traffic\.mode: changes from route53-latency to route53-geolocation on one record name: .*Fix: in a change window, apply the edge stack in two steps/,
    change: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'route53-geolocation', geolocation: { locations: { 'us-west-2': ['NA'] } } } }),
  },
  {
    name: 'Route 53 geolocation to failover',
    base: 'latency',
    refused: /^traffic\.mode: changes from route53-geolocation to route53-failover on one record name: .*Fix: in a change window/,
    change: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'route53-failover', geolocation: undefined } }),
    from: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'route53-geolocation', geolocation: { locations: { 'us-west-2': ['NA'] } } } }),
  },
  {
    name: 'Route 53 failover to latency',
    base: 'latency',
    refused: /^traffic\.mode: changes from route53-failover to route53-latency on one record name: .*Fix: in a change window/,
    change: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'route53-latency' } }),
    from: (c) => ({ ...c, traffic: { ...c.traffic, mode: 'route53-failover' } }),
  },
  {
    name: 'Global Accelerator to Route 53 geolocation',
    base: 'two',
    refused: /^traffic\.mode: .*cannot delete the accelerator's flow-log bucket and key in us-west-2/,
    change: (c) => ({
      ...c,
      traffic: { ...c.traffic, mode: 'route53-geolocation', route53, geolocation: { locations: { 'us-west-2': ['NA'] } } },
    }),
  },
  {
    name: 'Route 53 to Global Accelerator',
    base: 'latency',
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
  {
    // Game day templates, their role and log group are new resources of each Region stack; nothing else moves.
    name: 'turn game days on',
    base: 'two',
    slice: true,
    change: (c) => ({ ...c, resilience: { ...c.resilience, gameDay: true } }),
  },
  {
    // The service always has a capacity provider strategy, so Spot changes it in place (a new deployment);
    // the task definition is replaced (a new revision) for the ARM64 platform.
    name: 'run the tasks on Graviton and Fargate Spot',
    base: 'two',
    slice: true,
    change: (c) => ({
      ...c,
      workload: { ...workload(c), architecture: 'arm64', spot: { onDemandBase: 1, onDemandWeight: 0, spotWeight: 1 } },
    }),
  },
  {
    name: 'bump masterPasswordVersion',
    base: 'two',
    slice: true,
    change: (c) => ({ ...c, database: { ...database(c), masterPasswordVersion: 2 } }),
  },
  {
    // After a managed switchover has moved the writer; the old primary keeps a secondary's instance count.
    name: 'another primary Region, the state backend pinned where it is',
    base: 'two',
    slice: true,
    removes: /^region-us-east-1 aws_rds_cluster_instance\.database_instance-2_/,
    change: (c) => ({
      ...withRegions(c, (regions) => regions.map((r) => ({ ...r, primary: !r.primary }))),
      state: { ...c.state, region: 'us-east-1', replicaRegion: 'us-west-2' },
    }),
  },
  {
    name: 'another primary Region, the state backend following it',
    base: 'two',
    change: (c) => withRegions(c, (regions) => regions.map((r) => ({ ...r, primary: !r.primary }))),
    refused: /^state\.region: .*Fix: keep them, pinned: "state": \{ "region": "us-east-1", "replicaRegion": "us-west-2" \}/,
  },
  {
    name: 'link from Transit Gateway to VPC peering in one step',
    base: 'two',
    change: (c) => ({ ...c, topology: { ...c.topology, link: 'vpc-peering' } }),
    refused:
      /^topology\.link: changes from transit-gateway to vpc-peering, .*Fix: set "topology": \{ "link": "vpc-peering", "keepTransitGateways": true \}, deploy/,
  },
  {
    // Step 1: the hubs stay; mesh peers the VPCs and moves every route's target in place.
    name: 'link from Transit Gateway to VPC peering, the hubs kept',
    base: 'two',
    slice: true,
    change: (c) => ({ ...c, topology: { ...c.topology, link: 'vpc-peering', keepTransitGateways: true } }),
  },
  {
    name: 'link from Transit Gateway to none, the hubs kept',
    base: 'two',
    change: (c) => ({
      ...c,
      topology: { ...c.topology, link: 'none', keepTransitGateways: true },
      database: { ...database(c), writeForwarding: true },
    }),
  },
  {
    // Step 2, and the way back: only the Region stacks' hubs and mesh's links change.
    name: 'link from VPC peering to Transit Gateway',
    base: 'peering',
    change: (c) => ({ ...c, topology: { ...c.topology, link: 'transit-gateway' } }),
  },
  {
    name: 'link from VPC peering to none',
    base: 'peering',
    change: (c) => ({ ...c, topology: { ...c.topology, link: 'none' }, database: { ...database(c), writeForwarding: true } }),
  },
  {
    name: 'link from none back to VPC peering',
    base: 'unlinked',
    change: (c) => ({ ...c, topology: { ...c.topology, link: 'vpc-peering' } }),
  },
  {
    name: 'link from none back to Transit Gateway',
    base: 'unlinked',
    change: (c) => ({ ...c, topology: { ...c.topology, link: 'transit-gateway' } }),
  },
  {
    name: 'remove a secondary Region without retiring it',
    base: 'three',
    change: (c) => withRegions(c, (regions) => regions.filter((r) => r.region !== 'eu-west-1')),
    refused: /^regions: eu-west-1 leaves regions, .*Fix: add "retiredRegions": \["eu-west-1"\]/,
  },
  {
    name: 'remove a secondary Region',
    base: 'three',
    slice: true,
    change: (c) => ({ ...withRegions(c, (regions) => regions.filter((r) => r.region !== 'eu-west-1')), retiredRegions: ['eu-west-1'] }),
    removes: /^region-eu-west-1 /,
  },
];

/**
 * Bases: the examples, the two-Region one behind Route 53 latency records with one NAT gateway per
 * Region, the two-Region one linked by VPC peering or by nothing, and the two-Region one with a global table.
 */
type Base = 'two' | 'three' | 'latency' | 'peering' | 'unlinked' | 'tables';
function baseInput(base: Base): ConfigInput {
  if (base === 'three') return exampleInput('three-region');
  if (base === 'tables') {
    const input = exampleInput('two-region');
    return { ...input, storage: { ...input.storage, tables: [ORDERS] } };
  }
  const input = exampleInput('two-region');
  if (base === 'two') return input;
  if (base === 'peering') return { ...input, topology: { ...input.topology, link: 'vpc-peering' } };
  if (base === 'unlinked') {
    return { ...input, topology: { ...input.topology, link: 'none' }, database: { ...input.database, writeForwarding: true } };
  }
  return {
    ...input,
    network: { ...input.network, natGateways: 'single' },
    traffic: { ...input.traffic, mode: 'route53-latency', route53 },
  };
}

/** The cases this run previews: the slice, or every case with ACTIVE_ACTIVE_MATRIX=full (`npm run test:matrix`). */
const CASES = process.env.ACTIVE_ACTIVE_MATRIX === 'full' ? MATRIX : MATRIX.filter((c) => c.slice);

/** The sentence of docs/operations.md that gives the counts of adding a Region, from its preview. */
function addRegionSentence(preview: Preview, newStack: string): string {
  const count = (stack: string, action: string) =>
    preview.changes.filter((c) => c.stack === stack && c.actions.length === 1 && c.actions[0] === action).length;
  return (
    'Adding a third Region to the two-Region example changes nothing in the stacks of the existing Regions, nor in ' +
    `\`state\` and \`global\`: \`mesh\` creates ${count('mesh', 'create')} resources and updates ${count('mesh', 'update')}, ` +
    `\`edge\` creates ${count('edge', 'create')}, and the new Region's stack creates ${count(newStack, 'create')}.`
  );
}

describe('change preview: the change-safety matrix', () => {
  const bases = {
    two: baseInput('two'),
    three: baseInput('three'),
    latency: baseInput('latency'),
    peering: baseInput('peering'),
    unlinked: baseInput('unlinked'),
    tables: baseInput('tables'),
  };
  const used = new Set(CASES.filter((c) => !c.refused).map((c) => c.base));
  const synthesized = Object.fromEntries([...used].map((base) => [base, synth(configFrom(bases[base]))])) as Record<Base, Synthesized>;
  const settled: Partial<Record<Base, SettledLayout>> = {};
  const scratch: string[] = [];
  afterAll(() => {
    for (const dir of [...Object.values(synthesized).map((r) => path.dirname(r.outdir)), ...scratch])
      fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeAll(async () => {
    for (const base of used) settled[base] = await settleLayout(synthesized[base].outdir);
  }, 1_800_000);

  /** Synthesizes a case's config, and previews it against its settled base unless it is refused. */
  async function previewCase(matrixCase: MatrixCase): Promise<{ preview?: Preview; after: Synthesized; problems: string[] }> {
    const start = matrixCase.from ? matrixCase.from(structuredClone(bases[matrixCase.base])) : bases[matrixCase.base];
    const before = configFrom(start);
    const config = configFrom(matrixCase.change(structuredClone(start)));
    const problems = configChangeProblems(before, config).map((p) => `${p.path}: ${p.message}`);
    const after = synth(config);
    scratch.push(path.dirname(after.outdir));
    if (problems.length > 0) return { after, problems };
    return { preview: await previewAgainst(settled[matrixCase.base]!, after.outdir), after, problems };
  }

  test.each([...used])(
    'the %s-Region example plans from nothing without warnings, then settles: planned again, it changes nothing',
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

  test.each(CASES.map((c) => [c.name, c] as const))(
    '%s: refused with the safe procedure, or planned against the deployed layout breaking no rule',
    async (_name, matrixCase) => {
      const { preview, problems } = await previewCase(matrixCase);
      if (matrixCase.refused) {
        expect(problems).toEqual([expect.stringMatching(matrixCase.refused)]);
        return;
      }
      expect(problems).toEqual([]);
      if (preview!.failures.length > 0) throw new Error(preview!.failures.map((f) => `${f.stack}: ${f.diagnostics}`).join('\n'));
      expect(violations(preview!, synthesized[matrixCase.base], matrixCase.removes)).toEqual([]);
      if (matrixCase.name === 'turn game days on') {
        // Only new resources in the Region stacks: the templates, their role and policy, their log group.
        expect(preview!.unchangedStacks).toEqual(expect.arrayContaining(['state', 'global', 'mesh', 'edge']));
        expect(preview!.changes.filter((c) => c.actions.join() !== 'create')).toEqual([]);
        expect(new Set(preview!.changes.map((c) => c.type))).toEqual(
          new Set(['aws_cloudwatch_log_group', 'aws_fis_experiment_template', 'aws_iam_role', 'aws_iam_role_policy']),
        );
      }
      if (matrixCase.name === 'link from Transit Gateway to VPC peering, the hubs kept') {
        // The Region stacks keep their hubs (they only publish their VPC IDs to mesh, an output); in
        // mesh every VPC route keeps its address and only its target moves (ReplaceRoute), so no route
        // is deleted and created again.
        expect(preview!.unchangedStacks).toEqual(expect.arrayContaining(['state', 'global', 'edge']));
        expect(preview!.changes.filter((c) => c.stack !== 'mesh')).toEqual([]);
        const routes = preview!.changes.filter((c) => c.type === 'aws_route');
        expect(routes.length).toBeGreaterThan(0);
        expect(routes.filter((c) => c.actions.join() !== 'update')).toEqual([]);
        expect(preview!.changes.filter((c) => c.type === 'aws_vpc_peering_connection').map((c) => c.actions)).toEqual([['create']]);
        // The cost change: the peering attachment is no longer billed on either Transit Gateway; VPC peering has no hourly charge.
        const cost = planCost(preview!.plans)!;
        const attachments =
          730 * (price('transit-gateway-attachment-hour', 'us-east-1') + price('transit-gateway-attachment-hour', 'us-west-2'));
        expect(Math.round((cost.after - cost.before) * 100)).toBe(-Math.round(attachments * 100));
      }
      if (matrixCase.name === 'run the tasks on Graviton and Fargate Spot') {
        expect(preview!.unchangedStacks).toEqual(expect.arrayContaining(['state', 'global', 'mesh', 'edge']));
        expect(new Set(preview!.changes.map((c) => `${c.type} ${c.actions.join()}`))).toEqual(
          new Set(['aws_ecs_service update', 'aws_ecs_task_definition delete,create']),
        );
        // The pull request comment's cost change: two tasks per Region, 0.25 vCPU and 0.5 GB each, from
        // x86 on demand to one ARM task on demand and one on ARM Spot.
        const task = (kind: string, region: string) =>
          0.25 * price(`fargate-${kind}-vcpu-hour`, region) + 0.5 * price(`fargate-${kind}-gb-hour`, region);
        const change = ['us-east-1', 'us-west-2'].reduce(
          (sum, region) => sum + 730 * (task('arm64', region) + task('spot-arm64', region) - 2 * task('x86_64', region)),
          0,
        );
        const cost = planCost(preview!.plans)!;
        expect(Math.round((cost.after - cost.before) * 100)).toBe(Math.round(change * 100));
        expect(summarizePlans(preview!.plans)).toContain(`**Monthly cost: ${dollarChange(change)}**`);
      }
      if (matrixCase.name === 'add a global table') {
        // The table, its replica and alarms in mesh, the workload's access in each Region; nothing else moves.
        expect(preview!.changes.filter((c) => c.actions.join() !== 'create')).toEqual([]);
        expect(preview!.unchangedStacks).toEqual(expect.arrayContaining(['state', 'global', 'edge']));
      }
      if (matrixCase.name === 'add a Region with a global table') {
        // The table and its existing replicas stay as they are: the new Region only adds its replica and alarms.
        const tableChanges = preview!.changes.filter((c) => c.type.startsWith('aws_dynamodb_'));
        expect(tableChanges.map((c) => [c.type, c.actions])).toEqual([['aws_dynamodb_table_replica', ['create']]]);
      }
      if (matrixCase.name === 'add a Region') {
        // (d) The existing Regions' stacks do not change; only what links the new Region does.
        expect(preview!.unchangedStacks).toEqual(expect.arrayContaining(['state', 'global', 'region-us-east-1', 'region-us-west-2']));
        expect(fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8').replace(/\s+/g, ' ')).toContain(
          addRegionSentence(preview!, 'region-eu-west-1'),
        );
      }
    },
    1_800_000,
  );

  test('the rules fail on a construct made unsafe on purpose: a port in a security group description replaces the group', async () => {
    // As a construct would synthesize it if it wrote the port into the description, which forces a new group.
    const { after } = await previewCase({ ...MATRIX.find((c) => c.name === 'change workload.port')!, name: 'unsafe' });
    for (const stack of after.order.filter((name) => name.startsWith('region-'))) {
      const file = path.join(after.outdir, 'stacks', stack, 'cdk.tf.json');
      const json = JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
      for (const group of Object.values(json.resource.aws_security_group as Record<string, TerraformJson>)) {
        if (String(group['//']?.metadata?.path).includes('/workload/')) group.description = `${String(group.description)} on port 8080`;
      }
      fs.writeFileSync(file, JSON.stringify(json));
    }
    const preview = await previewAgainst(settled.two!, after.outdir);
    expect(preview.failures).toEqual([]);
    expect(violations(preview, synthesized.two, undefined)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\(b\) resource with a fixed name replaced: region-us-east-1 aws_security_group\.workload_/),
      ]),
    );
  }, 1_800_000);
});
