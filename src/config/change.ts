import { UserError } from '../errors';
import type { ConfigProblem } from './errors';
import type { ResolvedConfig } from './resolved';

/** Where the guide for each refused change lives. */
const OPERATIONS = 'docs/operations.md';

/**
 * Changes from one valid config to another that would replace or delete what holds data or takes
 * traffic, each with the procedure that gets there safely. A single config cannot show them: only
 * the pair can. `preview` refuses them before planning; their plans would fail on `prevent_destroy`
 * or replace a database, a key or the state.
 */
export function configChangeProblems(before: ResolvedConfig, after: ResolvedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const changed = <T>(path: string, of: (config: ResolvedConfig) => T, message: (from: T, to: T) => string) => {
    const from = of(before);
    const to = of(after);
    if (JSON.stringify(from) !== JSON.stringify(to)) problems.push({ path, message: message(from, to) });
  };

  changed(
    'name',
    (c) => c.name,
    (from, to) =>
      `changes from "${from}" to "${to}", which renames, and so replaces, every resource: buckets, keys, databases and the state. Fix: keep "${from}"; a new name is a new layout, deployed beside this one while this one is retired (${OPERATIONS}, "Tearing the layout down")`,
  );
  changed(
    'accountId',
    (c) => c.accountId,
    (from, to) =>
      `changes from ${from} to ${to}: every provider is pinned to the account, so nothing could be planned or applied. Fix: keep ${from}; another account is another layout`,
  );
  changed(
    'state.region',
    (c) => [c.state.region, c.state.replicaRegion],
    ([region, replica]) =>
      `the state backend's Regions (state.region, state.replicaRegion; they default to the primary Region and the first other one) change, which replaces the buckets and lock tables that hold every stack's state. Fix: keep them, pinned: "state": { "region": "${region}", "replicaRegion": "${replica}" }; to run on the other copy while a Region is down, set "state": { "active": "replica" } (${OPERATIONS}, "If the state Region is down")`,
  );
  changed(
    'database.engine',
    (c) => c.database.engine,
    (from, to) =>
      `changes from ${from} to ${to}, which replaces the global cluster and every Regional cluster, and their data. Fix: keep ${from}; moving engines is a migration into a new layout (snapshot restore or AWS DMS)`,
  );
  changed(
    'database.databaseName',
    (c) => [c.database.databaseName, c.database.masterUsername],
    ([name, user]) =>
      `the primary cluster's database name or master username changes, which AWS sets only when it creates the cluster: the primary cluster would be replaced with its data. Fix: keep "databaseName": "${String(name)}" and "masterUsername": "${String(user)}"; create other databases and users with SQL`,
  );
  for (const region of before.regions) {
    const now = after.regions.find((r) => r.region === region.region);
    if (now && JSON.stringify([now.cidr, now.azs]) !== JSON.stringify([region.cidr, region.azs])) {
      problems.push({
        path: `regions[${after.regions.indexOf(now)}]`,
        message: `${region.region}'s cidr or azs change, which replaces its VPC or subnets, and AWS refuses to move the database, load balancer and tasks that use them. Fix: keep "cidr": "${region.cidr}" and its azs; a new address plan is a new Region: remove this one and add it again (${OPERATIONS}, "Removing a Region")`,
      });
    }
  }
  if (before.traffic.mode === 'global-accelerator' && after.traffic.mode !== 'global-accelerator') {
    problems.push({
      path: 'traffic.mode',
      message: `changes from global-accelerator to ${after.traffic.mode}, which moves the edge stack's provider from us-west-2 to us-east-1 (Route 53's control plane), and a us-east-1 provider cannot delete the accelerator's flow-log bucket and key in us-west-2. Fix: keep global-accelerator (${OPERATIONS}, "Switching between Global Accelerator and Route 53")`,
    });
  }
  // Route 53 keeps one routing policy per name and type, and Terraform would create the new mode's
  // records while it deletes the old ones (no order between unrelated resources): the creates fail.
  // https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html,
  // https://github.com/hashicorp/terraform-provider-aws/issues/15706
  if (
    before.traffic.mode !== after.traffic.mode &&
    before.traffic.mode !== 'global-accelerator' &&
    after.traffic.mode !== 'global-accelerator' &&
    before.traffic.route53?.recordName === after.traffic.route53?.recordName &&
    before.traffic.route53?.hostedZoneId === after.traffic.route53?.hostedZoneId
  ) {
    problems.push({
      path: 'traffic.mode',
      message: `changes from ${before.traffic.mode} to ${after.traffic.mode} on one record name: Route 53 keeps one routing policy per name and type, and one apply would create the new records before the old ones are gone. Fix: in a change window, apply the edge stack in two steps, first with -target on each old aws_route53_record (only deletes them), then in full; the name has no answer in between (${OPERATIONS}, "Switching between Route 53 routing modes")`,
    });
  }
  const gone = before.regions.map((r) => r.region).filter((region) => !after.regions.some((r) => r.region === region));
  const unretired = gone.filter((region) => !after.retiredRegions.includes(region));
  if (unretired.length > 0) {
    problems.push({
      path: 'regions',
      message: `${unretired.join(', ')} ${unretired.length === 1 ? 'leaves' : 'leave'} regions, but mesh still holds peerings, routes and replication created with ${unretired.length === 1 ? 'its' : 'their'} provider, which Terraform needs to delete them. Fix: add "retiredRegions": ${JSON.stringify(unretired)} until mesh is applied (${OPERATIONS}, "Removing a Region")`,
    });
  }
  const { link } = after.topology;
  if (before.topology.link === 'transit-gateway' && link !== 'transit-gateway' && !after.topology.keepTransitGateways) {
    problems.push({
      path: 'topology.link',
      message: `changes from transit-gateway to ${link}, but the Region stacks apply before mesh: each would delete its Transit Gateway while mesh still holds the peering attachments and routes through it, which AWS refuses halfway, after the VPC attachment is gone. Fix: set "topology": { "link": "${link}", "keepTransitGateways": true }, deploy, then remove keepTransitGateways and deploy again (${OPERATIONS}, "Switching the link between Regions")`,
    });
  }
  problems.push(...tableChangeProblems(before, after));
  const protectedBefore = before.traffic.loadBalancer.deletionProtection && !before.decommission;
  if (
    before.traffic.loadBalancer.internal !== after.traffic.loadBalancer.internal &&
    (protectedBefore || after.traffic.loadBalancer.deletionProtection)
  ) {
    problems.push({
      path: 'traffic.loadBalancer.internal',
      message: `changes from ${before.traffic.loadBalancer.internal} to ${after.traffic.loadBalancer.internal}, which replaces every load balancer, and their deletion protection refuses that. Fix: first set traffic.loadBalancer.deletionProtection to false and apply, then change internal one Region at a time (${OPERATIONS}, "Making load balancers internal (or internet-facing)")`,
    });
  }
  return problems;
}

/**
 * Global table changes that would replace or delete a table and its data: a new partition or sort key
 * or a new home Region replaces the table (hash_key, range_key and the home provider force a new
 * resource: https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/dynamodb_table),
 * and removing a protected table fails on its deletion protection and `prevent_destroy`.
 */
function tableChangeProblems(before: ResolvedConfig, after: ResolvedConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const migrate = `a new table under another name, filled by a migration (export to S3 and import, or a copy job), then this one removed (${OPERATIONS}, "Global tables")`;
  for (const old of before.storage.tables) {
    const index = after.storage.tables.findIndex((t) => t.name === old.name);
    const path = `storage.tables[${index}]`;
    if (index < 0) {
      if (old.deletionProtection && !before.decommission) {
        problems.push({
          path: 'storage.tables',
          message: `"${old.name}" leaves storage.tables, which deletes the table and every replica with their data, and their deletion protection refuses that. Fix: keep it; to delete it, first set "deletionProtection": false on it and apply, then remove it (${OPERATIONS}, "Global tables")`,
        });
      }
      continue;
    }
    const now = after.storage.tables[index];
    for (const key of ['partitionKey', 'sortKey'] as const) {
      if (JSON.stringify(old[key]) !== JSON.stringify(now[key])) {
        problems.push({
          path: `${path}.${key}`,
          message: `of "${old.name}" changes, which replaces the table and its data in every Region (DynamoDB keys are fixed at creation). Fix: keep ${old[key] ? JSON.stringify(old[key]) : 'no sort key'}; a new key is ${migrate}`,
        });
      }
    }
    // A global table is on-demand, or provisioned with write auto scaling
    // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-global-table-design.prescriptive-guidance.throughput.html);
    // one apply cannot move between the two: Application Auto Scaling registers no target on an
    // on-demand table, and the table's switch to provisioned comes before the targets that follow it.
    const mode = (table: typeof old) => (table.provisioned ? 'provisioned' : 'on-demand');
    if (mode(old) !== mode(now)) {
      problems.push({
        path: `${path}.billing.mode`,
        message: `of "${old.name}" changes from ${mode(old)} to ${mode(now)}, which one apply cannot do for a global table (a provisioned global table needs write auto scaling, which cannot be registered on an on-demand table). Fix: keep "${mode(old)}"; another billing mode is ${migrate}`,
      });
    }
    if (old.homeRegion !== now.homeRegion) {
      problems.push({
        path: `${path}.homeRegion`,
        message: `of "${old.name}" resolves to ${now.homeRegion} instead of ${old.homeRegion}, which would delete the table in ${old.homeRegion} and create a new, empty one in ${now.homeRegion}. Fix: pin "homeRegion": "${old.homeRegion}"`,
      });
    }
  }
  return problems;
}

/** A config change `preview` refuses, with the safe procedure for each problem. */
export class UnsafeChangeError extends UserError {
  constructor(from: string, to: string, problems: readonly ConfigProblem[]) {
    super(`Unsafe change from ${from} to ${to}:\n${problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n')}`);
  }
}
