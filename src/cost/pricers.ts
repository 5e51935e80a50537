import type { Layout, PricedResource } from './layout';
import type { Usage, UsageKey } from './usage';

/** A fixed charge follows from the configuration alone; a usage charge from the usage figures too. */
export type ChargeKind = 'fixed' | 'usage';

/** One charge of one resource, before it is priced: a quantity of a price table entry's unit. */
export interface Charge {
  /** What is charged, e.g. `NAT gateway hours`. */
  readonly component: string;
  /** The price table entry. */
  readonly price: string;
  readonly quantity: number;
  readonly kind: ChargeKind;
  /** The Region whose price applies. @default - the resource's Region */
  readonly region?: string;
  /** Set when the charge could not be priced, with the reason. */
  readonly unpriced?: string;
}

/** What a pricer may look at besides its resource. */
export interface PricingContext {
  readonly layout: Layout;
  readonly hours: number;
  usage(region: string): Usage;
  /** The resources of `type` in `region` that `matches` accepts, to share a Region's usage among them. */
  countIn(region: string, type: string, matches?: (resource: PricedResource) => boolean): number;
}

type Pricer = (resource: PricedResource, context: PricingContext) => Charge[];

/** The first object of a nested block, whether synthesized (an object) or planned (a list of objects). */
function block(value: unknown): Record<string, unknown> | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

function blocks(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object');
  const one = block(value);
  return one ? [one] : [];
}

/**
 * How many elements a list argument has: its values, or, where a plan does not know them yet (IDs of
 * resources still to be created), the resources its expression refers to.
 */
function elements(resource: PricedResource, argument: string): number {
  const value = resource.values[argument];
  return Array.isArray(value) ? value.length : resource.refersTo(argument).length;
}

/** A string argument, or '' when it is absent or unknown. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function numberOf(value: unknown): number | undefined {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
}

const fixedHours =
  (component: string, price: string, quantity = 1) =>
  (_r: PricedResource, c: PricingContext): Charge[] => [{ component, price, quantity: quantity * c.hours, kind: 'fixed' }];

/** A Region's usage figure shared evenly among the resources that incur it. */
function shared(resource: PricedResource, context: PricingContext, key: UsageKey, matches?: (r: PricedResource) => boolean): number {
  const among = context.countIn(resource.region, resource.type, matches);
  return among === 0 ? 0 : context.usage(resource.region)[key] / among;
}

function usageCharge(component: string, price: string, quantity: number, region?: string): Charge {
  return { component, price, quantity, kind: 'usage', ...(region ? { region } : {}) };
}

const isInterfaceEndpoint = (r: PricedResource) => r.values.vpc_endpoint_type === 'Interface';

/** A global table's replicas refer to it; a table without any (the lock tables) is a single-Region table. */
function isGlobalTable(table: PricedResource, layout: Layout): boolean {
  return layout.resources.some((r) => r.type === 'aws_dynamodb_table_replica' && layout.referenced(r, 'global_table_arn') === table);
}

function tableCharges(resource: PricedResource, table: PricedResource, context: PricingContext): Charge[] {
  const usage = context.usage(resource.region);
  const charges: Charge[] = [];
  if (table.values.billing_mode === 'PROVISIONED') {
    // Every Region of a global table pays replicated write capacity, and keeps the table's capacity.
    charges.push(
      {
        component: 'replicated write capacity units',
        price: 'dynamodb-replicated-wcu-hour',
        quantity: (numberOf(table.values.write_capacity) ?? 0) * context.hours,
        kind: 'fixed',
      },
      {
        component: 'read capacity units',
        price: 'dynamodb-rcu-hour',
        quantity: (numberOf(table.values.read_capacity) ?? 0) * context.hours,
        kind: 'fixed',
      },
    );
  } else {
    charges.push(
      usageCharge(
        'replicated writes (million)',
        'dynamodb-replicated-write-million',
        context.usage(table.region).dynamodbWriteMillionsPerTable,
      ),
      usageCharge('reads (million)', 'dynamodb-read-million', usage.dynamodbReadMillionsPerTable),
    );
  }
  charges.push(usageCharge('storage', 'dynamodb-storage-gb-month', usage.dynamodbStorageGbPerTable));
  if (block(resource.values.point_in_time_recovery)?.enabled === true) {
    charges.push(usageCharge('point-in-time recovery', 'dynamodb-pitr-gb-month', usage.dynamodbStorageGbPerTable));
  }
  return charges;
}

/**
 * The tasks a service runs at least: its desired count, or the floor of the scalable target that
 * scales it when that is higher (autoscaling owns the count after the first deployment, so raising
 * the floor is what raises the bill).
 */
function leastTasks(service: PricedResource, layout: Layout): number {
  const floors = layout.resources
    .filter((r) => r.type === 'aws_appautoscaling_target' && r.stack === service.stack && layout.referenced(r, 'resource_id') === service)
    .map((target) => numberOf(target.values.min_capacity) ?? 0);
  return Math.max(numberOf(service.values.desired_count) ?? 0, ...floors);
}

function taskCharges(service: PricedResource, context: PricingContext): Charge[] {
  const definition = context.layout.referenced(service, 'task_definition');
  const tasks = leastTasks(service, context.layout);
  if (!definition) {
    return [
      {
        component: 'tasks',
        price: 'fargate-x86_64-vcpu-hour',
        quantity: 0,
        kind: 'fixed',
        unpriced: 'its task definition is not in the stack',
      },
    ];
  }
  const vcpu = (numberOf(definition.values.cpu) ?? 0) / 1024;
  const gb = (numberOf(definition.values.memory) ?? 0) / 1024;
  const architecture = block(definition.values.runtime_platform)?.cpu_architecture === 'ARM64' ? 'arm64' : 'x86_64';
  const strategy = blocks(service.values.capacity_provider_strategy);
  const base = strategy.find((s) => s.capacity_provider === 'FARGATE');
  const spot = strategy.find((s) => s.capacity_provider === 'FARGATE_SPOT');
  // Tasks up to the on-demand base run on demand; the rest split by weight (ECS's own rule).
  const baseTasks = Math.min(tasks, numberOf(base?.base) ?? 0);
  const onDemandWeight = base ? (numberOf(base.weight) ?? 0) : 1;
  const spotWeight = spot ? (numberOf(spot.weight) ?? 0) : 0;
  const rest = tasks - baseTasks;
  const spotTasks = onDemandWeight + spotWeight === 0 ? 0 : (rest * spotWeight) / (onDemandWeight + spotWeight);
  const onDemandTasks = tasks - spotTasks;
  const charges: Charge[] = [];
  for (const [count, capacity] of [
    [onDemandTasks, ''],
    [spotTasks, 'spot-'],
  ] as const) {
    if (count === 0) continue;
    const label = capacity ? 'Fargate Spot' : 'Fargate';
    charges.push(
      {
        component: `${label} ${architecture} vCPU`,
        price: `fargate-${capacity}${architecture}-vcpu-hour`,
        quantity: count * vcpu * context.hours,
        kind: 'fixed',
      },
      {
        component: `${label} ${architecture} memory`,
        price: `fargate-${capacity}${architecture}-gb-hour`,
        quantity: count * gb * context.hours,
        kind: 'fixed',
      },
    );
  }
  return charges;
}

function instanceCharges(instance: PricedResource, context: PricingContext): Charge[] {
  const instanceClass = textOf(instance.values.instance_class);
  if (instanceClass === 'db.serverless') {
    const cluster = context.layout.referenced(instance, 'cluster_identifier');
    const minimum = numberOf(block(cluster?.values.serverlessv2_scaling_configuration)?.min_capacity);
    if (minimum === undefined) {
      return [
        {
          component: 'Serverless v2 capacity',
          price: 'aurora-acu-hour',
          quantity: 0,
          kind: 'fixed',
          unpriced: 'its cluster has no serverlessv2_scaling_configuration',
        },
      ];
    }
    // Serverless v2 never goes below its minimum: the floor is a fixed charge, the rest is use.
    return [{ component: 'Serverless v2 minimum capacity', price: 'aurora-acu-hour', quantity: minimum * context.hours, kind: 'fixed' }];
  }
  return [
    {
      component: `${instanceClass} instance hours`,
      price: `aurora-instance-hour/${instanceClass}`,
      quantity: context.hours,
      kind: 'fixed',
    },
  ];
}

function clusterCharges(cluster: PricedResource, context: PricingContext): Charge[] {
  const usage = context.usage(cluster.region);
  const charges = [
    usageCharge('storage', 'aurora-storage-gb-month', usage.auroraStorageGb),
    usageCharge('I/O requests (million)', 'aurora-io-million', usage.auroraIoMillions),
  ];
  // A secondary is configured without a master user; it pays for the writes replicated to it.
  if (cluster.values.global_cluster_identifier && !cluster.values.master_username) {
    charges.push(
      usageCharge('replicated write I/O (million)', 'aurora-replicated-write-io-million', usage.auroraReplicatedWriteIoMillions),
    );
  }
  return charges;
}

/** Route 53 bills each optional feature of an endpoint check on top of the check itself. */
function healthCheckCharges(check: PricedResource): Charge[] {
  const type = textOf(check.values.type);
  const features = [
    type.startsWith('HTTPS') && 'HTTPS',
    type.endsWith('_STR_MATCH') && 'string matching',
    numberOf(check.values.request_interval) === 10 && 'fast interval',
    check.values.measure_latency === true && 'latency measurement',
  ].filter((f): f is string => typeof f === 'string');
  return [
    { component: 'health check', price: 'route53-health-check-month', quantity: 1, kind: 'fixed' },
    ...(features.length > 0
      ? [
          {
            component: `health check features: ${features.join(', ')}`,
            price: 'route53-health-check-feature-month',
            quantity: features.length,
            kind: 'fixed' as const,
          },
        ]
      : []),
  ];
}

/** CloudWatch bills an alarm per metric it evaluates (each metric of a metric-math alarm), high resolution at its own rate. */
function alarmCharges(alarm: PricedResource): Charge[] {
  const queries = blocks(alarm.values.metric_query);
  const metrics = queries.length > 0 ? queries.filter((q) => block(q.metric)).map((q) => block(q.metric)!) : [alarm.values];
  const highResolution = metrics.filter((m) => (numberOf(m.period) ?? 60) < 60).length;
  const standard = metrics.length - highResolution;
  return [
    ...(standard > 0 ? [{ component: 'alarm metrics', price: 'alarm-metric-month', quantity: standard, kind: 'fixed' as const }] : []),
    ...(highResolution > 0
      ? [
          {
            component: 'high-resolution alarm metrics',
            price: 'high-resolution-alarm-metric-month',
            quantity: highResolution,
            kind: 'fixed' as const,
          },
        ]
      : []),
  ];
}

/** Application Auto Scaling creates and bills two CloudWatch alarms (high and low) for each target tracking policy. */
function scalingPolicyCharges(policy: PricedResource): Charge[] {
  return policy.values.policy_type === 'TargetTrackingScaling'
    ? [{ component: 'alarm metrics (of the target tracking alarms)', price: 'alarm-metric-month', quantity: 2, kind: 'fixed' }]
    : [];
}

/** Resource types with a price, and how each is priced. */
export const PRICERS: Readonly<Record<string, Pricer>> = {
  aws_appautoscaling_policy: scalingPolicyCharges,
  aws_nat_gateway: (r, c) => [
    ...fixedHours('NAT gateway hours', 'nat-gateway-hour')(r, c),
    usageCharge('data processed', 'nat-gateway-gb', shared(r, c, 'natGatewayProcessedGb')),
  ],
  aws_eip: fixedHours('public IPv4 address hours', 'public-ipv4-hour'),
  aws_lb: (r, c) => {
    // An internet-facing load balancer has a public IPv4 address in each of its subnets.
    const publicAddresses = r.values.internal === true ? 0 : blocks(r.values.subnet_mapping).length || elements(r, 'subnets');
    return [
      ...fixedHours('load balancer hours', 'load-balancer-hour')(r, c),
      ...(publicAddresses > 0 ? fixedHours('public IPv4 address hours', 'public-ipv4-hour', publicAddresses)(r, c) : []),
      usageCharge('capacity units (LCU-hours)', 'load-balancer-lcu-hour', c.usage(r.region).loadBalancerLcu * c.hours),
    ];
  },
  aws_ec2_transit_gateway_vpc_attachment: (r, c) => [
    ...fixedHours('VPC attachment hours', 'transit-gateway-attachment-hour')(r, c),
    usageCharge('data processed', 'transit-gateway-gb', shared(r, c, 'transitGatewayProcessedGb')),
  ],
  // AWS bills the peering attachment on each Transit Gateway it connects: the request and the acceptance.
  aws_ec2_transit_gateway_peering_attachment: fixedHours('peering attachment hours', 'transit-gateway-attachment-hour'),
  aws_ec2_transit_gateway_peering_attachment_accepter: fixedHours(
    'peering attachment hours (accepter side)',
    'transit-gateway-attachment-hour',
  ),
  aws_globalaccelerator_accelerator: fixedHours('accelerator hours', 'accelerator-hour'),
  aws_globalaccelerator_endpoint_group: (r, c) => {
    const region = textOf(r.values.endpoint_group_region) || r.region;
    return [usageCharge('data transfer premium', 'accelerator-premium-gb', c.usage(region).acceleratorPremiumGb, region)];
  },
  aws_rds_cluster_instance: instanceCharges,
  aws_rds_cluster: clusterCharges,
  aws_kms_key: () => [{ component: 'customer managed key', price: 'kms-key-month', quantity: 1, kind: 'fixed' }],
  aws_vpc_endpoint: (r, c) => {
    if (!isInterfaceEndpoint(r)) return []; // gateway endpoints (S3, DynamoDB) have no charge
    const zones = elements(r, 'subnet_ids');
    return [
      ...fixedHours('interface endpoint hours (per AZ)', 'interface-endpoint-hour', zones)(r, c),
      usageCharge('data processed', 'interface-endpoint-gb', shared(r, c, 'interfaceEndpointProcessedGb', isInterfaceEndpoint)),
    ];
  },
  aws_ecs_service: taskCharges,
  aws_route53_health_check: healthCheckCharges,
  aws_cloudwatch_metric_alarm: alarmCharges,
  aws_cloudwatch_composite_alarm: () => [{ component: 'composite alarm', price: 'composite-alarm-month', quantity: 1, kind: 'fixed' }],
  aws_cloudwatch_log_group: (r, c) => [
    usageCharge('ingestion', 'logs-ingest-gb', shared(r, c, 'logsIngestedGb')),
    usageCharge('storage', 'logs-storage-gb-month', shared(r, c, 'logsStoredGb')),
  ],
  aws_flow_log: (r, c) => [usageCharge('flow log delivery', 'vended-logs-gb', c.usage(r.region).flowLogsGb)],
  aws_s3_bucket: (r, c) => [usageCharge('storage', 's3-standard-gb-month', shared(r, c, 's3StorageGb'))],
  aws_s3_bucket_replication_configuration: (r, c) => {
    const gb = shared(r, c, 's3ReplicatedGb');
    const timed = blocks(r.values.rule).some((rule) => block(block(rule.destination)?.replication_time)?.status === 'Enabled');
    return [
      usageCharge('replication to other Regions', 'inter-region-transfer-gb', gb),
      ...(timed ? [usageCharge('Replication Time Control', 's3-replication-time-control-gb', gb)] : []),
    ];
  },
  aws_dynamodb_table: (r, c) => (isGlobalTable(r, c.layout) ? tableCharges(r, r, c) : []),
  aws_dynamodb_table_replica: (r, c) => {
    const table = c.layout.referenced(r, 'global_table_arn');
    return table ? tableCharges(r, table, c) : [];
  },
  aws_vpc: (r, c) => [usageCharge('data transfer to other Regions', 'inter-region-transfer-gb', c.usage(r.region).interRegionTransferGb)],
};

/** Types without a price of their own whose arguments a pricer reads: a change to one can change a cost. */
export const PRICE_INPUTS: readonly string[] = ['aws_appautoscaling_target', 'aws_ecs_task_definition'];

/** Resource types that cost nothing of their own, with the reason. A type the generator emits is here or in PRICERS. */
export const FREE: Readonly<Record<string, string>> = {
  aws_appautoscaling_target: 'Application Auto Scaling has no charge of its own; its floor sets the tasks priced at the service.',
  aws_cloudwatch_event_rule:
    'Rules on AWS service events have no charge; the few events forwarded to another Region are custom events at $1 a million.',
  aws_cloudwatch_event_target: 'Targets of rules have no charge of their own.',
  aws_db_subnet_group: 'No charge.',
  aws_default_network_acl: 'No charge.',
  aws_default_route_table: 'No charge.',
  aws_default_security_group: 'No charge.',
  aws_ec2_transit_gateway: 'The Transit Gateway itself has no charge; its attachments and the data they process do.',
  aws_ec2_transit_gateway_route: 'No charge.',
  aws_ec2_transit_gateway_route_table: 'No charge.',
  aws_ec2_transit_gateway_route_table_association: 'No charge.',
  aws_ec2_transit_gateway_route_table_propagation: 'No charge.',
  aws_ecs_cluster:
    'ECS has no charge of its own; the Fargate tasks are priced at the service. Container Insights metrics are not estimated.',
  aws_ecs_cluster_capacity_providers: 'No charge.',
  aws_ecs_task_definition: 'No charge; its tasks are priced at the service.',
  aws_fis_experiment_template: 'Charged per action-minute only while an experiment runs (a game day).',
  aws_globalaccelerator_listener: 'No charge of its own; the accelerator and its data transfer premium are priced.',
  aws_iam_role: 'IAM has no charge.',
  aws_iam_role_policy: 'IAM has no charge.',
  aws_internet_gateway: 'No charge; data out to the internet is outside this estimate.',
  aws_kms_alias: 'No charge.',
  aws_lb_listener: 'No charge of its own.',
  aws_lb_target_group: 'No charge of its own.',
  aws_rds_cluster_parameter_group: 'No charge.',
  aws_rds_global_cluster: 'No charge of its own; member instances, storage and replicated writes are priced.',
  aws_route: 'No charge.',
  aws_route53_record: 'Alias records to load balancers and accelerators answer queries at no charge.',
  aws_route_table: 'No charge.',
  aws_route_table_association: 'No charge.',
  aws_s3_bucket_lifecycle_configuration: 'No charge.',
  aws_s3_bucket_logging: 'No charge; the log objects are storage in the log bucket.',
  aws_s3_bucket_ownership_controls: 'No charge.',
  aws_s3_bucket_policy: 'No charge.',
  aws_s3_bucket_public_access_block: 'No charge.',
  aws_s3_bucket_server_side_encryption_configuration: 'No charge (the KMS key is priced).',
  aws_s3_bucket_versioning: 'No charge; old versions are storage.',
  aws_security_group: 'No charge.',
  aws_sfn_state_machine: 'Standard workflows are charged per state transition ($0.025 a thousand) only while a runbook runs.',
  aws_sns_topic: 'Topics have no charge; alarm notifications fall within the free tier.',
  aws_sns_topic_policy: 'No charge.',
  aws_sns_topic_subscription: 'No charge.',
  aws_ssm_document: 'Automation documents have no charge; the few steps of a run are within the free tier.',
  aws_subnet: 'No charge.',
  aws_vpc_peering_connection: 'VPC peering has no hourly charge; data across it is inter-Region transfer, estimated on each VPC.',
  aws_vpc_peering_connection_accepter: 'No charge.',
  aws_vpc_peering_connection_options: 'No charge.',
  aws_vpc_security_group_egress_rule: 'No charge.',
  aws_vpc_security_group_ingress_rule: 'No charge.',
};
