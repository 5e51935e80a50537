import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Token } from 'cdktf';
import { HEALTH_CHECK_MATCHER_PATTERN, HEALTH_CHECK_PATH_PATTERN, HTTP_PORT, TrafficSchema } from '../../config/traffic-schema';
import { namedLocal } from '../../constructs/locals';
import { CustomerManagedKey } from '../../constructs/security/customer-managed-key';
import { logDeliveryKeyStatement } from '../../constructs/security/key-policies';
import { Accelerator, GLOBAL_ACCELERATOR_REGION, type AcceleratorProps } from '../../constructs/traffic/accelerator';
import { AcceleratorEndpoint, type AcceleratorEndpointGroup } from '../../constructs/traffic/accelerator-endpoint';
import { RegionalIngress, type RegionalIngressProps } from '../../constructs/traffic/regional-ingress';
import { ELB_NAME_PATTERN, TARGET_GROUP_NAME_PREFIX_PATTERN, type TargetHealthCheck } from '../../planning/elb';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import { inputs } from '../inputs';

const [primaryRegion, secondaryRegion] = example.regions;
const account = example.accountId;
/** The configuration file's traffic defaults: the modules default to the same. */
const defaults = () => TrafficSchema.parse({});

const ELB_NAME_RULE = 'must be 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen.';

export const regionalIngressModule: ModuleDefinition = {
  name: 'regional-ingress',
  mainResources: ['aws_lb', 'aws_lb_target_group', 'aws_security_group'],
  summary:
    "A Region's Application Load Balancer: HTTPS with a modern TLS policy (HTTP redirects), access logs, locked-down security group.",
  description:
    'One Region\'s entry point as the stacks create it: an Application Load Balancer with deletion protection (`enable_deletion_protection`, which refuses deletes at the API; `lifecycle` takes no variables and a `module` block no `lifecycle`, so unlike the CDKTF stacks the module sets no `prevent_destroy`), invalid header fields dropped and defensive desync mitigation; access logs to a bucket of its own (versioned, private, TLS-only, SSE-S3, the one encryption load balancer log delivery accepts; written only by the log delivery service of this Region); a security group open to clients only on the listener ports and to targets only inside the VPC on `target_port`; and one IP target group (a generated name after `target_group_name_prefix`, replaced create-first) whose health check also decides failover. `ip_address_type = "dualstack"` serves IPv6 clients too (the subnets need IPv6 blocks and an IPv6 route: the `vpc` module\'s `ipv6`), with `::/0` admitted beside `0.0.0.0/0` on the listener ports; targets stay IPv4. With `certificate_arn`, an HTTPS listener with TLS 1.3/1.2 forward-secret ciphers serves the traffic and the HTTP listener redirects to it; without, HTTP forwards. Put it behind `global-accelerator` (optionally `internal = true`: the accelerator preserves client IPs) or behind latency-based DNS records.',
  build(stack) {
    const input = inputs(stack);
    const traffic = defaults();
    const lbName = input.matching(
      'load_balancer_name',
      'Name of the load balancer (1 to 32 characters, unique in the Region).',
      ELB_NAME_PATTERN,
      `load_balancer_name ${ELB_NAME_RULE}`,
    );
    const tgPrefix = input.matching(
      'target_group_name_prefix',
      "Prefix of the target group's generated name (1 to 6 characters): a new target port then replaces the group create-first.",
      TARGET_GROUP_NAME_PREFIX_PATTERN,
      'target_group_name_prefix must be 1 to 6 letters, digits and hyphens, starting with a letter or digit.',
    );
    const logBucket = input.bucketName('access_log_bucket_name', 'Name of the access log bucket the module creates (globally unique).');
    const logDays = input.days(
      'access_log_retention_days',
      'Days the access logs are kept: the expiration of the objects in the access log bucket (an S3 lifecycle rule).',
      traffic.loadBalancer.accessLogRetentionDays,
    );
    const accountId = input.accountId();
    const vpcId = stack.input('vpc_id', { type: 'string', description: 'ID of the VPC.' });
    const vpcCidr = input.cidr('vpc_cidr', 'CIDR of the VPC: the load balancer may only reach targets inside it.');
    const subnetIds = stack.input('subnet_ids', {
      type: 'list(string)',
      description: 'Subnets of the load balancer, in at least two AZs: public when internet-facing, private when internal.',
      validation: [{ condition: '${length(var.subnet_ids) >= 2}', errorMessage: 'subnet_ids needs subnets in at least two AZs.' }],
    });
    const internal = stack.input('internal', {
      type: 'bool',
      description: 'An internal load balancer, reached only through Global Accelerator (which preserves client IPs).',
      default: traffic.loadBalancer.internal,
    });
    const ipAddressType = input.oneOf(
      'ip_address_type',
      '"ipv4", or "dualstack" for IPv6 clients as well (what a DUAL_STACK accelerator requires of its endpoints); every subnet needs an IPv6 block.',
      ['ipv4', 'dualstack'],
      'ipv4',
    );
    const certificate = stack.input('certificate_arn', {
      type: 'string',
      description: 'ARN of an ACM certificate in this Region: adds the HTTPS listener and turns HTTP into a redirect. Null for HTTP only.',
      default: null,
      nullable: true,
    });
    const targetPort = input.wholeNumber('target_port', 'The port the targets listen on.', 1, 65535, HTTP_PORT);
    const check = traffic.healthCheck;
    const healthCheck = stack.input('health_check', {
      type: `object({ protocol = optional(string, "${check.protocol}"), path = optional(string, "${check.path}"), matcher = optional(string, "${check.matcher}"), interval = optional(number, ${check.intervalSeconds}), timeout = optional(number, ${check.timeoutSeconds}), healthy_threshold = optional(number, ${check.healthyThresholdCount}), unhealthy_threshold = optional(number, ${check.unhealthyThresholdCount}) })`,
      description:
        'The target health check, which also decides failover behind Global Accelerator or latency records: protocol (HTTP, or HTTPS when targets serve TLS), path, matcher (HTTP codes 200 to 499), interval (5 to 300 s), timeout (2 to 120 s, below the interval), and healthy_threshold and unhealthy_threshold, the checks in a row that make a target healthy or unhealthy (2 to 10). The fields are named as in the `health_check` block of `aws_lb_target_group`.',
      default: {},
      validation: [
        {
          condition: `\${contains(["HTTP", "HTTPS"], var.health_check.protocol) && can(regex(${JSON.stringify(HEALTH_CHECK_PATH_PATTERN.source)}, var.health_check.path)) && can(regex(${JSON.stringify(HEALTH_CHECK_MATCHER_PATTERN.source)}, var.health_check.matcher))}`,
          errorMessage:
            'health_check needs protocol HTTP or HTTPS, a path starting with "/", and a matcher of HTTP codes 200 to 499 such as "200-399".',
        },
        {
          condition:
            '${var.health_check.interval >= 5 && var.health_check.interval <= 300 && var.health_check.timeout >= 2 && var.health_check.timeout < var.health_check.interval && var.health_check.healthy_threshold >= 2 && var.health_check.healthy_threshold <= 10 && var.health_check.unhealthy_threshold >= 2 && var.health_check.unhealthy_threshold <= 10}',
          errorMessage:
            'health_check needs interval 5 to 300, timeout from 2 to below the interval, and healthy_threshold and unhealthy_threshold 2 to 10.',
        },
      ],
    });
    const deletionProtection = stack.input('enable_deletion_protection', {
      type: 'bool',
      description:
        'Deletion protection of the load balancer: the API refuses to delete it while on. The stacks also set `prevent_destroy` while it is on, which refuses plans that would replace it (a new `internal`); a `module` block takes no `lifecycle`, so for that copy the module and add it.',
      default: traffic.loadBalancer.deletionProtection,
    });
    const dnsFailover = input.wholeNumber(
      'dns_failover_minimum_healthy_targets',
      'Route 53 DNS failover: below this many healthy targets the load balancer reports itself unhealthy to records that evaluate its target health (percentage off). Keep 1 (the AWS default) behind Global Accelerator, which does not read it; behind Route 53 records, about half the tasks the service keeps at its minimum.',
      1,
      1000,
      1,
    );
    const logForceDestroy = stack.input('access_log_bucket_force_destroy', {
      type: 'bool',
      description: 'Let `terraform destroy` delete the access log bucket with its logs in it.',
      default: false,
    });
    // A literal object has no Terraform to fill in its optional attributes: the same defaults apply.
    const given = <T>(key: string, fallback: T): T =>
      healthCheck.known ? (healthCheck.attribute<T>(key) ?? fallback) : healthCheck.attribute<T>(key);
    const targetHealthCheck: TargetHealthCheck = {
      protocol: given('protocol', check.protocol),
      path: given('path', check.path),
      matcher: given('matcher', check.matcher),
      intervalSeconds: given('interval', check.intervalSeconds),
      timeoutSeconds: given('timeout', check.timeoutSeconds),
      healthyThresholdCount: given('healthy_threshold', check.healthyThresholdCount),
      unhealthyThresholdCount: given('unhealthy_threshold', check.unhealthyThresholdCount),
    };

    const ingress = new RegionalIngress(stack, 'ingress', {
      loadBalancerName: lbName.stringValue,
      targetGroupNamePrefix: tgPrefix.stringValue,
      accessLogBucketName: logBucket.stringValue,
      accessLogRetentionDays: logDays.numberValue,
      region: new DataAwsRegion(stack, 'current', {}).id,
      accountId: accountId.stringValue,
      vpcId: vpcId.stringValue,
      vpcCidr: vpcCidr.stringValue,
      subnetIds: subnetIds.listValue,
      internal: internal.booleanValue,
      ipAddressType: ipAddressType.stringValue as RegionalIngressProps['ipAddressType'],
      certificateArn: certificate.stringValue,
      targetPort: targetPort.numberValue,
      healthCheck: targetHealthCheck,
      deletionProtection: deletionProtection.booleanValue,
      accessLogBucketForceDestroy: logForceDestroy.booleanValue,
      dnsFailoverMinimumHealthyTargets: dnsFailover.numberValue,
    });
    const [http, https] = ingress.listeners;
    stack.output('load_balancer_arn', ingress.loadBalancer.arn, 'ARN of the load balancer: the endpoint for `global-accelerator`.');
    stack.output('load_balancer_dns_name', ingress.loadBalancer.dnsName, 'DNS name of the load balancer.');
    stack.output('load_balancer_zone_id', ingress.loadBalancer.zoneId, 'Hosted zone of the load balancer, for alias records.');
    stack.output(
      'load_balancer_arn_suffix',
      ingress.loadBalancer.arnSuffix,
      'ARN suffix of the load balancer, its `LoadBalancer` dimension in CloudWatch: for `region-alarms`.',
    );
    stack.output('security_group_id', ingress.securityGroup.id, "ID of the load balancer's security group: admit it on the targets' port.");
    stack.output('target_group_arn', ingress.targetGroup.arn, 'ARN of the IP target group.');
    stack.output(
      'target_group_arn_suffix',
      ingress.targetGroup.arnSuffix,
      'ARN suffix of the target group, its `TargetGroup` dimension in CloudWatch: for `region-alarms`.',
    );
    stack.output('http_listener_arn', http.arn, 'ARN of the HTTP listener.');
    stack.output(
      'https_listener_arn',
      https ? `\${one(${https.fqn}[*].arn)}` : null,
      'ARN of the HTTPS listener; null without a certificate.',
    );
    stack.output('access_log_bucket_name', ingress.accessLogBucket.bucketName, 'Name of the access log bucket.');
  },
  example: {
    providers: [{ region: primaryRegion.region }],
    inputs: {
      load_balancer_name: 'acme-shop',
      target_group_name_prefix: 'acme-',
      access_log_bucket_name: `acme-shop-alblogs-${account}-${primaryRegion.region}`,
      account_id: account,
      vpc_id: 'vpc-0a1b2c3d4e5f60001',
      vpc_cidr: primaryRegion.cidr,
      subnet_ids: primaryRegion.azs.map((_, i) => `subnet-0a1b2c3d4e5f6010${i + 1}`),
      certificate_arn: `arn:aws:acm:${primaryRegion.region}:${account}:certificate/0a1b2c3d-1111-2222-3333-444455556666`,
      target_port: 8080,
      health_check: { path: '/healthz', interval: 10, unhealthy_threshold: 3 },
    },
  },
  variants: {
    'http-internal': { certificate_arn: null, internal: true, enable_deletion_protection: false, access_log_bucket_force_destroy: true },
    'dual-stack': { ip_address_type: 'dualstack' },
  },
};

/** An endpoint as the module's `endpoints` input has it. */
interface EndpointInput {
  readonly load_balancer_arn: string;
  readonly traffic_dial_percentage?: number;
  readonly weight?: number;
}

export const globalAcceleratorModule: ModuleDefinition = {
  name: 'global-accelerator',
  mainResources: ['aws_globalaccelerator_accelerator', 'aws_globalaccelerator_listener', 'aws_globalaccelerator_endpoint_group'],
  purposes: { key: 'flow_log' },
  summary:
    "Global Accelerator in front of every Region's load balancer: static anycast IPs, health-checked failover, traffic dials, flow logs.",
  description: `A standard accelerator: two static anycast IPv4 addresses (and IPv6 with \`DUAL_STACK\`) at AWS edge locations, one TCP listener per port, and for every listener an endpoint group in every Region of \`endpoints\` with that Region's load balancer (client IPs preserved). A Region leaves rotation when its load balancer has no healthy target (Global Accelerator uses the load balancer's own target health for load balancer endpoints, so the endpoint groups carry no health settings); the traffic dial and the weight shift traffic away from a Region on purpose (maintenance, a game day). Flow logs go to a bucket of their own, encrypted with a customer-managed key of their own (rotation on) that only log delivery of this account may use besides the account's IAM principals. The Global Accelerator API lives in ${GLOBAL_ACCELERATOR_REGION}: the default \`aws\` provider must be in ${GLOBAL_ACCELERATOR_REGION} (a precondition checks it), and so are the flow log bucket and its key.`,
  build(stack) {
    const input = inputs(stack);
    const traffic = defaults();
    const name = input.matching(
      'name',
      'Name of the accelerator.',
      '^[a-zA-Z0-9]([a-zA-Z0-9-]{0,62}[a-zA-Z0-9])?$',
      'name must be 1 to 64 letters, digits and hyphens, not starting or ending with a hyphen.',
    );
    const ipAddressType = input.oneOf(
      'ip_address_type',
      '"IPV4", or "DUAL_STACK" for IPv6 addresses as well: then every endpoint must be a dual-stack load balancer (regional-ingress with ip_address_type "dualstack").',
      ['IPV4', 'DUAL_STACK'],
      traffic.accelerator.ipAddressType,
    );
    const clientAffinity = input.oneOf(
      'client_affinity',
      '"NONE", or "SOURCE_IP" to keep a client on one Region while it is healthy.',
      ['NONE', 'SOURCE_IP'],
      traffic.accelerator.clientAffinity,
    );
    const ports = stack.input('listener_ports', {
      type: 'list(number)',
      description:
        'TCP ports to listen on, each forwarded to the same port of the load balancers: 80, and 443 when every Region has a certificate.',
      default: [HTTP_PORT],
      validation: [
        {
          condition:
            '${length(var.listener_ports) > 0 && length(distinct(var.listener_ports)) == length(var.listener_ports) && alltrue([for port in var.listener_ports : port >= 1 && port <= 65535 && floor(port) == port])}',
          errorMessage: 'listener_ports must be distinct TCP ports, at least one.',
        },
      ],
    });
    const endpoints = stack.input('endpoints', {
      type: 'map(object({ load_balancer_arn = string, traffic_dial_percentage = optional(number, 100), weight = optional(number, 128) }))',
      description:
        'The load balancer of each Region, by Region (e.g. "us-east-1"): `load_balancer_arn` (from `regional-ingress`), the share of its traffic the Region gets (`traffic_dial_percentage`, 0 to 100) and its weight in its group (0 to 255).',
      validation: [
        { condition: '${length(var.endpoints) > 0}', errorMessage: 'endpoints needs at least one Region.' },
        {
          condition:
            '${alltrue([for e in values(var.endpoints) : e.traffic_dial_percentage >= 0 && e.traffic_dial_percentage <= 100 && floor(e.traffic_dial_percentage) == e.traffic_dial_percentage && e.weight >= 0 && e.weight <= 255 && floor(e.weight) == e.weight])}',
          errorMessage:
            'every traffic_dial_percentage must be a whole number from 0 to 100, and every weight a whole number from 0 to 255.',
        },
      ],
    });
    const bucketName = input.bucketName(
      'flow_log_bucket_name',
      `Name of the flow log bucket the module creates, in ${GLOBAL_ACCELERATOR_REGION} (globally unique).`,
    );
    const keyAlias = input.kmsAlias(
      'kms_key_alias',
      'Alias of the key the module creates for the flow logs, e.g. "alias/acme-shop-global".',
    );
    const flowLogDays = input.days(
      'flow_log_retention_days',
      'Days the flow logs are kept: the expiration of the objects in the flow log bucket (an S3 lifecycle rule).',
      traffic.accelerator.flowLogRetentionDays,
    );
    const flowLogForceDestroy = stack.input('flow_log_bucket_force_destroy', {
      type: 'bool',
      description: 'Let `terraform destroy` delete the flow log bucket with its logs in it.',
      default: false,
    });
    const accountId = input.accountId();

    const key = new CustomerManagedKey(stack, 'key', {
      alias: keyAlias.stringValue,
      description: `Encrypts the flow logs of ${name.stringValue}`,
      accountRootArn: `arn:aws:iam::${accountId.stringValue}:root`,
      statements: [logDeliveryKeyStatement(accountId.stringValue)],
    });
    const accelerator = new Accelerator(stack, 'accelerator', {
      name: name.stringValue,
      ipAddressType: ipAddressType.stringValue as AcceleratorProps['ipAddressType'],
      clientAffinity: clientAffinity.stringValue as AcceleratorProps['clientAffinity'],
      listenerPorts: ports.known ? (ports.value as number[]) : Token.asNumberList(ports.value),
      flowLogs: {
        bucketName: bucketName.stringValue,
        kmsKeyArn: key.keyArn,
        retentionDays: flowLogDays.numberValue,
        accountId: accountId.stringValue,
        forceDestroy: flowLogForceDestroy.booleanValue,
      },
    });
    const region = new DataAwsRegion(stack, 'current', {});
    accelerator.accelerator.addOverride('lifecycle.precondition', [
      {
        condition: `\${${region.id} == "${GLOBAL_ACCELERATOR_REGION}"}`,
        error_message: `The Global Accelerator API is only in ${GLOBAL_ACCELERATOR_REGION}: pass this module a provider in ${GLOBAL_ACCELERATOR_REGION}.`,
      },
    ]);
    // One endpoint group per Region and listener, keyed "<region>-<port>".
    const groups = endpoints.known
      ? Object.fromEntries(
          Object.entries(endpoints.value as Record<string, EndpointInput>).flatMap(([endpointRegion, endpoint]) =>
            Object.entries(accelerator.listenerArns as Record<string, string>).map(([port, listenerArn]) => [
              `${endpointRegion}-${port}`,
              {
                listenerArn,
                region: endpointRegion,
                loadBalancerArn: endpoint.load_balancer_arn,
                trafficDialPercentage: endpoint.traffic_dial_percentage,
                weight: endpoint.weight,
              },
            ]),
          ),
        )
      : namedLocal(
          stack,
          'endpoint_groups',
          `\${merge([for region, endpoint in ${endpoints.stringValue} : { for port, listener_arn in ${Token.asString(accelerator.listenerArns)} : "\${region}-\${port}" => merge(endpoint, { region = region, listener_arn = listener_arn }) }]...)}`,
        );
    new AcceleratorEndpoint(stack, 'endpoints', {
      groups: typeof groups === 'string' ? (Token.asAny(groups) as unknown as Readonly<Record<string, AcceleratorEndpointGroup>>) : groups,
    });
    stack.output('dns_name', accelerator.dnsName, 'DNS name of the accelerator.');
    stack.output('hosted_zone_id', accelerator.hostedZoneId, 'Hosted zone of the accelerator, for alias records.');
    stack.output('ip_sets', accelerator.accelerator.ipSets, 'The static anycast addresses.');
    stack.output('listener_arns', accelerator.listenerArns, 'ARN of each listener, by port.');
    stack.output('flow_log_bucket_name', accelerator.flowLogBucket.bucketName, 'Name of the flow log bucket.');
    stack.output('kms_key_arn', key.keyArn, 'ARN of the key that encrypts the flow logs.');
  },
  example: {
    providers: [{ region: GLOBAL_ACCELERATOR_REGION }],
    inputs: {
      name: 'acme-shop',
      listener_ports: [80, 443],
      endpoints: Object.fromEntries(
        [primaryRegion, secondaryRegion].map((r, i) => [
          r.region,
          { load_balancer_arn: `arn:aws:elasticloadbalancing:${r.region}:${account}:loadbalancer/app/acme-shop/0a1b2c3d4e5f600${i + 1}` },
        ]),
      ),
      flow_log_bucket_name: `acme-shop-galogs-${account}-${GLOBAL_ACCELERATOR_REGION}`,
      kms_key_alias: 'alias/acme-shop-global',
      account_id: account,
    },
  },
  variants: {
    'one-port-dual-stack': { listener_ports: [80], ip_address_type: 'DUAL_STACK', flow_log_bucket_force_destroy: true },
  },
};
