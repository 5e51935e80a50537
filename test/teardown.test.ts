import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSynthesized, formatReport, type HarnessReport } from '../src/terraform/harness';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, example, exampleInput, resourceAt, resources, synth, tempDir, type Synthesized } from './helpers';

/**
 * The one documented way to tear a layout down (docs/operations.md, "Tearing the layout down"): apply with `decommission: true`,
 * then destroy. Proven with real plans against prior state that holds the protected resources as a
 * normal deployment leaves them: the decommissioning apply only updates them in place, and a destroy
 * plan is refused while they are protected and goes through once they are not.
 */

interface ProtectedResource {
  readonly stack: string;
  readonly type: string;
  readonly constructPath: string;
  /** Attributes of the deployed resource: what the configuration sets, deletion protection on. */
  readonly attributes: Record<string, unknown>;
  /**
   * Whether these attributes are complete enough to plan the decommissioning apply against: a member
   * cluster's replace-forcing arguments refer to resources (key, subnet group) this state leaves out.
   */
  readonly planApply?: false;
  readonly schemaVersion?: number;
}

const ACCOUNT = '111122223333';
const PROTECTED: readonly ProtectedResource[] = [
  {
    stack: 'global',
    type: 'aws_rds_global_cluster',
    constructPath: 'global/database/global-cluster',
    attributes: {
      id: 'acme-shop',
      global_cluster_identifier: 'acme-shop',
      engine: 'aurora-postgresql',
      engine_version: '16.6',
      storage_encrypted: true,
      deletion_protection: true,
      force_destroy: false,
    },
  },
  {
    stack: 'region-us-east-1',
    type: 'aws_lb',
    constructPath: 'region-us-east-1/ingress/load-balancer',
    attributes: {
      id: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/acme-shop/50dc6c495c0c9188`,
      arn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/acme-shop/50dc6c495c0c9188`,
      name: 'acme-shop',
      internal: false,
      load_balancer_type: 'application',
      ip_address_type: 'ipv4',
      enable_deletion_protection: true,
      drop_invalid_header_fields: true,
      desync_mitigation_mode: 'defensive',
    },
  },
  {
    stack: 'region-us-east-1',
    type: 'aws_rds_cluster',
    constructPath: 'region-us-east-1/database/cluster',
    schemaVersion: 1,
    planApply: false,
    attributes: {
      id: 'acme-shop-us-east-1',
      cluster_identifier: 'acme-shop-us-east-1',
      engine: 'aurora-postgresql',
      engine_mode: 'provisioned',
      deletion_protection: true,
      skip_final_snapshot: false,
    },
  },
  {
    stack: 'state',
    type: 'aws_dynamodb_table',
    constructPath: 'state/state-backend/lock-table',
    schemaVersion: 1,
    attributes: {
      id: 'acme-shop-tfstate-lock',
      arn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/acme-shop-tfstate-lock`,
      name: 'acme-shop-tfstate-lock',
      hash_key: 'LockID',
      billing_mode: 'PAY_PER_REQUEST',
      deletion_protection_enabled: true,
    },
  },
  {
    stack: 'state',
    type: 'aws_s3_bucket',
    constructPath: 'state/state-backend/bucket/bucket',
    attributes: {
      id: `acme-shop-tfstate-${ACCOUNT}-us-east-1`,
      arn: `arn:aws:s3:::acme-shop-tfstate-${ACCOUNT}-us-east-1`,
      bucket: `acme-shop-tfstate-${ACCOUNT}-us-east-1`,
      force_destroy: false,
    },
  },
];

/** Prior state per stack: each protected resource under the name the configuration gives it. */
function priorStateFor(result: Synthesized): Record<string, object> {
  const byStack: Record<string, object[]> = {};
  for (const resource of PROTECTED) {
    const { name, body } = resourceAt(result.stacks.get(resource.stack)!, resource.type, resource.constructPath);
    (byStack[resource.stack] ??= []).push({
      mode: 'managed',
      type: resource.type,
      name,
      provider: `provider["registry.terraform.io/hashicorp/aws"]${/^aws\.(.+)$/.exec(String(body.provider))?.[1].replace(/^/, '.') ?? ''}`,
      instances: [{ schema_version: resource.schemaVersion ?? 0, attributes: resource.attributes, sensitive_attributes: [] }],
    });
  }
  return Object.fromEntries(
    Object.entries(byStack).map(([stack, list]) => [
      stack,
      { version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'teardown', outputs: {}, resources: list },
    ]),
  );
}

/** Keeps only the stacks that hold protected resources: the others plan nothing from this state. */
function onlyProtectedStacks(result: Synthesized): void {
  const keep = new Set(PROTECTED.map((r) => r.stack));
  for (const stack of result.order) if (!keep.has(stack)) fs.rmSync(path.join(result.outdir, 'stacks', stack), { recursive: true });
}

function actionsOf(plansDir: string, stack: string): Map<string, string[]> {
  const plan = JSON.parse(fs.readFileSync(path.join(plansDir, `${stack}.json`), 'utf8')) as TerraformJson;
  return new Map((plan.resource_changes as TerraformJson[]).map((change) => [change.address as string, change.change.actions as string[]]));
}

describe('apply-5 teardown: decommission, then destroy, proven by plans', () => {
  const protectedLayout = synth(example('two-region'));
  const decommissioned = synth(configFrom({ ...exampleInput(), decommission: true }));
  const priorState = priorStateFor(protectedLayout);
  const plansDir = tempDir('aa-teardown-plans-');
  for (const result of [protectedLayout, decommissioned]) onlyProtectedStacks(result);
  afterAll(() => {
    for (const dir of [path.dirname(protectedLayout.outdir), path.dirname(decommissioned.outdir), plansDir])
      fs.rmSync(dir, { recursive: true, force: true });
  });

  const address = (result: Synthesized, resource: ProtectedResource) =>
    `${resource.type}.${resourceAt(result.stacks.get(resource.stack)!, resource.type, resource.constructPath).name}`;

  test('apply-5 every deletion-protected resource carries prevent_destroy, and decommission drops both', () => {
    for (const [result, expected] of [
      [protectedLayout, true],
      [decommissioned, false],
    ] as const) {
      for (const resource of PROTECTED) {
        const { body } = resourceAt(result.stacks.get(resource.stack)!, resource.type, resource.constructPath);
        expect({ resource: resource.constructPath, preventDestroy: body.lifecycle?.prevent_destroy ?? false }).toEqual({
          resource: resource.constructPath,
          preventDestroy: expected,
        });
      }
    }
    // The generator's own log buckets are emptied by Terraform once decommissioned, and only then.
    const logBuckets = (result: Synthesized) =>
      [...result.stacks.entries()].flatMap(([, stack]) =>
        Object.values(resources(stack, 'aws_s3_bucket')).filter((b) => /-(s3logs|alblogs|galogs|tfstate)-/.test(String(b.bucket))),
      );
    expect(logBuckets(decommissioned).every((b) => b.force_destroy === true)).toBe(true);
    expect(logBuckets(synth(example('two-region'))).some((b) => b.force_destroy === true)).toBe(false);
  });

  let decommissionPlan: HarnessReport;
  let protectedDestroy: HarnessReport;
  let decommissionedDestroy: HarnessReport;
  beforeAll(async () => {
    decommissionPlan = await checkSynthesized(decommissioned.outdir, { priorState, planJsonDir: plansDir });
    protectedDestroy = await checkSynthesized(protectedLayout.outdir, { priorState, destroy: true });
    decommissionedDestroy = await checkSynthesized(decommissioned.outdir, { priorState, destroy: true });
  });

  test('apply-5 applying decommission turns protection off in place: nothing protected is replaced or deleted', () => {
    if (!decommissionPlan.ok) throw new Error(formatReport(decommissionPlan));
    for (const resource of PROTECTED.filter((r) => r.planApply !== false)) {
      const actions = actionsOf(plansDir, resource.stack).get(address(decommissioned, resource));
      expect({ resource: resource.constructPath, actions }).toEqual({ resource: resource.constructPath, actions: ['update'] });
    }
  });

  test('apply-5 a destroy of the protected layout is refused at plan time, in every stack that holds a protected resource', () => {
    expect(protectedDestroy.results.map((r) => [r.stack, r.ok, r.failedStep])).toEqual(
      [...new Set(PROTECTED.map((r) => r.stack))].sort().map((stack) => [stack, false, 'plan']),
    );
    for (const result of protectedDestroy.results) expect(result.diagnostics).toMatch(/prevent_destroy/);
  });

  test('apply-5 once decommissioned, the destroy plan goes through and deletes every protected resource', () => {
    if (!decommissionedDestroy.ok) throw new Error(formatReport(decommissionedDestroy));
    for (const result of decommissionedDestroy.results) {
      expect(result.planned).toEqual({ add: 0, change: 0, remove: PROTECTED.filter((r) => r.stack === result.stack).length });
    }
  });
});
