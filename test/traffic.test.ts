import { ConfigError } from '../src/config';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, crossStack, exampleLayouts, example, exampleInput, policyStatements, ref, resourceAt, resources, synth } from './helpers';

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
  const global = result.stacks.get('global')!;

  test('one accelerator, managed through us-west-2, with flow logs on to a bucket that lets log delivery write', () => {
    const accelerators = Object.values(resources(global, 'aws_globalaccelerator_accelerator'));
    expect(accelerators).toHaveLength(1);
    const [accelerator] = accelerators;
    expect(providerRegion(global, accelerator.provider)).toBe('us-west-2');
    const bucket = resourceAt(global, 'aws_s3_bucket', 'global/accelerator/flow-log-bucket/bucket');
    expect(accelerator).toMatchObject({
      enabled: true,
      ip_address_type: 'IPV4',
      attributes: { flow_logs_enabled: true, flow_logs_s3_bucket: ref('aws_s3_bucket', bucket.name, 'id'), flow_logs_s3_prefix: 'global-accelerator/' },
    });
    const policy = resourceAt(global, 'aws_s3_bucket_policy', 'global/accelerator/flow-log-bucket/bucket-policy');
    expect(accelerator.depends_on).toContain(`aws_s3_bucket_policy.${policy.name}`);
    const delivery = policyStatements(global, policy.body.policy).find((s) => s.sid === 'FlowLogDelivery');
    expect(delivery).toMatchObject({ principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }], actions: ['s3:PutObject'] });
    const listeners = Object.values(resources(global, 'aws_globalaccelerator_listener'));
    expect(listeners.map((l) => l.port_range)).toEqual([[{ from_port: 80, to_port: 80 }]]);
    expect(listeners.every((l) => l.protocol === 'TCP' && l.client_affinity === 'NONE')).toBe(true);
  });

  test.each(config.regions.map((r) => [r.region, r] as const))('%s: an endpoint group per listener, in this Region, pointing at this Region\'s load balancer', (_name, region) => {
    const stack = result.stacks.get(`region-${region.region}`)!;
    const groups = Object.values(resources(stack, 'aws_globalaccelerator_endpoint_group'));
    expect(groups).toHaveLength(config.traffic.accelerator.listenerPorts.length);
    const lb = resourceAt(stack, 'aws_lb', `region-${region.region}/ingress/load-balancer`).name;
    for (const group of groups) {
      expect(providerRegion(stack, group.provider)).toBe('us-west-2');
      expect(group).toMatchObject({
        endpoint_group_region: region.region,
        health_check_protocol: 'HTTP',
        health_check_path: '/',
        health_check_port: 80,
        health_check_interval_seconds: 10,
        threshold_count: 3,
        traffic_dial_percentage: 100,
        endpoint_configuration: [{ endpoint_id: ref('aws_lb', lb, 'arn'), weight: 128, client_ip_preservation_enabled: true }],
      });
      expect([10, 30]).toContain(group.health_check_interval_seconds);
      expect(crossStack(result, group.listener_arn)).toEqual({ stack: 'global', value: expect.stringMatching(/^\$\{aws_globalaccelerator_listener\..+\.arn\}$/) });
    }
  });

  test.each(config.regions.map((r) => [r.region, r] as const))('%s: the load balancer is protected, drops invalid headers, logs, and opens only its listener ports', (_name, region) => {
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
  });

  test.each(config.regions.map((r) => [r.region, r] as const))('%s: Fargate tasks in private subnets without public IPs, reachable from the load balancer only', (_name, region) => {
    const stack = result.stacks.get(`region-${region.region}`)!;
    const service = resourceAt(stack, 'aws_ecs_service', `region-${region.region}/workload/service`).body;
    const privateSubnets = Object.entries(resources(stack, 'aws_subnet')).filter(([, s]) => s.tags.Tier === 'private').map(([name]) => ref('aws_subnet', name, 'id'));
    expect(service.network_configuration.subnets.sort()).toEqual(privateSubnets.sort());
    expect(service.network_configuration.assign_public_ip).toBe(false);
    expect(service.launch_type).toBe('FARGATE');
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
  });

  test('least-privilege roles: no "*" action, and no "*" resource, in any role policy (but for actions without resource-level permissions)', () => {
    for (const [name, stack] of result.stacks) {
      for (const policy of Object.values(resources(stack, 'aws_iam_role_policy'))) {
        for (const statement of policyStatements(stack, policy.policy)) {
          for (const action of statement.actions) expect(`${name}: ${action}`).not.toMatch(/^[^:]+: (\*|[a-z0-9-]+:\*)$/);
          // ecr:GetAuthorizationToken has no resource type: IAM accepts it only on "*", alone in its statement.
          if (statement.resources.includes('*')) expect(statement.actions).toEqual(['ecr:GetAuthorizationToken']);
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
    expect(listeners[80].default_action).toEqual([{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }]);
    expect(listeners[443]).toMatchObject({ protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn: certificates[1].certificateArn });
    const group = resourceAt(stack, 'aws_security_group', 'region-us-west-2/ingress/security-group').name;
    expect(rulesOf(stack, 'aws_vpc_security_group_ingress_rule', group).map((r) => r.from_port).sort()).toEqual([443, 80]);
    const ports = Object.values(resources(result.stacks.get('global'), 'aws_globalaccelerator_listener')).map((l) => l.port_range[0].from_port);
    expect(ports.sort()).toEqual([443, 80]);
    expect(Object.keys(resources(stack, 'aws_globalaccelerator_endpoint_group'))).toHaveLength(2);
  });

  test('an internal load balancer sits in the private subnets; traffic dial and weight per Region', () => {
    const regions = [base.regions[0], { ...base.regions[1], trafficDial: 0, endpointWeight: 10 }];
    const result = synth(configFrom({ ...base, regions, traffic: { loadBalancer: { internal: true }, healthCheck: { intervalSeconds: 30, thresholdCount: 5, path: '/healthz' } } }));
    const stack = result.stacks.get('region-us-west-2')!;
    const lb = resourceAt(stack, 'aws_lb', 'region-us-west-2/ingress/load-balancer').body;
    const privateSubnets = Object.entries(resources(stack, 'aws_subnet')).filter(([, s]) => s.tags.Tier === 'private').map(([name]) => ref('aws_subnet', name, 'id'));
    expect(lb.internal).toBe(true);
    expect(lb.subnets.sort()).toEqual(privateSubnets.sort());
    const [group] = Object.values(resources(stack, 'aws_globalaccelerator_endpoint_group'));
    expect(group).toMatchObject({ traffic_dial_percentage: 0, health_check_interval_seconds: 30, threshold_count: 5, health_check_path: '/healthz' });
    expect(group.endpoint_configuration[0].weight).toBe(10);
  });

  test('Route 53 with the accelerator: an alias A record, and AAAA with dual stack', () => {
    const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
    const result = synth(configFrom({ ...base, traffic: { accelerator: { ipAddressType: 'DUAL_STACK' }, route53 } }));
    const records = Object.values(resources(result.stacks.get('global'), 'aws_route53_record'));
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
    expect(resources(result.stacks.get('global'), 'aws_globalaccelerator_accelerator')).toEqual({});
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = result.stacks.get(`region-${region}`)!;
      expect(resources(stack, 'aws_globalaccelerator_endpoint_group')).toEqual({});
      const [record] = Object.values(resources(stack, 'aws_route53_record'));
      expect(record).toMatchObject({
        type: 'A',
        set_identifier: region,
        latency_routing_policy: { region },
        alias: { evaluate_target_health: true },
      });
      expect(record.alias.name).toMatch(/aws_lb\..+\.dns_name/);
    }
  });

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

  test.each([
    ['a health check interval other than 10 or 30', withTraffic({ healthCheck: { intervalSeconds: 20 } }), /^traffic\.healthCheck\.intervalSeconds: must be 10 or 30: Global Accelerator offers only these/],
    ['a threshold above 10', withTraffic({ healthCheck: { thresholdCount: 11 } }), /^traffic\.healthCheck\.thresholdCount: must be 1 to 10/],
    ['a traffic dial above 100', withRegion({ trafficDial: 101 }), /^regions\[1\]\.trafficDial: must be 0 to 100/],
    ['a weight above 255', withRegion({ endpointWeight: 256 }), /^regions\[1\]\.endpointWeight: must be 0 to 255/],
    ['a listener port out of range', withTraffic({ accelerator: { listenerPorts: [70000] } }), /^traffic\.accelerator\.listenerPorts\[0\]: is not a port/],
    ['a duplicated listener port', withTraffic({ accelerator: { listenerPorts: [80, 80] } }), /^traffic\.accelerator\.listenerPorts\[1\]: 80 is listed twice/],
    ['a listener port the load balancers do not serve', withTraffic({ accelerator: { listenerPorts: [80, 443] } }), /^traffic\.accelerator\.listenerPorts\[1\]: the load balancers do not listen on 443 \(they listen on 80\)\. Fix: use 80, or configure a certificateArn in every Region for 443/],
    ['a certificate from another Region', withRegion({ certificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/0e8c5a8e-1111-4222-8333-944445555666' }), /^regions\[1\]\.certificateArn: is a certificate of us-east-1; a load balancer in us-west-2 needs one from its own Region/],
    ['a certificate from another account', withRegion({ certificateArn: 'arn:aws:acm:us-west-2:999999999999:certificate/0e8c5a8e-1111-4222-8333-944445555666' }), /^regions\[1\]\.certificateArn: belongs to account 999999999999/],
    ['a certificate in some Regions only', withRegion({ certificateArn: 'arn:aws:acm:us-west-2:111122223333:certificate/0e8c5a8e-1111-4222-8333-944445555666' }), /^regions: some Regions have a certificateArn and us-east-1 do not/],
    ['HTTPS health checks without certificates', withTraffic({ healthCheck: { protocol: 'HTTPS' } }), /^traffic\.healthCheck\.protocol: HTTPS health checks need an HTTPS listener/],
    ['latency routing without a DNS name', withTraffic({ mode: 'route53-latency' }), /^traffic\.route53: is required with mode "route53-latency"/],
    ['an invalid image reference', withWorkload({ image: 'Nginx:Latest!' }), /^workload\.image: is not a container image reference/],
    ['a CPU and memory pair Fargate does not offer', withWorkload({ cpu: 256, memory: 4096 }), /^workload\.memory: 4096 MiB does not go with 256 CPU units on Fargate\. Fix: use one of 512, 1024, 2048/],
    ['a CPU size Fargate does not offer', withWorkload({ cpu: 300 }), /^workload\.cpu: is not a Fargate CPU size/],
    ['counts out of order', withWorkload({ minCount: 5, maxCount: 3 }), /^workload\.minCount: 5 is above maxCount 3/],
    ['a typo in the workload', withWorkload({ imag: 'nginx' }), /^workload\.imag: unknown key\. Did you mean "image"\? Fix: remove it or use one of: image, port, cpu/],
    ['a workload that is neither "none" nor an object', withWorkload('nginx'), /^workload: has none of the accepted forms\. Fix: correct the value; it is: The default workload/],
  ])('%s', (_label, input, expected) => {
    expect(problems(input)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('valid image references pass', () => {
    for (const image of ['nginx', 'nginx:1.27-alpine', 'public.ecr.aws/nginx/nginx:stable-alpine', '111122223333.dkr.ecr.us-east-1.amazonaws.com/app/web@sha256:' + 'a'.repeat(64), 'localhost:5000/team/app:v1']) {
      expect(problems(withWorkload({ image }))).toEqual([]);
    }
  });
});
