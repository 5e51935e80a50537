import { ConfigError } from '../src/config';
import type { TerraformJson } from '../src/terraform/offline';
import { failoverSeconds } from '../src/planning/failover';
import {
  configFrom,
  crossStack,
  exampleLayouts,
  example,
  exampleInput,
  policyStatements,
  ref,
  resourceAt,
  resources,
  synth,
} from './helpers';

const layouts = exampleLayouts();

function providerRegion(stack: TerraformJson, providerRef: string | undefined): string {
  const alias = providerRef?.startsWith('aws.') ? providerRef.slice(4) : undefined;
  return (stack.provider.aws as TerraformJson[]).find((p) => p.alias === alias)!.region;
}

function rulesOf(stack: TerraformJson, type: string, group: string): TerraformJson[] {
  return Object.values(resources(stack, type)).filter((r) => r.security_group_id === ref('aws_security_group', group, 'id'));
}

describe.each(layouts)('traffic invariants: %s', (_label, config) => {
  const result = synth(config);
  const edge = result.stacks.get('edge')!;

  test('one accelerator, in the edge stack through us-west-2, with flow logs on to a bucket that lets log delivery write', () => {
    const accelerators = Object.values(resources(edge, 'aws_globalaccelerator_accelerator'));
    expect(accelerators).toHaveLength(1);
    const [accelerator] = accelerators;
    expect(providerRegion(edge, accelerator.provider)).toBe('us-west-2');
    const bucket = resourceAt(edge, 'aws_s3_bucket', 'edge/accelerator/flow-log-bucket/bucket');
    expect(bucket.body.bucket).toBe('acme-shop-galogs-111122223333-us-west-2');
    expect(accelerator).toMatchObject({
      enabled: true,
      ip_address_type: 'IPV4',
      attributes: {
        flow_logs_enabled: true,
        flow_logs_s3_bucket: ref('aws_s3_bucket', bucket.name, 'id'),
        flow_logs_s3_prefix: 'global-accelerator',
      },
    });
    const policy = resourceAt(edge, 'aws_s3_bucket_policy', 'edge/accelerator/flow-log-bucket/bucket-policy');
    expect(accelerator.depends_on).toContain(`aws_s3_bucket_policy.${policy.name}`);
    const delivery = policyStatements(edge, policy.body.policy).find((s) => s.sid === 'FlowLogDelivery');
    expect(delivery).toMatchObject({
      principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
      actions: ['s3:PutObject'],
    });
    const listeners = Object.values(resources(edge, 'aws_globalaccelerator_listener'));
    expect(listeners.map((l) => l.port_range)).toEqual([[{ from_port: 80, to_port: 80 }]]);
    expect(listeners.every((l) => l.protocol === 'TCP' && l.client_affinity === 'NONE')).toBe(true);
  });

  test.each(config.regions.map((r) => [r.region, r] as const))(
    "%s: an endpoint group per listener in the edge stack, pointing at this Region's load balancer",
    (_name, region) => {
      const stack = result.stacks.get(`region-${region.region}`)!;
      expect(resources(stack, 'aws_globalaccelerator_endpoint_group')).toEqual({});
      const groups = Object.values(resources(edge, 'aws_globalaccelerator_endpoint_group')).filter(
        (g) => g.endpoint_group_region === region.region,
      );
      expect(groups).toHaveLength(config.traffic.accelerator.listenerPorts.length);
      const lb = resourceAt(stack, 'aws_lb', `region-${region.region}/ingress/load-balancer`).name;
      for (const group of groups) {
        expect(providerRegion(edge, group.provider)).toBe('us-west-2');
        expect(group).toMatchObject({
          traffic_dial_percentage: 100,
          endpoint_configuration: [{ weight: 128, client_ip_preservation_enabled: true }],
        });
        expect(crossStack(result, group.endpoint_configuration[0].endpoint_id)).toEqual({
          stack: `region-${region.region}`,
          value: ref('aws_lb', lb, 'arn'),
        });
        expect(group.listener_arn).toMatch(/^\$\{aws_globalaccelerator_listener\..+\.arn\}$/);
      }
    },
  );

  test("apply-3 health settings: endpoint groups carry none (Global Accelerator uses the load balancer's), the target group carries the configured ones", () => {
    for (const group of Object.values(resources(edge, 'aws_globalaccelerator_endpoint_group'))) {
      for (const key of [
        'health_check_protocol',
        'health_check_path',
        'health_check_port',
        'health_check_interval_seconds',
        'threshold_count',
      ]) {
        expect(group[key]).toBeUndefined();
      }
    }
    for (const region of config.regions) {
      const group = resourceAt(
        result.stacks.get(`region-${region.region}`)!,
        'aws_lb_target_group',
        `region-${region.region}/ingress/target-group`,
      ).body;
      expect(group.health_check).toEqual({
        enabled: true,
        protocol: 'HTTP',
        path: '/',
        matcher: '200-399',
        interval: 10,
        timeout: 5,
        healthy_threshold: 2,
        unhealthy_threshold: 3,
      });
    }
  });

  test.each(config.regions.map((r) => [r.region, r] as const))(
    '%s: the load balancer is protected, drops invalid headers, logs, and opens only its listener ports',
    (_name, region) => {
      const stack = result.stacks.get(`region-${region.region}`)!;
      const lb = resourceAt(stack, 'aws_lb', `region-${region.region}/ingress/load-balancer`).body;
      const logBucket = resourceAt(stack, 'aws_s3_bucket', `region-${region.region}/ingress/access-log-bucket/bucket`);
      const group = resourceAt(stack, 'aws_security_group', `region-${region.region}/ingress/security-group`).name;
      expect(lb).toMatchObject({
        load_balancer_type: 'application',
        internal: false,
        enable_deletion_protection: true, // CKV_AWS_150
        drop_invalid_header_fields: true, // CKV_AWS_131
        access_logs: { bucket: ref('aws_s3_bucket', logBucket.name, 'id'), prefix: 'alb', enabled: true }, // CKV_AWS_91
        security_groups: [ref('aws_security_group', group, 'id')],
      });
      const ingress = rulesOf(stack, 'aws_vpc_security_group_ingress_rule', group);
      expect(ingress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([[80, 80, '0.0.0.0/0']]);
      const egress = rulesOf(stack, 'aws_vpc_security_group_egress_rule', group);
      expect(egress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([[80, 80, region.cidr]]);

      const logPolicy = resourceAt(stack, 'aws_s3_bucket_policy', `region-${region.region}/ingress/access-log-bucket/bucket-policy`).body;
      const statements = policyStatements(stack, logPolicy.policy);
      expect(statements.find((s) => s.sid === 'LoadBalancerLogDelivery')).toMatchObject({
        principals: [{ type: 'Service', identifiers: ['logdelivery.elasticloadbalancing.amazonaws.com'] }],
        actions: ['s3:PutObject'],
        resources: [`arn:aws:s3:::acme-shop-alblogs-111122223333-${region.region}/alb/AWSLogs/111122223333/*`],
      });
      const listeners = Object.values(resources(stack, 'aws_lb_listener'));
      expect(listeners.map((l) => [l.port, l.protocol, l.default_action[0].type])).toEqual([[80, 'HTTP', 'forward']]);
    },
  );

  test.each(config.regions.map((r) => [r.region, r] as const))(
    '%s: Fargate tasks in private subnets without public IPs, reachable from the load balancer only',
    (_name, region) => {
      const stack = result.stacks.get(`region-${region.region}`)!;
      const service = resourceAt(stack, 'aws_ecs_service', `region-${region.region}/workload/service`).body;
      const privateSubnets = Object.entries(resources(stack, 'aws_subnet'))
        .filter(([, s]) => s.tags.Tier === 'private')
        .map(([name]) => ref('aws_subnet', name, 'id'));
      expect(service.network_configuration.subnets.sort()).toEqual(privateSubnets.sort());
      expect(service.network_configuration.assign_public_ip).toBe(false);
      // Always a capacity provider strategy (never launch_type), so that Spot turns on and off in place.
      expect(service.launch_type).toBeUndefined();
      expect(service.capacity_provider_strategy).toEqual([{ capacity_provider: 'FARGATE', base: 0, weight: 1 }]);
      expect(service.force_new_deployment).toBe(true);
      const providers = resourceAt(stack, 'aws_ecs_cluster_capacity_providers', `region-${region.region}/workload/capacity-providers`);
      expect(providers.body.capacity_providers).toEqual(['FARGATE', 'FARGATE_SPOT']);
      expect(service.depends_on).toContain(`aws_ecs_cluster_capacity_providers.${providers.name}`);
      const taskDefinition = resourceAt(stack, 'aws_ecs_task_definition', `region-${region.region}/workload/task-definition`).body;
      expect(taskDefinition.runtime_platform).toEqual({ operating_system_family: 'LINUX', cpu_architecture: 'X86_64' });
      expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
      const group = resourceAt(stack, 'aws_security_group', `region-${region.region}/workload/security-group`).name;
      const albGroup = resourceAt(stack, 'aws_security_group', `region-${region.region}/ingress/security-group`).name;
      expect(rulesOf(stack, 'aws_vpc_security_group_ingress_rule', group)).toEqual([
        expect.objectContaining({ from_port: 80, to_port: 80, referenced_security_group_id: ref('aws_security_group', albGroup, 'id') }),
      ]);
      expect(rulesOf(stack, 'aws_vpc_security_group_ingress_rule', group)[0].cidr_ipv4).toBeUndefined();
      const logGroup = resourceAt(stack, 'aws_cloudwatch_log_group', `region-${region.region}/workload/log-group`).body;
      expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
      const cluster = resourceAt(stack, 'aws_ecs_cluster', `region-${region.region}/workload/cluster`).body;
      expect(cluster.setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]); // CKV_AWS_65
    },
  );

  test("apply-11 edge stack: every Region stack has only its own Region's provider, global only the primary's, edge us-west-2 and, for the health-check alarms, us-east-1", () => {
    const providerRegions = (stack: string) => (result.stacks.get(stack)!.provider.aws as TerraformJson[]).map((p) => p.region);
    for (const region of config.regions) expect(providerRegions(`region-${region.region}`)).toEqual([region.region]);
    expect(providerRegions('global')).toEqual([config.primaryRegion]);
    // Route 53 health checks already need Route 53's control plane in us-east-1, and their metrics
    // exist only there: the alarms on them add no Region the stack did not depend on.
    expect(providerRegions('edge')).toEqual(config.resilience.healthChecks.enabled ? ['us-west-2', 'us-east-1'] : ['us-west-2']);
    expect(result.order.slice(-2)).toEqual(['mesh', 'edge']);
    for (const type of [
      'aws_globalaccelerator_accelerator',
      'aws_globalaccelerator_listener',
      'aws_globalaccelerator_endpoint_group',
      'aws_route53_record',
    ]) {
      for (const [name, stack] of result.stacks)
        if (name !== 'edge') expect(`${name}: ${Object.keys(resources(stack, type)).length}`).toBe(`${name}: 0`);
    }
    expect(Object.keys(resources(edge, 'aws_globalaccelerator_endpoint_group'))).toHaveLength(
      config.regions.length * config.traffic.accelerator.listenerPorts.length,
    );
  });

  test('apply-12 flow-log keys: no trailing slash in the prefix; the policy covers <prefix>/AWSLogs/<account>/ for log delivery of us-west-2', () => {
    const [accelerator] = Object.values(resources(edge, 'aws_globalaccelerator_accelerator'));
    const prefix = accelerator.attributes.flow_logs_s3_prefix as string;
    expect(prefix).not.toMatch(/\/$/);
    const policy = resourceAt(edge, 'aws_s3_bucket_policy', 'edge/accelerator/flow-log-bucket/bucket-policy').body.policy;
    const statements = policyStatements(edge, policy);
    const write = statements.find((s) => s.sid === 'FlowLogDelivery')!;
    // Global Accelerator writes <bucket>/<prefix>/AWSLogs/<account>/globalaccelerator/<region>/yyyy/mm/dd/<file>.
    expect(write.resources).toEqual([`arn:aws:s3:::acme-shop-galogs-111122223333-us-west-2/${prefix}/AWSLogs/111122223333/*`]);
    for (const statement of statements.filter((s) => s.sid.startsWith('FlowLogDelivery'))) {
      expect(statement.condition).toContainEqual({
        test: 'ArnLike',
        variable: 'aws:SourceArn',
        values: ['arn:aws:logs:us-west-2:111122223333:*'],
      });
    }
  });

  const VENDED_LOG_DELIVERY_ACTIONS = [
    'logs:CreateLogDelivery',
    'logs:GetLogDelivery',
    'logs:UpdateLogDelivery',
    'logs:DeleteLogDelivery',
    'logs:ListLogDeliveries',
    'logs:PutResourcePolicy',
    'logs:DescribeResourcePolicies',
    'logs:DescribeLogGroups',
  ];

  test('least-privilege roles: no "*" action, and no "*" resource, in any role policy (but for actions without resource-level permissions)', () => {
    for (const [name, stack] of result.stacks) {
      for (const policy of Object.values(resources(stack, 'aws_iam_role_policy'))) {
        for (const statement of policyStatements(stack, policy.policy)) {
          for (const action of statement.actions) expect(`${name}: ${action}`).not.toMatch(/^[^:]+: (\*|[a-z0-9-]+:\*)$/);
          // ecr:GetAuthorizationToken has no resource type: IAM accepts it only on "*", alone in its statement.
          // Nor have the CloudWatch Logs vended log delivery actions a runbook's execution logs need
          // (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy).
          if (statement.resources.includes('*')) {
            expect([['ecr:GetAuthorizationToken'], VENDED_LOG_DELIVERY_ACTIONS]).toContainEqual(statement.actions);
          }
        }
      }
    }
  });
});

describe('traffic options', () => {
  const base = exampleInput();
  const certificates = base.regions.map((r) => ({
    ...r,
    certificateArn: `arn:aws:acm:${r.region}:111122223333:certificate/0e8c5a8e-1111-4222-8333-94444555566${r.primary ? '6' : '7'}`,
  }));

  test('with certificates: HTTPS with a modern TLS policy, HTTP redirects, and the accelerator listens on 443 too', () => {
    const result = synth(configFrom({ ...base, regions: certificates }));
    const stack = result.stacks.get('region-us-west-2')!;
    const listeners = Object.fromEntries(Object.values(resources(stack, 'aws_lb_listener')).map((l) => [l.port, l]));
    expect(listeners[80].default_action).toEqual([
      { type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } },
    ]);
    expect(listeners[443]).toMatchObject({
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: certificates[1].certificateArn,
    });
    const group = resourceAt(stack, 'aws_security_group', 'region-us-west-2/ingress/security-group').name;
    expect(
      rulesOf(stack, 'aws_vpc_security_group_ingress_rule', group)
        .map((r) => r.from_port)
        .sort(),
    ).toEqual([443, 80]);
    const ports = Object.values(resources(result.stacks.get('edge'), 'aws_globalaccelerator_listener')).map(
      (l) => l.port_range[0].from_port,
    );
    expect(ports.sort()).toEqual([443, 80]);
    const groups = Object.values(resources(result.stacks.get('edge'), 'aws_globalaccelerator_endpoint_group'));
    expect(groups.filter((g) => g.endpoint_group_region === 'us-west-2')).toHaveLength(2);
  });

  test('an internal load balancer sits in the private subnets; traffic dial and weight per Region', () => {
    const regions = [base.regions[0], { ...base.regions[1], trafficDial: 0, endpointWeight: 10 }];
    const result = synth(configFrom({ ...base, regions, traffic: { loadBalancer: { internal: true } } }));
    const stack = result.stacks.get('region-us-west-2')!;
    const lb = resourceAt(stack, 'aws_lb', 'region-us-west-2/ingress/load-balancer').body;
    const privateSubnets = Object.entries(resources(stack, 'aws_subnet'))
      .filter(([, s]) => s.tags.Tier === 'private')
      .map(([name]) => ref('aws_subnet', name, 'id'));
    expect(lb.internal).toBe(true);
    expect(lb.subnets.sort()).toEqual(privateSubnets.sort());
    const [group] = Object.values(resources(result.stacks.get('edge'), 'aws_globalaccelerator_endpoint_group')).filter(
      (g) => g.endpoint_group_region === 'us-west-2',
    );
    expect(group.traffic_dial_percentage).toBe(0);
    expect(group.endpoint_configuration[0].weight).toBe(10);
  });

  test("apply-3 health settings: traffic.healthCheck drives every target group's health check", () => {
    const healthCheck = {
      protocol: 'HTTPS',
      path: '/healthz',
      matcher: '200,204',
      intervalSeconds: 30,
      timeoutSeconds: 6,
      healthyThresholdCount: 4,
      unhealthyThresholdCount: 5,
    };
    const result = synth(configFrom({ ...base, traffic: { healthCheck } }));
    for (const region of ['us-east-1', 'us-west-2']) {
      const group = resourceAt(result.stacks.get(`region-${region}`)!, 'aws_lb_target_group', `region-${region}/ingress/target-group`).body;
      expect(group.health_check).toEqual({
        enabled: true,
        protocol: 'HTTPS',
        path: '/healthz',
        matcher: '200,204',
        interval: 30,
        timeout: 6,
        healthy_threshold: 4,
        unhealthy_threshold: 5,
      });
    }
  });

  test('apply-3 health settings: the designed failover time follows from the health check and the mode', () => {
    expect(failoverSeconds(configFrom(base).traffic)).toMatchObject({ detectionSeconds: 30, reactionSeconds: 30, totalSeconds: 60 });
    const slow = configFrom({ ...base, traffic: { healthCheck: { intervalSeconds: 30, unhealthyThresholdCount: 5 } } });
    expect(failoverSeconds(slow.traffic)).toMatchObject({
      detectionSeconds: 150,
      totalSeconds: 180,
      formula: '30 s x 5 + 30 s (Global Accelerator reaction) = 180 s',
    });
    const latency = configFrom({
      ...base,
      traffic: { mode: 'route53-latency', route53: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' } },
    });
    expect(failoverSeconds(latency.traffic)).toMatchObject({ detectionSeconds: 30, reactionSeconds: 60, totalSeconds: 90 });
  });

  test('Route 53 with the accelerator: an alias A record, and AAAA with dual stack', () => {
    const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
    const result = synth(configFrom({ ...base, traffic: { accelerator: { ipAddressType: 'DUAL_STACK' }, route53 } }));
    expect(resources(result.stacks.get('global'), 'aws_route53_record')).toEqual({});
    const records = Object.values(resources(result.stacks.get('edge'), 'aws_route53_record'));
    expect(records.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records) {
      expect(record).toMatchObject({ zone_id: route53.hostedZoneId, name: route53.recordName });
      // Only the dual-stack DNS name has AAAA records.
      expect(record.alias.name).toMatch(/aws_globalaccelerator_accelerator\..+\.dual_stack_dns_name/);
    }
  });

  test('route53-latency instead of Global Accelerator: a latency alias per Region to its load balancer, with health evaluation', () => {
    const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
    const result = synth(configFrom({ ...base, traffic: { mode: 'route53-latency', route53 } }));
    const edge = result.stacks.get('edge')!;
    expect(resources(edge, 'aws_globalaccelerator_accelerator')).toEqual({});
    expect(resources(edge, 'aws_s3_bucket')).toEqual({});
    // apply-11 edge stack: latency records go through the Route 53 control plane's Region only.
    expect((edge.provider.aws as TerraformJson[]).map((p) => p.region)).toEqual(['us-east-1']);
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = result.stacks.get(`region-${region}`)!;
      expect(resources(stack, 'aws_route53_record')).toEqual({});
      const record = Object.values(resources(edge, 'aws_route53_record')).find((r) => r.set_identifier === region)!;
      expect(crossStack(result, record.alias.name).stack).toBe(`region-${region}`);
      expect(record).toMatchObject({
        type: 'A',
        set_identifier: region,
        latency_routing_policy: { region },
        alias: { evaluate_target_health: true },
      });
      expect(crossStack(result, record.alias.name).value).toMatch(/aws_lb\..+\.dns_name/);
    }
  });

  test('apply-2 replacements: the load balancer is protected and carries prevent_destroy by default; off with deletionProtection false', () => {
    const lbOf = (result: ReturnType<typeof synth>) =>
      resourceAt(result.stacks.get('region-us-west-2')!, 'aws_lb', 'region-us-west-2/ingress/load-balancer').body;
    expect(lbOf(synth(configFrom(base)))).toMatchObject({ enable_deletion_protection: true, lifecycle: { prevent_destroy: true } });
    const off = lbOf(synth(configFrom({ ...base, traffic: { loadBalancer: { deletionProtection: false } } })));
    expect(off.enable_deletion_protection).toBe(false);
    expect(off.lifecycle).toBeUndefined();
  });

  test('apply-2 replacements: the target group has a generated name (6-character prefix) and is replaced create-first', () => {
    const stack = synth(configFrom(base)).stacks.get('region-us-east-1')!;
    const group = resourceAt(stack, 'aws_lb_target_group', 'region-us-east-1/ingress/target-group').body;
    expect(group.name).toBeUndefined();
    expect(group.name_prefix).toBe('acme-');
    expect(group.name_prefix.length).toBeLessThanOrEqual(6);
    expect(group.lifecycle).toEqual({ create_before_destroy: true });
  });

  test('apply-2 replacements: security group descriptions do not depend on ports or certificates', () => {
    const descriptions = (input: unknown) => {
      const stack = synth(configFrom(input)).stacks.get('region-us-west-2')!;
      return Object.values(resources(stack, 'aws_security_group'))
        .map((g) => g.description)
        .sort();
    };
    expect(descriptions({ ...base, regions: certificates, workload: { port: 8080 }, database: { engine: 'aurora-mysql' } })).toEqual(
      descriptions(base),
    );
  });

  test.each([
    [false, true, true],
    [true, false, false],
  ])(
    'apply-5 teardown: decommission %s: load balancer protection %s, prevent_destroy %s, log buckets emptied by destroy accordingly',
    (decommission, protection, preventDestroy) => {
      const result = synth(configFrom({ ...base, decommission }));
      for (const region of ['us-east-1', 'us-west-2']) {
        const stack = result.stacks.get(`region-${region}`)!;
        const lb = resourceAt(stack, 'aws_lb', `region-${region}/ingress/load-balancer`).body;
        expect(lb.enable_deletion_protection).toBe(protection);
        expect(lb.lifecycle?.prevent_destroy === true).toBe(preventDestroy);
        expect(resourceAt(stack, 'aws_s3_bucket', `region-${region}/ingress/access-log-bucket/bucket`).body.force_destroy).toBe(
          decommission,
        );
        expect(resourceAt(stack, 'aws_s3_bucket', `region-${region}/access-log-bucket/bucket`).body.force_destroy).toBe(decommission);
      }
      expect(resourceAt(result.stacks.get('edge')!, 'aws_s3_bucket', 'edge/accelerator/flow-log-bucket/bucket').body.force_destroy).toBe(
        decommission,
      );
    },
  );

  test('workload "none": no ECS, and the target group ARN is an output for your own service', () => {
    const result = synth(configFrom({ ...base, workload: 'none' }));
    const stack = result.stacks.get('region-us-east-1')!;
    expect(resources(stack, 'aws_ecs_service')).toEqual({});
    expect(resources(stack, 'aws_ecs_cluster')).toEqual({});
    expect(stack.output['target-group-arn'].value).toMatch(/aws_lb_target_group\..+\.arn/);
  });

  test('the workload gets the Region and the database endpoints, never a secret', () => {
    const stack = synth(example('two-region')).stacks.get('region-us-west-2')!;
    const definition = resourceAt(stack, 'aws_ecs_task_definition', 'region-us-west-2/workload/task-definition').body;
    expect(definition).toMatchObject({ cpu: '256', memory: '512', network_mode: 'awsvpc', requires_compatibilities: ['FARGATE'] });
    const containers = definition.container_definitions as string;
    for (const name of ['APP_REGION', 'DATABASE_WRITER_ENDPOINT', 'DATABASE_READER_ENDPOINT', 'DATABASE_PORT', 'DATABASE_NAME']) {
      expect(containers).toContain(`"name" = "${name}"`);
    }
    expect(containers).not.toMatch(/password|secret/i);
    expect(containers).toContain('awslogs-group');
  });

  test('adding a Region still leaves existing Region stacks byte-identical', () => {
    const two = synth(example('two-region'));
    const three = synth(configFrom({ ...base, regions: [...base.regions, { region: 'eu-west-1', cidr: '10.30.0.0/16' }] }));
    for (const stack of ['region-us-east-1', 'region-us-west-2', 'global']) {
      expect(three.stacks.get(stack)).toEqual(two.stacks.get(stack));
    }
  });
});

describe('traffic configuration errors', () => {
  const problems = (input: unknown) => {
    try {
      configFrom(input);
      return [];
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return error.problems.map((p) => `${p.path}: ${p.message}`);
    }
  };
  const base = exampleInput();
  const withTraffic = (traffic: unknown) => ({ ...base, traffic });
  const withWorkload = (workload: unknown) => ({ ...base, workload });
  const withRegion = (extra: Record<string, unknown>) => ({ ...base, regions: [base.regions[0], { ...base.regions[1], ...extra }] });
  const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };

  test.each([
    [
      'apply-3 health settings: an interval below 5 s',
      withTraffic({ healthCheck: { intervalSeconds: 4 } }),
      /^traffic\.healthCheck\.intervalSeconds: must be 5 to 300 seconds/,
    ],
    [
      'apply-3 health settings: a threshold above 10',
      withTraffic({ healthCheck: { unhealthyThresholdCount: 11 } }),
      /^traffic\.healthCheck\.unhealthyThresholdCount: must be 2 to 10/,
    ],
    [
      'apply-3 health settings: a timeout not below the interval',
      withTraffic({ healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } }),
      /^traffic\.healthCheck\.timeoutSeconds: 10 s is not below intervalSeconds 10/,
    ],
    [
      'apply-3 health settings: a matcher outside 200 to 499',
      withTraffic({ healthCheck: { matcher: '200-599' } }),
      /^traffic\.healthCheck\.matcher: is not a list of HTTP codes 200 to 499/,
    ],
    [
      'apply-3 health settings: the old accelerator threshold',
      withTraffic({ healthCheck: { thresholdCount: 3 } }),
      /^traffic\.healthCheck\.thresholdCount: was split: .*Fix: use traffic\.healthCheck\.unhealthyThresholdCount/,
    ],
    [
      'apply-3 health settings: the old health check port',
      withTraffic({ healthCheck: { port: 80 } }),
      /^traffic\.healthCheck\.port: is gone: .*Fix: remove it/,
    ],
    [
      'apply-3 health settings: the old workload health check path',
      withWorkload({ healthCheckPath: '/healthz' }),
      /^workload\.healthCheckPath: moved to traffic\.healthCheck\.path .*Fix: set traffic\.healthCheck\.path instead/,
    ],
    [
      'apply-8 latency records to internal load balancers',
      withTraffic({ mode: 'route53-latency', route53, loadBalancer: { internal: true } }),
      /^traffic\.loadBalancer\.internal: .*"route53-latency" would publish in public DNS\. Fix: set traffic\.loadBalancer\.internal to false, or use traffic\.mode "global-accelerator"/,
    ],
    [
      'input-8 accelerator settings with latency records',
      withTraffic({ mode: 'route53-latency', route53, accelerator: { clientAffinity: 'SOURCE_IP' } }),
      /^traffic\.accelerator\.clientAffinity: only applies with traffic\.mode "global-accelerator"/,
    ],
    [
      'input-8 accelerator ports with latency records',
      withTraffic({ mode: 'route53-latency', route53, accelerator: { listenerPorts: [80] } }),
      /^traffic\.accelerator\.listenerPorts: only applies with traffic\.mode "global-accelerator"/,
    ],
    [
      'input-8 a traffic dial with latency records',
      { ...withRegion({ trafficDial: 0 }), traffic: { mode: 'route53-latency', route53 } },
      /^regions\[1\]\.trafficDial: only applies with traffic\.mode "global-accelerator"/,
    ],
    [
      'input-8 an endpoint weight with latency records',
      { ...withRegion({ endpointWeight: 10 }), traffic: { mode: 'route53-latency', route53 } },
      /^regions\[1\]\.endpointWeight: only applies with traffic\.mode "global-accelerator"/,
    ],
    ['a traffic dial above 100', withRegion({ trafficDial: 101 }), /^regions\[1\]\.trafficDial: must be 0 to 100/],
    ['a weight above 255', withRegion({ endpointWeight: 256 }), /^regions\[1\]\.endpointWeight: must be 0 to 255/],
    [
      'a listener port out of range',
      withTraffic({ accelerator: { listenerPorts: [70000] } }),
      /^traffic\.accelerator\.listenerPorts\[0\]: is not a port/,
    ],
    [
      'a duplicated listener port',
      withTraffic({ accelerator: { listenerPorts: [80, 80] } }),
      /^traffic\.accelerator\.listenerPorts\[1\]: 80 is listed twice/,
    ],
    [
      'a listener port the load balancers do not serve',
      withTraffic({ accelerator: { listenerPorts: [80, 443] } }),
      /^traffic\.accelerator\.listenerPorts\[1\]: the load balancers do not listen on 443 \(they listen on 80\)\. Fix: use 80, or configure a certificateArn in every Region for 443/,
    ],
    [
      'a certificate from another Region',
      withRegion({ certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0e8c5a8e-1111-4222-8333-944445555666' }),
      /^regions\[1\]\.certificateArn: is a certificate of us-east-1; a load balancer in us-west-2 needs one from its own Region/,
    ],
    [
      'a certificate from another account',
      withRegion({ certificateArn: 'arn:aws:acm:us-west-2:999999999999:certificate/0e8c5a8e-1111-4222-8333-944445555666' }),
      /^regions\[1\]\.certificateArn: belongs to account 999999999999/,
    ],
    [
      'a certificate in some Regions only',
      withRegion({ certificateArn: 'arn:aws:acm:us-west-2:111122223333:certificate/0e8c5a8e-1111-4222-8333-944445555666' }),
      /^regions: some Regions have a certificateArn and us-east-1 do not/,
    ],
    [
      'apply-3 health settings: a TCP target health check',
      withTraffic({ healthCheck: { protocol: 'TCP' } }),
      /^traffic\.healthCheck\.protocol: "TCP" is not a target health check protocol/,
    ],
    [
      'latency routing without a DNS name',
      withTraffic({ mode: 'route53-latency' }),
      /^traffic\.route53: is required with mode "route53-latency"/,
    ],
    ['an invalid image reference', withWorkload({ image: 'Nginx:Latest!' }), /^workload\.image: is not a container image reference/],
    [
      'a CPU and memory pair Fargate does not offer',
      withWorkload({ cpu: 256, memory: 4096 }),
      /^workload\.memory: 4096 MiB does not go with 256 CPU units on Fargate\. Fix: use one of 512, 1024, 2048/,
    ],
    ['a CPU size Fargate does not offer', withWorkload({ cpu: 300 }), /^workload\.cpu: is not a Fargate CPU size/],
    ['counts out of order', withWorkload({ minCount: 5, maxCount: 3 }), /^workload\.minCount: 5 is above maxCount 3/],
    [
      'a typo in the workload',
      withWorkload({ imag: 'nginx' }),
      /^workload\.imag: unknown key\. Did you mean "image"\? Fix: remove it or use one of: image, port, cpu/,
    ],
    [
      'a workload that is neither "none" nor an object',
      withWorkload('nginx'),
      /^workload: has none of the accepted forms\. Fix: correct the value; it is: The default workload/,
    ],
  ])('%s', (_label, input, expected) => {
    expect(problems(input)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('input-8 latency records with every accelerator setting at its default pass', () => {
    expect(problems(withTraffic({ mode: 'route53-latency', route53, accelerator: { ipAddressType: 'IPV4' } }))).toEqual([]);
  });

  test('valid image references pass', () => {
    for (const image of [
      'nginx',
      'nginx:1.27-alpine',
      'public.ecr.aws/nginx/nginx:stable-alpine',
      '111122223333.dkr.ecr.us-east-1.amazonaws.com/app/web@sha256:' + 'a'.repeat(64),
      'localhost:5000/team/app:v1',
    ]) {
      expect(problems(withWorkload({ image }))).toEqual([]);
    }
  });
});
