import type { ConfigInput } from '../src/config';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, exampleInput, synth, type Synthesized } from './helpers';

/**
 * The arguments that force a resource's replacement ("Forces new resource" in the provider's
 * resource documentation, https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/<type>
 * without the `aws_` prefix), for every type the generator creates, and the arguments that name the
 * resource (a fixed name collides when the replacement is created first).
 */
const REPLACING_ARGUMENTS: Readonly<Record<string, { readonly forceNew: readonly string[]; readonly names?: readonly string[] }>> = {
  aws_appautoscaling_policy: { forceNew: ['name', 'resource_id', 'scalable_dimension', 'service_namespace'], names: ['name'] },
  aws_appautoscaling_target: { forceNew: ['resource_id', 'scalable_dimension', 'service_namespace'] },
  aws_cloudwatch_event_rule: { forceNew: ['name', 'name_prefix', 'event_bus_name'], names: ['name'] },
  aws_cloudwatch_event_target: { forceNew: ['rule', 'target_id', 'event_bus_name'] },
  aws_cloudwatch_log_group: { forceNew: ['name', 'name_prefix', 'log_group_class'], names: ['name'] },
  aws_cloudwatch_composite_alarm: { forceNew: ['alarm_name'], names: ['alarm_name'] },
  aws_cloudwatch_metric_alarm: { forceNew: ['alarm_name'], names: ['alarm_name'] },
  aws_db_subnet_group: { forceNew: ['name', 'name_prefix'], names: ['name'] },
  aws_default_network_acl: { forceNew: ['default_network_acl_id'] },
  aws_default_route_table: { forceNew: ['default_route_table_id'] },
  aws_default_security_group: { forceNew: ['vpc_id'] },
  aws_dynamodb_table: { forceNew: ['name', 'hash_key', 'range_key'], names: ['name'] },
  // A replica belongs to one table and one key; PITR and deletion protection update in place
  // (https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/resources/dynamodb_table_replica).
  // The table's ARN only changes with the table, and the key's with the Region's key, which config
  // changes never replace (src/config/change.ts refuses a new name).
  aws_dynamodb_table_replica: { forceNew: ['global_table_arn', 'kms_key_arn', 'table_class_override'] },
  aws_ec2_transit_gateway: { forceNew: ['amazon_side_asn'] },
  aws_ec2_transit_gateway_peering_attachment: {
    forceNew: ['peer_account_id', 'peer_region', 'peer_transit_gateway_id', 'transit_gateway_id'],
  },
  aws_ec2_transit_gateway_peering_attachment_accepter: { forceNew: ['transit_gateway_attachment_id'] },
  aws_ec2_transit_gateway_route: {
    forceNew: ['destination_cidr_block', 'transit_gateway_attachment_id', 'transit_gateway_route_table_id', 'blackhole'],
  },
  aws_ec2_transit_gateway_route_table: { forceNew: ['transit_gateway_id'] },
  aws_ec2_transit_gateway_route_table_association: { forceNew: ['transit_gateway_attachment_id', 'transit_gateway_route_table_id'] },
  aws_ec2_transit_gateway_route_table_propagation: { forceNew: ['transit_gateway_attachment_id', 'transit_gateway_route_table_id'] },
  aws_ec2_transit_gateway_vpc_attachment: { forceNew: ['transit_gateway_id', 'vpc_id'] },
  aws_ecs_cluster: { forceNew: ['name'], names: ['name'] },
  aws_ecs_cluster_capacity_providers: { forceNew: ['cluster_name'] },
  // load_balancer is updated in place since provider 4.x (https://github.com/hashicorp/terraform-provider-aws/issues/23596).
  // capacity_provider_strategy changes in place only with force_new_deployment and when neither the old
  // nor the new strategy is empty (5.x CustomizeDiff); launch_type is ForceNew. The service always has a
  // strategy, never launch_type, and force_new_deployment = true.
  aws_ecs_service: { forceNew: ['name', 'cluster', 'launch_type', 'iam_role', 'scheduling_strategy'], names: ['name'] },
  aws_ecs_task_definition: {
    forceNew: [
      'family',
      'container_definitions',
      'cpu',
      'memory',
      'network_mode',
      'requires_compatibilities',
      'execution_role_arn',
      'task_role_arn',
      'runtime_platform',
      'volume',
    ],
  },
  aws_eip: { forceNew: ['domain', 'address', 'public_ipv4_pool', 'network_border_group', 'customer_owned_ipv4_pool', 'ipam_pool_id'] },
  // The provider marks an experiment template's tags ForceNew.
  aws_fis_experiment_template: { forceNew: ['tags'] },
  aws_flow_log: {
    forceNew: [
      'log_destination',
      'log_destination_type',
      'iam_role_arn',
      'traffic_type',
      'vpc_id',
      'subnet_id',
      'eni_id',
      'transit_gateway_id',
      'max_aggregation_interval',
      'log_format',
      'destination_options',
    ],
  },
  aws_globalaccelerator_accelerator: { forceNew: ['ip_addresses'] },
  aws_globalaccelerator_endpoint_group: { forceNew: ['listener_arn', 'endpoint_group_region'] },
  aws_globalaccelerator_listener: { forceNew: ['accelerator_arn'] },
  aws_iam_role: { forceNew: ['name', 'name_prefix', 'path'], names: ['name'] },
  aws_iam_role_policy: { forceNew: ['name', 'name_prefix', 'role'], names: ['name'] },
  aws_internet_gateway: { forceNew: [] },
  aws_kms_alias: { forceNew: ['name', 'name_prefix'], names: ['name'] },
  aws_kms_key: { forceNew: ['customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id'] },
  aws_lb: { forceNew: ['name', 'name_prefix', 'internal', 'load_balancer_type', 'customer_owned_ipv4_pool'], names: ['name'] },
  aws_lb_listener: { forceNew: ['load_balancer_arn'] },
  aws_lb_target_group: {
    forceNew: ['name', 'name_prefix', 'port', 'protocol', 'protocol_version', 'target_type', 'vpc_id', 'ip_address_type'],
    names: ['name'],
  },
  aws_nat_gateway: { forceNew: ['allocation_id', 'subnet_id', 'connectivity_type', 'private_ip'] },
  aws_rds_cluster: {
    forceNew: [
      'cluster_identifier',
      'cluster_identifier_prefix',
      'engine',
      'engine_mode',
      'database_name',
      'master_username',
      'availability_zones',
      'db_subnet_group_name',
      'kms_key_id',
      'storage_encrypted',
      'snapshot_identifier',
      'source_region',
    ],
    names: ['cluster_identifier'],
  },
  aws_rds_cluster_instance: {
    forceNew: [
      'identifier',
      'identifier_prefix',
      'cluster_identifier',
      'engine',
      'availability_zone',
      'db_subnet_group_name',
      'custom_iam_instance_profile',
    ],
    names: ['identifier'],
  },
  aws_rds_cluster_parameter_group: { forceNew: ['name', 'name_prefix', 'family', 'description'], names: ['name'] },
  aws_rds_global_cluster: {
    forceNew: ['global_cluster_identifier', 'engine', 'database_name', 'source_db_cluster_identifier', 'storage_encrypted'],
    names: ['global_cluster_identifier'],
  },
  aws_route: { forceNew: ['route_table_id', 'destination_cidr_block', 'destination_ipv6_cidr_block', 'destination_prefix_list_id'] },
  aws_route53_health_check: { forceNew: ['type', 'request_interval', 'measure_latency', 'reference_name', 'routing_control_arn'] },
  aws_route53_record: { forceNew: ['zone_id', 'name', 'type', 'set_identifier'] },
  aws_route_table: { forceNew: ['vpc_id'] },
  aws_route_table_association: { forceNew: ['subnet_id', 'gateway_id'] },
  aws_s3_bucket: { forceNew: ['bucket', 'bucket_prefix', 'object_lock_enabled'], names: ['bucket'] },
  aws_s3_bucket_lifecycle_configuration: { forceNew: ['bucket', 'expected_bucket_owner'] },
  aws_s3_bucket_logging: { forceNew: ['bucket', 'expected_bucket_owner'] },
  aws_s3_bucket_ownership_controls: { forceNew: ['bucket'] },
  aws_s3_bucket_policy: { forceNew: ['bucket'] },
  aws_s3_bucket_public_access_block: { forceNew: ['bucket'] },
  aws_s3_bucket_replication_configuration: { forceNew: ['bucket'] },
  aws_s3_bucket_server_side_encryption_configuration: { forceNew: ['bucket', 'expected_bucket_owner'] },
  aws_s3_bucket_versioning: { forceNew: ['bucket', 'expected_bucket_owner', 'mfa'] },
  aws_security_group: { forceNew: ['name', 'name_prefix', 'description', 'vpc_id'], names: ['name'] },
  aws_sfn_state_machine: { forceNew: ['name', 'name_prefix', 'type'], names: ['name'] },
  aws_ssm_document: { forceNew: ['name', 'document_type'], names: ['name'] },
  aws_sns_topic: { forceNew: ['name', 'name_prefix', 'fifo_topic'], names: ['name'] },
  aws_sns_topic_policy: { forceNew: ['arn'] },
  aws_sns_topic_subscription: { forceNew: ['topic_arn', 'protocol', 'endpoint', 'endpoint_auto_confirms'] },
  aws_subnet: { forceNew: ['vpc_id', 'cidr_block', 'availability_zone', 'availability_zone_id', 'outpost_arn'] },
  aws_vpc: { forceNew: ['cidr_block', 'ipv4_ipam_pool_id'] },
  aws_vpc_endpoint: { forceNew: ['vpc_id', 'service_name', 'vpc_endpoint_type'] },
  // The four are fixed per Region pair (a VPC is never replaced: change.ts refuses new CIDRs and AZs).
  aws_vpc_peering_connection: { forceNew: ['peer_owner_id', 'peer_region', 'peer_vpc_id', 'vpc_id'] },
  aws_vpc_peering_connection_accepter: { forceNew: ['vpc_peering_connection_id'] },
  aws_vpc_peering_connection_options: { forceNew: ['vpc_peering_connection_id'] },
  aws_vpc_security_group_egress_rule: { forceNew: ['security_group_id'] },
  aws_vpc_security_group_ingress_rule: { forceNew: ['security_group_id'] },
};

/**
 * Types whose replacement is a new revision by design: a task definition is never updated, each
 * change registers a new revision and the service rolls to it; deregistering the old one leaves its
 * running tasks alone (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deregister-task-definition-v2.html).
 */
const REVISIONED_TYPES = new Set(['aws_ecs_task_definition']);

interface Replacement {
  readonly address: string;
  readonly arguments: readonly string[];
  readonly protectedByPreventDestroy: boolean;
  readonly createdFirstUnderNewName: boolean;
}

/** Every resource present in both syntheses whose replace-forcing arguments differ, or reference a replaced resource. */
function replacements(before: Synthesized, after: Synthesized): Replacement[] {
  const found: Replacement[] = [];
  for (const [stackName, oldStack] of before.stacks) {
    const newStack = after.stacks.get(stackName);
    if (!newStack) continue;
    const replaced = new Map<string, string[]>();
    const both: Array<[string, string, TerraformJson, TerraformJson]> = [];
    for (const [type, oldResources] of Object.entries((oldStack.resource ?? {}) as Record<string, Record<string, TerraformJson>>)) {
      const table = REPLACING_ARGUMENTS[type];
      if (!table) throw new Error(`${type} has no row in REPLACING_ARGUMENTS: add one from its provider documentation`);
      for (const [name, oldBody] of Object.entries(oldResources)) {
        const newBody = newStack.resource?.[type]?.[name] as TerraformJson | undefined;
        if (!newBody) continue;
        both.push([type, name, oldBody, newBody]);
        const differing = table.forceNew.filter((arg) => JSON.stringify(oldBody[arg]) !== JSON.stringify(newBody[arg]));
        if (differing.length > 0) replaced.set(`${type}.${name}`, differing);
      }
    }
    // A replaced resource gets a new ID and ARN: replace-forcing references to it follow.
    for (let grew = true; grew;) {
      grew = false;
      for (const [type, name, , newBody] of both) {
        const address = `${type}.${name}`;
        if (replaced.has(address)) continue;
        const via = REPLACING_ARGUMENTS[type].forceNew.filter((arg) =>
          [...replaced.keys()].some((target) => JSON.stringify(newBody[arg] ?? null).includes(`\${${target}.`)),
        );
        if (via.length > 0) {
          replaced.set(
            address,
            via.map((arg) => `${arg} (references a replaced resource)`),
          );
          grew = true;
        }
      }
    }
    for (const [type, name, , newBody] of both) {
      const differing = replaced.get(`${type}.${name}`);
      if (!differing) continue;
      const fixedName = (REPLACING_ARGUMENTS[type].names ?? []).some((arg) => newBody[arg] !== undefined);
      found.push({
        address: `${stackName}: ${type}.${name}`,
        arguments: differing,
        protectedByPreventDestroy: newBody.lifecycle?.prevent_destroy === true,
        createdFirstUnderNewName: newBody.lifecycle?.create_before_destroy === true && !fixedName,
      });
    }
  }
  return found;
}

type Outcome = 'safe' | 'refused' | 'drains';

/**
 * Load balancers and their listeners, replaced delete-first: only in the documented second step of
 * toggling `internal` (docs/operations.md, "Making load balancers internal"), when protection is off; the
 * Region's traffic drains to the other Regions until the new load balancer is healthy.
 */
const DRAINING_TYPES = new Set(['aws_lb', 'aws_lb_listener']);

const typeOf = (change: Replacement) => change.address.split(': ')[1].split('.')[0];

/**
 * What Terraform does with the change: applies it with every replacement created first (or a new
 * revision), refuses the plan (a replaced resource carries prevent_destroy), or replaces load
 * balancers delete-first while their Region drains. Anything else is unsafe.
 */
function verdict(changes: readonly Replacement[]): { outcome: Outcome; unsafe: string[] } {
  if (changes.some((c) => c.protectedByPreventDestroy)) return { outcome: 'refused', unsafe: [] };
  const deleteFirst = changes.filter((c) => !c.createdFirstUnderNewName && !REVISIONED_TYPES.has(typeOf(c)));
  const draining = deleteFirst.length > 0 && deleteFirst.every((c) => DRAINING_TYPES.has(typeOf(c)));
  return {
    outcome: draining ? 'drains' : 'safe',
    unsafe: draining ? [] : deleteFirst.map((c) => `${c.address} (${c.arguments.join(', ')})`),
  };
}

const base = exampleInput();
const certificates = base.regions.map((r, i) => ({
  ...r,
  certificateArn: `arn:aws:acm:${r.region}:111122223333:certificate/0e8c5a8e-1111-4222-8333-94444555566${i}`,
}));
const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };

/** Config changes a team makes on day 2: old input, new input, and what Terraform must do. */
/** A global table for the catalogue. */
const TABLE = {
  name: 'orders',
  partitionKey: { name: 'pk', type: 'S' as const },
  globalSecondaryIndexes: [{ name: 'by-customer', partitionKey: { name: 'customer', type: 'S' as const } }],
  ttlAttribute: 'expiresAt',
};

const CATALOGUE: Array<[label: string, before: ConfigInput, after: ConfigInput, expected: Outcome]> = [
  ['certificates added', base, { ...base, regions: certificates }, 'safe'],
  ['workload.port changed', base, { ...base, workload: { port: 8080 } }, 'safe'],
  [
    'health check settings changed',
    base,
    { ...base, traffic: { healthCheck: { path: '/healthz', intervalSeconds: 30, unhealthyThresholdCount: 5, matcher: '200' } } },
    'safe',
  ],
  ['load balancers made internal (refused while protected)', base, { ...base, traffic: { loadBalancer: { internal: true } } }, 'refused'],
  [
    'load balancers made internal once unprotected (the documented step)',
    { ...base, traffic: { loadBalancer: { deletionProtection: false } } },
    { ...base, traffic: { loadBalancer: { internal: true, deletionProtection: false } } },
    'drains',
  ],
  ['load balancer protection turned off', base, { ...base, traffic: { loadBalancer: { deletionProtection: false } } }, 'safe'],
  ['a Region added', base, { ...base, regions: [...base.regions, { region: 'eu-west-1', cidr: '10.30.0.0/16' }] }, 'safe'],
  ['NAT gateways per AZ to single', base, { ...base, network: { natGateways: 'single' } }, 'safe'],
  [
    'database minor engine version bump',
    { ...base, database: { engineVersion: '16.6' } },
    { ...base, database: { engineVersion: '16.8' } },
    'safe',
  ],
  ['tags changed', base, { ...base, tags: { ...base.tags, CostCenter: 'cc-42' } }, 'safe'],
  [
    'Route 53 health checks: a search string and a shorter interval (replaces the entry checks)',
    base,
    { ...base, resilience: { healthChecks: { searchString: 'ok', requestIntervalSeconds: 10 } } },
    'safe',
  ],
  [
    'Route 53 latency records: a search string and certificates (replaces the entry checks under the switch checks)',
    { ...base, traffic: { mode: 'route53-latency', route53 } },
    { ...base, regions: certificates, traffic: { mode: 'route53-latency', route53 }, resilience: { healthChecks: { searchString: 'ok' } } },
    'safe',
  ],
  [
    'accelerator listener ports changed',
    { ...base, regions: certificates },
    { ...base, regions: certificates, traffic: { accelerator: { listenerPorts: [443] } } },
    'safe',
  ],
  [
    'accelerator affinity and dual stack',
    base,
    { ...base, traffic: { accelerator: { clientAffinity: 'SOURCE_IP', ipAddressType: 'DUAL_STACK' } } },
    'safe',
  ],
  [
    'traffic dial and weight changed',
    base,
    { ...base, regions: [base.regions[0], { ...base.regions[1], trafficDial: 0, endpointWeight: 10 }] },
    'safe',
  ],
  [
    'bucket settings changed',
    base,
    {
      ...base,
      storage: { buckets: [{ name: 'assets', replicationTimeControl: false, noncurrentVersionExpirationDays: 30, forceDestroy: true }] },
    },
    'safe',
  ],
  [
    'log retention changed',
    base,
    {
      ...base,
      traffic: { loadBalancer: { accessLogRetentionDays: 30 }, accelerator: { flowLogRetentionDays: 30 } },
      storage: { ...base.storage, accessLogRetentionDays: 30 },
    },
    'safe',
  ],
  ['DNS name added', base, { ...base, traffic: { route53 } }, 'safe'],
  ['global table added', base, { ...base, storage: { ...base.storage, tables: [TABLE] } }, 'safe'],
  [
    'global table TTL, index, capacity mode and alarm threshold changed',
    { ...base, storage: { ...base.storage, tables: [TABLE] } },
    {
      ...base,
      storage: {
        ...base.storage,
        tables: [
          {
            ...TABLE,
            ttlAttribute: 'until',
            globalSecondaryIndexes: [],
            billing: { mode: 'provisioned' },
            replicationLatencyThresholdMs: 5000,
          },
        ],
      },
    },
    'safe',
  ],
  ['decommission set', base, { ...base, decommission: true }, 'safe'],
  ['runbook timeout changed', base, { ...base, resilience: { runbooks: { timeoutMinutes: 45 } } }, 'safe'],
  ['workload replaced by your own', base, { ...base, workload: 'none' }, 'safe'],
  [
    'link: Transit Gateway to VPC peering, the hubs kept (routes change target in place)',
    base,
    { ...base, topology: { link: 'vpc-peering', keepTransitGateways: true } },
    'safe',
  ],
  [
    'link: VPC peering, the kept hubs dropped',
    { ...base, topology: { link: 'vpc-peering', keepTransitGateways: true } },
    { ...base, topology: { link: 'vpc-peering' } },
    'safe',
  ],
  ['link: VPC peering to Transit Gateway', { ...base, topology: { link: 'vpc-peering' } }, base, 'safe'],
  [
    'link: VPC peering to none',
    { ...base, topology: { link: 'vpc-peering' }, database: { writeForwarding: true } },
    { ...base, topology: { link: 'none' }, database: { writeForwarding: true } },
    'safe',
  ],
  [
    'link: VPC peering, a Region added',
    { ...base, topology: { link: 'vpc-peering' } },
    { ...base, topology: { link: 'vpc-peering' }, regions: [...base.regions, { region: 'eu-west-1', cidr: '10.30.0.0/16' }] },
    'safe',
  ],
];

describe('apply-2 replacements: no config change replaces a resource that cannot be replaced safely', () => {
  test.each(CATALOGUE)('%s', (_label, before, after, expected) => {
    const changes = replacements(synth(configFrom(before)), synth(configFrom(after)));
    const { outcome, unsafe } = verdict(changes);
    expect(unsafe).toEqual([]);
    expect(outcome).toBe(expected);
  });

  test('the check sees a replacement: a new target port replaces the target group, created first under a generated name', () => {
    const changes = replacements(synth(configFrom(base)), synth(configFrom({ ...base, workload: { port: 8080 } })));
    const groups = changes.filter((c) => c.address.includes('aws_lb_target_group.'));
    expect(groups).toHaveLength(2);
    for (const group of groups) expect(group).toMatchObject({ arguments: ['port'], createdFirstUnderNewName: true });
  });

  test('every resource type the examples create has a row in the table', () => {
    for (const name of ['two-region', 'three-region', 'five-region']) {
      for (const stack of synth(configFrom(exampleInput(name))).stacks.values()) {
        for (const type of Object.keys(stack.resource ?? {})) expect(REPLACING_ARGUMENTS).toHaveProperty([type]);
      }
    }
  });
});
