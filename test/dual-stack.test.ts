import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, validateConfig } from '../src/config';
import { ipv6SubnetNetnum, ipv6SubnetNetnumExpression, SUBNET_TIERS } from '../src/planning/subnets';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, crossStack, exampleInput, ref, resourceAt, resources, synth, tempDir, type Synthesized } from './helpers';

const REGIONS = ['us-east-1', 'us-west-2'];
const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };

/** The two-Region example with a certificate in every Region (HTTP and HTTPS listeners), Route 53, and the given accelerator address type. */
function layout(ipAddressType: 'IPV4' | 'DUAL_STACK', traffic: Record<string, unknown> = {}): Synthesized {
  const input = exampleInput();
  return synth(
    configFrom({
      ...input,
      regions: input.regions.map((r, i) => ({
        ...r,
        certificateArn: `arn:aws:acm:${r.region}:111122223333:certificate/0e8c5a8e-1111-4222-8333-94444555566${i}`,
      })),
      traffic: { accelerator: { ipAddressType, listenerPorts: [80, 443] }, route53, ...traffic },
    }),
  );
}

function removeOutdir(result: Synthesized): void {
  fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
}

function subnetsOf(stack: TerraformJson, tier: string): Array<[string, TerraformJson]> {
  return Object.entries(resources(stack, 'aws_subnet')).filter(([, subnet]) => subnet.tags.Tier === tier);
}

describe('apply-1 dual stack end to end', () => {
  const dual = layout('DUAL_STACK');
  const ipv4 = layout('IPV4');
  afterAll(() => [dual, ipv4].forEach(removeOutdir));

  test.each(REGIONS)(
    'apply-1 dual stack %s: the VPC gets an Amazon IPv6 /56 and each public subnet a /64 of it, by AZ letter; the other tiers stay IPv4',
    (region) => {
      const stack = dual.stacks.get(`region-${region}`)!;
      const vpc = resourceAt(stack, 'aws_vpc', `region-${region}/network/vpc`);
      expect(vpc.body.assign_generated_ipv6_cidr_block).toBe(true);
      const publicSubnets = subnetsOf(stack, 'public');
      expect(publicSubnets.length).toBeGreaterThanOrEqual(2);
      for (const [, subnet] of publicSubnets) {
        const slot = subnet.availability_zone.charCodeAt(subnet.availability_zone.length - 1) - 'a'.charCodeAt(0);
        expect(subnet.ipv6_cidr_block).toBe(`\${cidrsubnet(aws_vpc.${vpc.name}.ipv6_cidr_block, 8, ${slot})}`);
        // An in-place update when dual stack is turned on later, not a replacement.
        expect(subnet.assign_ipv6_address_on_creation).not.toBe(true);
      }
      for (const tier of ['private', 'database', 'transit']) {
        for (const [, subnet] of subnetsOf(stack, tier)) expect(subnet.ipv6_cidr_block).toBeUndefined();
      }
    },
  );

  test.each(REGIONS)(
    'apply-1 dual stack %s: an IPv6 default route to the internet gateway in the public route table only, and IPv6 through the network ACL',
    (region) => {
      const stack = dual.stacks.get(`region-${region}`)!;
      const publicTable = resourceAt(stack, 'aws_route_table', `region-${region}/network/public-route-table`).name;
      const igw = resourceAt(stack, 'aws_internet_gateway', `region-${region}/network/internet-gateway`).name;
      const ipv6Routes = Object.values(resources(stack, 'aws_route')).filter((r) => r.destination_ipv6_cidr_block !== undefined);
      expect(ipv6Routes).toEqual([
        expect.objectContaining({
          destination_ipv6_cidr_block: '::/0',
          gateway_id: ref('aws_internet_gateway', igw, 'id'),
          route_table_id: ref('aws_route_table', publicTable, 'id'),
        }),
      ]);
      expect(Object.keys(resources(stack, 'aws_egress_only_internet_gateway'))).toEqual([]);
      const acl = resourceAt(stack, 'aws_default_network_acl', `region-${region}/network/default-network-acl`).body;
      for (const direction of ['ingress', 'egress']) {
        expect(acl[direction]).toContainEqual(expect.objectContaining({ ipv6_cidr_block: '::/0', action: 'allow', protocol: '-1' }));
        expect(acl[direction]).toContainEqual(expect.objectContaining({ cidr_block: '0.0.0.0/0', action: 'allow', protocol: '-1' }));
      }
    },
  );

  test.each(REGIONS)(
    'apply-1 dual stack %s: a dualstack load balancer in the public subnets, open to ::/0 beside 0.0.0.0/0 on each listener port, behind a client-IP-preserving endpoint',
    (region) => {
      const stack = dual.stacks.get(`region-${region}`)!;
      const lb = resourceAt(stack, 'aws_lb', `region-${region}/ingress/load-balancer`);
      expect(lb.body).toMatchObject({ ip_address_type: 'dualstack', internal: false });
      expect([...lb.body.subnets].sort()).toEqual(
        subnetsOf(stack, 'public')
          .map(([name]) => ref('aws_subnet', name, 'id'))
          .sort(),
      );
      const group = resourceAt(stack, 'aws_security_group', `region-${region}/ingress/security-group`).name;
      const ingress = Object.values(resources(stack, 'aws_vpc_security_group_ingress_rule')).filter(
        (r) => r.security_group_id === ref('aws_security_group', group, 'id'),
      );
      const opened = ingress.map((r) => `${r.from_port}-${r.to_port} ${r.cidr_ipv4 ?? r.cidr_ipv6}`).sort();
      expect(opened).toEqual(['443-443 0.0.0.0/0', '443-443 ::/0', '80-80 0.0.0.0/0', '80-80 ::/0']);
      for (const rule of ingress) expect(rule.cidr_ipv4 === undefined).not.toBe(rule.cidr_ipv6 === undefined);
      // The endpoint groups live in the edge stack and read the load balancer through remote state.
      const endpointGroups = Object.values(resources(dual.stacks.get('edge'), 'aws_globalaccelerator_endpoint_group')).filter(
        (g) => g.endpoint_group_region === region,
      );
      expect(endpointGroups).toHaveLength(2);
      for (const endpointGroup of endpointGroups) {
        const [endpoint] = endpointGroup.endpoint_configuration as TerraformJson[];
        expect(endpoint.client_ip_preservation_enabled).toBe(true);
        expect(crossStack(dual, endpoint.endpoint_id)).toEqual({ stack: `region-${region}`, value: ref('aws_lb', lb.name, 'arn') });
      }
    },
  );

  test('apply-1 dual stack: a DUAL_STACK accelerator, and A and AAAA aliases to its dual-stack DNS name', () => {
    const edge = dual.stacks.get('edge')!;
    const [[acceleratorName, accelerator]] = Object.entries(resources(edge, 'aws_globalaccelerator_accelerator'));
    expect(accelerator.ip_address_type).toBe('DUAL_STACK');
    const records = Object.values(resources(edge, 'aws_route53_record'));
    expect(records.map((r) => r.type).sort()).toEqual(['A', 'AAAA']);
    for (const record of records)
      expect(record.alias.name).toBe(ref('aws_globalaccelerator_accelerator', acceleratorName, 'dual_stack_dns_name'));
  });

  test('apply-1 IPv4 (the default): no IPv6 anywhere, ipv4 load balancers, and only an A alias to the IPv4 DNS name', () => {
    for (const [name, stack] of ipv4.stacks) {
      const text = JSON.stringify(stack);
      expect({ name, ipv6: /ipv6|::\/0|dualstack|dual_stack/i.exec(text)?.[0] }).toEqual({ name, ipv6: undefined });
    }
    for (const region of REGIONS) {
      expect(
        resourceAt(ipv4.stacks.get(`region-${region}`)!, 'aws_lb', `region-${region}/ingress/load-balancer`).body.ip_address_type,
      ).toBe('ipv4');
    }
    const edge = ipv4.stacks.get('edge')!;
    const [[acceleratorName, accelerator]] = Object.entries(resources(edge, 'aws_globalaccelerator_accelerator'));
    expect(accelerator.ip_address_type).toBe('IPV4');
    const records = Object.values(resources(edge, 'aws_route53_record'));
    expect(records.map((r) => [r.type, r.alias.name])).toEqual([
      ['A', ref('aws_globalaccelerator_accelerator', acceleratorName, 'dns_name')],
    ]);
  });

  test('apply-1 turning dual stack on later replaces nothing: every IPv4 resource stays, with the same arguments but for ones the provider updates in place', () => {
    // Updated in place: aws_vpc.assign_generated_ipv6_cidr_block (vpc_.go) and aws_subnet.ipv6_cidr_block
    // (vpc_subnet.go: no ForceNew, replaced only with assign_ipv6_address_on_creation on),
    // aws_lb.ip_address_type (load_balancer.go: SetIpAddressType), the network ACL's rules, and
    // aws_globalaccelerator_accelerator.ip_address_type (accelerator.go: UpdateAccelerator).
    const inPlace: Record<string, string[]> = {
      aws_lb: ['ip_address_type'],
      aws_default_network_acl: ['ingress', 'egress'],
      aws_globalaccelerator_accelerator: ['ip_address_type'],
      aws_route53_record: ['alias'],
    };
    for (const [stackName, before] of ipv4.stacks) {
      const after = dual.stacks.get(stackName)!;
      for (const [type, byName] of Object.entries((before.resource ?? {}) as Record<string, Record<string, TerraformJson>>)) {
        for (const [name, body] of Object.entries(byName)) {
          const changed = Object.keys(body).filter(
            (key) => key !== '//' && JSON.stringify(body[key]) !== JSON.stringify(after.resource?.[type]?.[name]?.[key]),
          );
          const unexpected = changed.filter((key) => !(inPlace[type] ?? []).includes(key));
          expect({ resource: `${stackName} ${type}.${name}`, unexpected }).toEqual({
            resource: `${stackName} ${type}.${name}`,
            unexpected: [],
          });
        }
      }
    }
  });
});

describe('apply-1 combinations that cannot work', () => {
  test('apply-1 an internal load balancer with a dual-stack accelerator is refused, naming both fields and the fix', () => {
    const input = { ...exampleInput(), traffic: { accelerator: { ipAddressType: 'DUAL_STACK' }, loadBalancer: { internal: true } } };
    let error: unknown;
    try {
      validateConfig(input, 'test.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].path).toBe('traffic.loadBalancer.internal');
    expect(problems[0].message).toMatch(
      /traffic\.accelerator\.ipAddressType "DUAL_STACK".*Fix: set traffic\.loadBalancer\.internal to false, or traffic\.accelerator\.ipAddressType to "IPV4"/,
    );
    expect(() => configFrom({ ...input, traffic: { ...input.traffic, accelerator: { ipAddressType: 'IPV4' } } })).not.toThrow();
  });
});

describe('apply-1 IPv6 subnet numbering', () => {
  test('apply-1 a tier owns 8 /64 slots and an AZ takes the slot of its letter, in TypeScript and in Terraform alike', () => {
    expect(ipv6SubnetNetnum('public', 'us-east-1a')).toBe(0);
    expect(ipv6SubnetNetnum('public', 'us-east-1c')).toBe(2);
    expect(ipv6SubnetNetnum('private', 'us-east-1c')).toBe(10);
    expect(() => ipv6SubnetNetnum('public', 'us-east-1z')).toThrow(/no subnet slot/);
    expect(ipv6SubnetNetnumExpression('public', 'each.key')).toBe(
      'index(["a", "b", "c", "d", "e", "f", "g", "h"], substr(each.key, -1, 1))',
    );
    expect(ipv6SubnetNetnumExpression('database', 'each.key')).toBe(
      '16 + index(["a", "b", "c", "d", "e", "f", "g", "h"], substr(each.key, -1, 1))',
    );
  });

  test('apply-1 Terraform evaluates the expression to the same /64 as the literal netnum (terraform console)', () => {
    const block = '"2600:1f18:abc:de00::/56"';
    const azs = ['us-east-1a', 'us-east-1c', 'eu-west-3b', 'ap-south-2h'];
    const cases = SUBNET_TIERS.flatMap((tier) => azs.map((az) => ({ tier, az })));
    const list = (netnum: (c: { tier: (typeof SUBNET_TIERS)[number]; az: string }) => string) =>
      `[${cases.map((c) => `cidrsubnet(${block}, 8, ${netnum(c)})`).join(', ')}]`;
    const dir = tempDir('aa-console-');
    try {
      const console = spawnSync('terraform', ['console'], {
        cwd: dir,
        // One expression: piped into the console, only the last line's value is printed.
        input: `jsonencode([${list((c) => ipv6SubnetNetnumExpression(c.tier, JSON.stringify(c.az)))}, ${list((c) => String(ipv6SubnetNetnum(c.tier, c.az)))}])\n`,
        encoding: 'utf8',
      });
      expect(console.status).toBe(0);
      const [fromExpression, fromLiteral] = JSON.parse(JSON.parse(console.stdout.trim())) as string[][];
      expect(fromExpression).toEqual(fromLiteral);
      expect(new Set(fromLiteral).size).toBe(cases.length);
      expect(fromLiteral.slice(0, 2)).toEqual(['2600:1f18:abc:de00::/64', '2600:1f18:abc:de02::/64']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
