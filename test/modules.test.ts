import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_PROVIDER_CONSTRAINT } from '../stacks/project-stack';
import { blockDataFor, type ProviderBlockSchema } from '../src/modules/block-data';
import { MODULES } from '../src/modules/catalog';
import {
  exampleMain,
  examplesOf,
  readBlockData,
  renderModules,
  staleModuleFiles,
  synthesizeModules,
  typesUsed,
  withInputs,
  writeModules,
} from '../src/modules/generate';
import type { ModuleDefinition } from '../src/modules/definition';
import type { Json } from '../src/modules/hcl';
import { checkRootModules, formatReport, terraformEnvironment, type HarnessReport, type RootModule } from '../src/terraform/harness';
import type { TerraformJson } from '../src/terraform/offline';
import { runTerraform } from '../src/terraform/run';
import { fetchProviderSchema } from '../src/terraform/schema';
import { ROOT, tempDir } from './helpers';

const MODULES_DIR = path.join(ROOT, 'modules');
const COMPOSITION_DIR = 'examples/terraform/two-region';
const COMPOSITION = 'two-region composition';
const EXAMPLE_PASSWORD = 'example-Passw0rd-for-plans';

const rendered = renderModules(MODULES, readBlockData());

/**
 * The modules Terraform checks: every one, or those `ACTIVE_ACTIVE_MODULES` names (comma-separated),
 * without the composition, to prove one module at a time.
 */
const ONLY = process.env.ACTIVE_ACTIVE_MODULES?.split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
const unknownModules = (ONLY ?? []).filter((name) => !MODULES.some((m) => m.name === name));
if (unknownModules.length > 0) throw new Error(`ACTIVE_ACTIVE_MODULES names no module: ${unknownModules.join(', ')}`);
const checked = (name: string) => ONLY === undefined || ONLY.includes(name);
/** A test of the composition, or of the vpc module's plan, runs only when every module is checked. */
const whole = ONLY === undefined ? test : test.skip;

/** Every input set the equivalence is proven for: each module's examples, `basic` and one per variant. */
const CASES = MODULES.filter((module) => checked(module.name)).flatMap((module) =>
  [...examplesOf(module)].map(([variant, definition]) => ({
    definition,
    variant,
    name: variant === 'basic' ? module.name : `${module.name} ${variant}`,
    twin: variant === 'basic' ? module.name : `${module.name}--${variant}`,
  })),
);
const peeringExample = MODULES.find((m) => m.name === 'transit-gateway-peering')!.example.inputs as Record<string, Json>;
const read = (file: string) => fs.readFileSync(path.join(MODULES_DIR, file), 'utf8');

/** The top-level blocks of an HCL file: `variable "x" { ... }` with their bodies. */
function blocks(hcl: string, keyword: string): Array<{ name: string; body: string }> {
  return [...hcl.matchAll(new RegExp(`^${keyword} "([^"]+)" \\{\\n([\\s\\S]*?)^\\}`, 'gm'))].map((m) => ({ name: m[1], body: m[2] }));
}

describe('generated modules', () => {
  test('modules/ is exactly what the constructs generate (regenerate with npm run modules)', () => {
    expect(staleModuleFiles(MODULES_DIR, rendered)).toEqual([]);
  });

  test('a changed, missing or extra file makes modules/ stale', () => {
    const dir = tempDir();
    writeModules(dir, rendered);
    expect(staleModuleFiles(dir, rendered)).toEqual([]);
    fs.appendFileSync(path.join(dir, 'vpc', 'main.tf'), '# edited by hand\n');
    fs.rmSync(path.join(dir, 'state-backend', 'README.md'));
    fs.writeFileSync(path.join(dir, 'vpc', 'extra.tf'), '');
    expect(staleModuleFiles(dir, rendered)).toEqual(['state-backend/README.md', 'vpc/extra.tf', 'vpc/main.tf']);
  });

  test('every module the issue lists exists, with its files, and the index links each', () => {
    const names = MODULES.map((m) => m.name);
    for (const required of [
      'state-backend',
      'vpc',
      'transit-gateway',
      'transit-gateway-peering',
      'aurora-global-database',
      'aurora-secondary-cluster',
      's3-replicated-bucket',
      's3-replication',
      'regional-ingress',
      'global-accelerator',
      'global-table',
    ]) {
      expect(names).toContain(required);
    }
    for (const name of names) {
      for (const file of ['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf', 'README.md', 'examples/basic/main.tf']) {
        expect(rendered.has(`${name}/${file}`)).toBe(true);
      }
      // Every variant the equivalence is proven for is an example too, linked from the README.
      for (const variant of Object.keys(MODULES.find((m) => m.name === name)!.variants ?? {})) {
        expect(rendered.has(`${name}/examples/${variant}/main.tf`)).toBe(true);
        expect(read(`${name}/README.md`)).toContain(`[${variant}](examples/${variant}/main.tf)`);
      }
      expect(read('README.md')).toContain(`| [${name}](${name}/README.md) |`);
    }
  });

  test.each(MODULES.map((m) => m.name))('%s: typed, described variables; described outputs; README tables list them all', (name) => {
    const variables = blocks(read(`${name}/variables.tf`), 'variable');
    const outputs = blocks(read(`${name}/outputs.tf`), 'output');
    expect(variables.length).toBeGreaterThan(0);
    expect(outputs.length).toBeGreaterThan(0);
    const readme = read(`${name}/README.md`);
    for (const v of variables) {
      expect(v.body).toMatch(/^ {2}type +=/m);
      expect(v.body).toMatch(/^ {2}description += "[^"]+/m);
      expect(readme).toContain(`| \`${v.name}\` |`);
    }
    for (const o of outputs) {
      expect(o.body).toMatch(/^ {2}description += "[^"]+/m);
      expect(readme).toContain(`| \`${o.name}\` |`);
    }
    expect(readme).toContain('## Usage');
    expect(readme).toContain(`module "${name.replace(/-/g, '_')}" {`);
  });

  test.each(MODULES.map((m) => m.name))('%s: idiomatic, portable HCL', (name) => {
    const main = read(`${name}/main.tf`);
    const all = ['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf'].map((f) => read(`${name}/${f}`)).join('\n');
    // No provider or backend configuration inside a module.
    expect(all).not.toMatch(/^provider "/m);
    expect(all).not.toMatch(/backend "/);
    // Bare references, never a lone interpolation in quotes.
    expect(all).not.toMatch(/= "\$\{[^}"]*\}"$/m);
    // Blocks rendered as blocks, policies built with aws_iam_policy_document, no JSON strings.
    expect(all).not.toMatch(/= \[?\{\s*"/);
    expect(all).not.toMatch(/\\"Statement\\"|"Version"/);
    // Stable names, no hashes; no absolute paths.
    for (const m of main.matchAll(/^(?:resource|data) "[a-z0-9_]+" "([^"]+)"/gm)) expect(m[1]).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(main).not.toMatch(/_[0-9A-F]{8}\b/);
    expect(all).not.toMatch(/["\s]\/(?:home|root|tmp|opt|Users|work)\//);
  });

  test('versions.tf pins Terraform and the AWS provider range; Region-spanning modules declare aliases as references', () => {
    for (const definition of MODULES) {
      const versions = read(`${definition.name}/versions.tf`);
      expect(versions).toContain('required_version = ">= 1.11.0"');
      expect(versions).toMatch(/^ +version += ">= 5\.100\.0, < 7\.0\.0"$/m);
      const aliases = definition.providerAliases ?? [];
      if (aliases.length > 0) expect(versions).toContain(`configuration_aliases = [${aliases.map((a) => `aws.${a}`).join(', ')}]`);
      else expect(versions).not.toContain('configuration_aliases');
    }
    expect(MODULES.find((m) => m.name === 'state-backend')!.providerAliases).toEqual(['replica']);
    expect(MODULES.find((m) => m.name === 'transit-gateway-peering')!.providerAliases).toEqual(['accepter']);
  });

  test('validation in TypeScript is validation in HCL: the same rules reach the variables', () => {
    const vpc = read('vpc/variables.tf');
    expect(vpc).toContain('error_message = "cidr must be an IPv4 CIDR block from /16 to /20."');
    expect(vpc).toContain('error_message = "nat_gateways must be one of per-az, single, none."');
    const aurora = read('aurora-global-database/variables.tf');
    const password = blocks(aurora, 'variable').find((v) => v.name === 'master_password_wo')!.body;
    expect(password).toMatch(/^ {2}sensitive += true$/m);
    expect(password).toMatch(/^ {2}ephemeral += true$/m);
    expect(aurora).toContain('(14|15|16|17)');
    expect(read('s3-replication/variables.tf')).toContain('every storage_class must be one of STANDARD, STANDARD_IA');
  });

  test('the master password reaches only the write-only argument, never state', () => {
    const main = read('aurora-global-database/main.tf');
    expect(main).toMatch(/master_password_wo += var\.master_password_wo\n/);
    expect(main).not.toMatch(/master_password += /);
  });

  test('stateful resources keep their protection in module form', () => {
    const state = read('state-backend/main.tf');
    expect(state.match(/prevent_destroy = true/g)!.length).toBeGreaterThanOrEqual(5);
    expect(state).toContain('deletion_protection_enabled = true');
    expect(read('aurora-global-database/main.tf')).toMatch(/deletion_protection += var\.deletion_protection/);
    expect(read('aurora-global-database/variables.tf')).toMatch(/variable "deletion_protection" \{[\s\S]*?default += true/);
    expect(read('regional-ingress/main.tf')).toContain('enable_deletion_protection = var.enable_deletion_protection');
    expect(read('regional-ingress/variables.tf')).toMatch(/variable "enable_deletion_protection" \{[\s\S]*?default += true/);
    // The table and every replica, on by default.
    expect(read('global-table/main.tf').match(/deletion_protection_enabled += var\.deletion_protection$/gm)).toHaveLength(3);
    expect(read('global-table/variables.tf')).toMatch(/variable "deletion_protection" \{[\s\S]*?default += true/);
  });
});

describe('generated modules under Terraform', () => {
  let tree: string;
  let plansDir: string;
  let report: HarnessReport;
  const invalid: Array<{ root: RootModule; message: RegExp }> = [];

  /** A root module next to a module's example that calls it with some inputs changed. */
  function invalidRoot(name: string, module: string, inputs: Record<string, Json>, message: RegExp): void {
    if (!checked(module)) return;
    invalid.push({
      root: exampleRoot(
        withInputs(
          MODULES.find((m) => m.name === module)!,
          inputs,
        ),
        `invalid-${name}`,
        `invalid ${name}`,
      ),
      message,
    });
  }

  /** Writes the example of `definition` (as given) into `<module>/examples/<dir>` of the tree. */
  function exampleRoot(definition: ModuleDefinition, dir: string, name: string): RootModule {
    const relative = `modules/${definition.name}/examples/${dir}`;
    fs.mkdirSync(path.join(tree, relative), { recursive: true });
    fs.writeFileSync(path.join(tree, relative, 'main.tf'), exampleMain(definition, []));
    return { name, dir: relative, providerAliases: aliasesOf(definition.example.providers), variables: secretsOf(definition) };
  }

  const secretsOf = (definition: ModuleDefinition) =>
    Object.fromEntries((definition.example.variables ?? []).map((v) => [v.name, v.planValue]));

  const aliasesOf = (providers: ReadonlyArray<{ alias?: string }>) => providers.flatMap((p) => (p.alias ? [p.alias] : []));

  beforeAll(async () => {
    tree = tempDir('aa-modules-');
    plansDir = path.join(tree, 'plans');
    fs.mkdirSync(plansDir);
    writeModules(path.join(tree, 'modules'), rendered);
    fs.cpSync(path.join(ROOT, COMPOSITION_DIR), path.join(tree, COMPOSITION_DIR), { recursive: true });
    // The construct as the stacks use it: each module's stack, synthesized with the inputs as literals.
    const twins = synthesizeModules(
      CASES.map((c) => ({ ...c.definition, name: c.twin })),
      true,
    );
    for (const [name, { json }] of twins) {
      fs.mkdirSync(path.join(tree, 'twins', name), { recursive: true });
      fs.writeFileSync(
        path.join(tree, 'twins', name, 'main.tf.json'),
        JSON.stringify({ ...json, terraform: { ...(json.terraform as object), backend: undefined } }),
      );
    }
    invalidRoot('vpc-cidr', 'vpc', { cidr: '10.10.0.0/24' }, /cidr must be an IPv4 CIDR block from \/16 to \/20/);
    invalidRoot(
      'aurora-version',
      'aurora-global-database',
      { engine_version: '13.9' },
      /engine_version must be a version of the engine in standard support/,
    );
    invalidRoot(
      'aurora-password',
      'aurora-global-database',
      { master_password_wo: 'short' },
      /master password needs 8 to 99 \(PostgreSQL\) or 41 \(MySQL\) characters/,
    );
    invalidRoot(
      'replication-class',
      's3-replication',
      { destinations: { 'us-west-2': { bucket_name: 'b', bucket_arn: 'arn:aws:s3:::b', kms_key_arn: 'k', storage_class: 'FAST' } } },
      /every storage_class must be one of/,
    );
    invalidRoot(
      'peering-cidrs',
      'transit-gateway-peering',
      { accepter: { ...(peeringExample.accepter as object), vpc_cidr: '10.10.0.0/16' } },
      /accepter\.vpc_cidr must differ from requester\.vpc_cidr/,
    );
    invalidRoot('table-ttl-key', 'global-table', { ttl_attribute: 'sk' }, /ttl_attribute must not be a key attribute/);
    invalidRoot(
      'table-capacity',
      'global-table',
      { provisioned: { read_min_capacity: 60, read_max_capacity: 50 } },
      /provisioned minimum capacities must be at most the maximum ones/,
    );
    invalidRoot(
      'table-key-alias',
      'global-table',
      { replica_1: { kms_key_arn: 'alias/acme-shop' } },
      /replica_1\.kms_key_arn must be the ARN of a KMS key \(not an alias\)/,
    );

    const roots: RootModule[] = [
      ...CASES.flatMap(({ definition, variant, name, twin }) => [
        {
          name: `${name} example`,
          dir: `modules/${definition.name}/examples/${variant}`,
          providerAliases: aliasesOf(definition.example.providers),
          variables: secretsOf(definition),
          settle: true,
        },
        { name: `${name} construct`, dir: `twins/${twin}`, providerAliases: definition.providerAliases ?? [] },
      ]),
      ...(ONLY === undefined
        ? [
            {
              name: COMPOSITION,
              dir: COMPOSITION_DIR,
              providerAliases: ['us_west_2'],
              variables: { master_password: EXAMPLE_PASSWORD },
              settle: true,
            },
          ]
        : []),
      ...invalid.map((i) => i.root),
    ];
    report = await checkRootModules(tree, roots, { planJsonDir: plansDir });
    // About fifty root modules, two at a time on a 2-core machine: more than the default 10 minutes
    // when the machine is busy.
  }, 1_800_000);

  afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

  const plan = (name: string) => JSON.parse(fs.readFileSync(path.join(plansDir, `${name}.json`), 'utf8')) as TerraformJson;
  const resultOf = (name: string) => report.results.find((r) => r.stack === name)!;

  const composition = ONLY === undefined ? [COMPOSITION] : [];

  test('every example and the two-Region composition pass init and an offline plan', () => {
    const expected = [...CASES.map((c) => `${c.name} example`), ...composition];
    const failed = expected.filter((name) => !resultOf(name).ok);
    if (failed.length > 0) throw new Error(formatReport(report));
    for (const name of expected) expect(resultOf(name).planned!.add).toBeGreaterThan(0);
  });

  test('every example and the composition, planned again against the state its plan leaves once applied, change nothing', () => {
    for (const name of [...CASES.map((c) => `${c.name} example`), ...composition]) {
      expect({ name, rounds: resultOf(name).settled?.rounds ?? 'did not settle' }).toEqual({ name, rounds: expect.any(Number) });
    }
  });

  /** Planned resources by type, each as its planned values with keys sorted: what Terraform would create. */
  function plannedByType(planJson: TerraformJson): Map<string, string[]> {
    // A final snapshot's name carries the time of the plan that created its cluster (plantimestamp()),
    // which differs between two plans by design: compare it up to that time.
    const withoutPlanTime = (key: string, x: unknown) =>
      key === 'final_snapshot_identifier' && typeof x === 'string' ? x.replace(/-final-\d{14}$/, '-final-<plan time>') : x;
    const canonical = (value: unknown) =>
      JSON.stringify(value, (key, raw) => {
        const x = withoutPlanTime(key, raw);
        return x && typeof x === 'object' && !Array.isArray(x)
          ? Object.fromEntries(
              Object.keys(x)
                .sort()
                .map((k) => [k, (x as Record<string, unknown>)[k]]),
            )
          : x;
      });
    const byType = new Map<string, string[]>();
    for (const change of planJson.resource_changes as Array<{ mode: string; type: string; change: { after: unknown } }>) {
      if (change.mode !== 'managed') continue;
      byType.set(change.type, [...(byType.get(change.type) ?? []), canonical(change.change.after)].sort());
    }
    return byType;
  }

  test.each(CASES.map((c) => c.name))('%s plans exactly what its construct synthesizes for the same inputs', (name) => {
    expect(resultOf(`${name} example`).ok).toBe(true);
    expect(resultOf(`${name} construct`).ok).toBe(true);
    const module = plannedByType(plan(`${name} example`));
    const construct = plannedByType(plan(`${name} construct`));
    // Same resource types and counts...
    expect(Object.fromEntries([...module].map(([type, list]) => [type, list.length]))).toEqual(
      Object.fromEntries([...construct].map(([type, list]) => [type, list.length])),
    );
    // ...and the same planned values for every one of them (CIDRs, encryption, replication rules, policies, names).
    for (const [type, values] of construct) expect({ type, values: module.get(type) }).toEqual({ type, values });
  });

  whole('the equivalence check notices a difference', () => {
    const vpc = plan('vpc example');
    const changes = vpc.resource_changes as Array<{ type: string; change: { after: Record<string, unknown> } }>;
    const subnet = changes.find((c) => c.type === 'aws_subnet')!;
    const before = plannedByType(vpc).get('aws_subnet');
    subnet.change.after = { ...subnet.change.after, cidr_block: '10.99.0.0/24' };
    expect(plannedByType(vpc).get('aws_subnet')).not.toEqual(before);
  });

  whole('the composition stands up both Regions, the peering, the global database, two-way replication and the accelerator', () => {
    const counts = Object.fromEntries([...plannedByType(plan(COMPOSITION))].map(([type, list]) => [type, list.length]));
    expect(counts).toMatchObject({
      aws_vpc: 2,
      aws_ec2_transit_gateway: 2,
      aws_ec2_transit_gateway_peering_attachment: 1,
      aws_ec2_transit_gateway_peering_attachment_accepter: 1,
      aws_rds_global_cluster: 1,
      aws_rds_cluster: 2,
      aws_rds_cluster_instance: 3,
      // both state buckets (two-way) and the assets bucket in each Region
      aws_s3_bucket_replication_configuration: 4,
      aws_lb: 2,
      aws_globalaccelerator_accelerator: 1,
      aws_globalaccelerator_endpoint_group: 2,
      // a lock table in each state Region
      aws_dynamodb_table: 2,
    });
    // Each side routes the other's CIDR over the peering: 3 private tables and the database table per side.
    const routes = (
      plan(COMPOSITION).resource_changes as Array<{ address: string; change: { after: { destination_cidr_block?: string } } }>
    ).filter((c) => c.address.startsWith('module.peering.aws_route.'));
    expect(routes.map((r) => r.change.after.destination_cidr_block).sort()).toEqual([
      ...Array(4).fill('10.10.0.0/16'),
      ...Array(4).fill('10.20.0.0/16'),
    ]);
  });

  test('variable validation rejects bad input with the message that names the fix', () => {
    for (const { root, message } of invalid) {
      const result = resultOf(root.name);
      expect({ name: root.name, ok: result.ok }).toEqual({ name: root.name, ok: false });
      expect(result.diagnostics).toMatch(message);
    }
  });
});

describe('module composition order', () => {
  /** Edges of a `terraform graph` DOT rendering: from each node, the nodes it depends on. */
  function dependencies(dot: string): Map<string, string[]> {
    const edges = new Map<string, string[]>();
    for (const [, from, to] of dot.matchAll(/^\s*"([^"]+)" -> "([^"]+)"/gm)) edges.set(from, [...(edges.get(from) ?? []), to]);
    return edges;
  }

  /** Whether `from` depends on `to`, directly or through other nodes. */
  function dependsOn(edges: Map<string, string[]>, from: string, to: string): boolean {
    const seen = new Set<string>();
    const queue = [from];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (node === to) return true;
      if (seen.has(node)) continue;
      seen.add(node);
      queue.push(...(edges.get(node) ?? []));
    }
    return false;
  }

  test("apply-10 module composition order: the secondary cluster waits for the primary's instances (terraform graph)", async () => {
    const tree = tempDir('aa-graph-');
    try {
      writeModules(path.join(tree, 'modules'), rendered);
      fs.cpSync(path.join(ROOT, COMPOSITION_DIR), path.join(tree, COMPOSITION_DIR), { recursive: true });
      const { env } = terraformEnvironment(tree, process.env);
      const cwd = path.join(tree, COMPOSITION_DIR);
      const init = await runTerraform(['init', '-backend=false', '-input=false', '-no-color'], { cwd, env });
      expect({ code: init.code, stderr: init.stderr }).toEqual({ code: 0, stderr: '' });
      const graph = await runTerraform(['graph'], { cwd, env });
      expect(graph.code).toBe(0);
      const edges = dependencies(graph.stdout);
      const secondary = 'module.database_us_west_2.aws_rds_cluster.this';
      expect(edges.has(secondary)).toBe(true);
      expect(dependsOn(edges, secondary, 'module.database.aws_rds_cluster_instance.this')).toBe(true);
      expect(dependsOn(edges, secondary, 'module.database.aws_rds_cluster.this')).toBe(true);
      // The path check itself: nothing of the secondary is a dependency of the primary's instances.
      expect(dependsOn(edges, 'module.database.aws_rds_cluster_instance.this', secondary)).toBe(false);
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('module tooling', () => {
  test('terraform fmt finds nothing to change in modules/ and the composition', async () => {
    for (const dir of [MODULES_DIR, path.join(ROOT, 'examples', 'terraform')]) {
      const result = await runTerraform(['fmt', '-check', '-recursive', '-diff', '-no-color', dir], { cwd: ROOT, env: process.env });
      expect({ dir, code: result.code, diff: result.stdout }).toEqual({ dir, code: 0, diff: '' });
    }
  });

  test('the committed block data matches the AWS provider schema (npm run aws-blocks)', async () => {
    const schema = await fetchProviderSchema<ProviderBlockSchema>(AWS_PROVIDER_CONSTRAINT);
    expect(readBlockData()).toEqual(blockDataFor(schema, typesUsed(synthesizeModules(MODULES))));
  });
});
