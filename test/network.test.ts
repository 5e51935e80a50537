import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IPv4CidrRange } from 'ip-num';
import { RegionalNetwork, type RegionalNetworkProps } from '../src/constructs/network/regional-network';
import { regionPairs } from '../src/planning/pairs';
import { planSubnets, SUBNET_TIERS } from '../src/planning/subnets';
import type { TerraformJson } from '../src/terraform/offline';
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
  type Synthesized,
} from './helpers';

const layouts = exampleLayouts();
const synthesized = new Map(layouts.map(([label, config]) => [label, synth(config)]));

function regionStack(result: Synthesized, region: string): TerraformJson {
  return result.stacks.get(`region-${region}`)!;
}

/** The remote-state stack a cross-stack reference in the mesh reads, e.g. `region-us-east-1`. */
function referencedStack(reference: string): string {
  const match = /cross-stack-reference-input-([a-z0-9-]+)\.outputs/.exec(reference);
  if (!match) throw new Error(`not a cross-stack reference: ${reference}`);
  return match[1];
}

function providerRegion(result: Synthesized, stack: string, providerRef: string | undefined): string {
  const providers: TerraformJson[] = result.stacks.get(stack)!.provider.aws;
  const alias = providerRef?.startsWith('aws.') ? providerRef.slice(4) : undefined;
  return providers.find((p) => p.alias === alias)!.region;
}

describe.each(layouts)('network invariants: %s', (label, config) => {
  const result = synthesized.get(label)!;

  test.each(config.regions.map((r) => [r.region, r] as const))(
    '%s: one VPC with DNS, every tier in every AZ, nothing public by default',
    (_region, region) => {
      const stack = regionStack(result, region.region);
      const vpcs = Object.values(resources(stack, 'aws_vpc'));
      expect(vpcs).toHaveLength(1);
      expect(vpcs[0]).toMatchObject({ cidr_block: region.cidr, enable_dns_support: true, enable_dns_hostnames: true });

      const subnets = Object.values(resources(stack, 'aws_subnet'));
      expect(subnets).toHaveLength(SUBNET_TIERS.length * region.azs.length);
      for (const tier of SUBNET_TIERS) {
        expect(
          subnets
            .filter((s) => s.tags.Tier === tier)
            .map((s) => s.availability_zone)
            .sort(),
        ).toEqual([...region.azs].sort());
      }
      for (const subnet of subnets) {
        expect(subnet.map_public_ip_on_launch).toBe(false); // CKV_AWS_130
        expect(IPv4CidrRange.fromCidr(subnet.cidr_block).inside(IPv4CidrRange.fromCidr(region.cidr))).toBe(true);
      }
    },
  );

  test('no CIDR overlaps anywhere: across Regions and across tiers', () => {
    const blocks = config.regions.flatMap((r) =>
      Object.values(resources(regionStack(result, r.region), 'aws_subnet')).map((s) => `${r.region} ${s.cidr_block}`),
    );
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) {
        const a = IPv4CidrRange.fromCidr(blocks[i].split(' ')[1]);
        const b = IPv4CidrRange.fromCidr(blocks[j].split(' ')[1]);
        if (a.isOverlapping(b)) throw new Error(`${blocks[i]} overlaps ${blocks[j]}`);
      }
    }
  });

  test.each(config.regions.map((r) => [r.region]))(
    '%s: CKV2_AWS_12 default security group without rules; managed default route table and ACL',
    (region) => {
      const stack = regionStack(result, region);
      const groups = Object.values(resources(stack, 'aws_default_security_group'));
      expect(groups).toHaveLength(1);
      expect(groups[0].ingress).toBeUndefined();
      expect(groups[0].egress).toBeUndefined();
      expect(Object.values(resources(stack, 'aws_default_route_table'))[0].route).toEqual([]);
      expect(Object.values(resources(stack, 'aws_default_network_acl'))).toHaveLength(1);
    },
  );

  test.each(config.regions.map((r) => [r.region]))(
    '%s: CKV2_AWS_11 flow logs to a KMS-encrypted log group through a least-privilege role',
    (region) => {
      const stack = regionStack(result, region);
      const flowLog = resourceAt(stack, 'aws_flow_log', `region-${region}/network/flow-logs/flow-log`).body;
      const logGroup = resourceAt(stack, 'aws_cloudwatch_log_group', `region-${region}/network/flow-logs/log-group`);
      const key = resourceAt(stack, 'aws_kms_key', `region-${region}/regional-key/key`);
      const vpc = Object.keys(resources(stack, 'aws_vpc'))[0];
      expect(flowLog).toMatchObject({
        vpc_id: ref('aws_vpc', vpc, 'id'),
        traffic_type: config.network.flowLogs.trafficType,
        log_destination_type: 'cloud-watch-logs',
        log_destination: ref('aws_cloudwatch_log_group', logGroup.name, 'arn'),
      });
      expect(logGroup.body.kms_key_id).toBe(ref('aws_kms_key', key.name, 'arn')); // CKV_AWS_158
      expect(logGroup.body.retention_in_days).toBe(config.network.flowLogs.retentionDays);
      expect(logGroup.body.retention_in_days).toBeGreaterThanOrEqual(365); // CKV_AWS_338

      const role = resourceAt(stack, 'aws_iam_role', `region-${region}/network/flow-logs/role/role`).body;
      const [trust] = policyStatements(stack, role.assume_role_policy);
      expect(trust.principals).toEqual([{ type: 'Service', identifiers: ['vpc-flow-logs.amazonaws.com'] }]);
      expect(trust.condition).toEqual([
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:ec2:${region}:111122223333:vpc-flow-log/*`] },
      ]);
      const policy = resourceAt(stack, 'aws_iam_role_policy', `region-${region}/network/flow-logs/role/policy`).body;
      const arn = ref('aws_cloudwatch_log_group', logGroup.name, 'arn');
      expect(policyStatements(stack, policy.policy)).toEqual([
        expect.objectContaining({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [arn, `${arn}:*`],
        }),
        expect.objectContaining({ actions: ['logs:DescribeLogGroups'], resources: [`arn:aws:logs:${region}:111122223333:log-group:*`] }),
      ]);

      const keyStatements = policyStatements(stack, key.body.policy);
      expect(keyStatements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            principals: [{ type: 'Service', identifiers: [`logs.${region}.amazonaws.com`] }],
            condition: [
              {
                test: 'ArnLike',
                variable: 'kms:EncryptionContext:aws:logs:arn',
                values: expect.arrayContaining([`arn:aws:logs:${region}:111122223333:log-group:/acme-shop/*`]),
              },
            ],
          }),
        ]),
      );
    },
  );

  test.each(config.regions.map((r) => [r.region, r] as const))('%s: routing per tier', (_region, region) => {
    const stack = regionStack(result, region.region);
    const routes = Object.values(resources(stack, 'aws_route'));
    const tableOf = (name: string) =>
      ref('aws_route_table', resourceAt(stack, 'aws_route_table', `region-${region.region}/network/${name}-route-table`).name, 'id');
    const routesOf = (table: string) => routes.filter((r) => r.route_table_id === table);

    const [publicDefault] = routesOf(tableOf('public'));
    expect(publicDefault).toMatchObject({
      destination_cidr_block: '0.0.0.0/0',
      gateway_id: expect.stringMatching(/^\$\{aws_internet_gateway\./),
    });

    const nats = Object.keys(resources(stack, 'aws_nat_gateway'));
    const mode = config.network.natGateways;
    expect(nats).toHaveLength(mode === 'per-az' ? region.azs.length : mode === 'single' ? 1 : 0);
    region.azs.forEach((az, i) => {
      const defaults = routesOf(tableOf(`private-${az}`));
      if (mode === 'none') {
        expect(defaults).toEqual([]);
      } else {
        expect(defaults).toEqual([
          expect.objectContaining({
            destination_cidr_block: '0.0.0.0/0',
            nat_gateway_id: ref('aws_nat_gateway', nats[mode === 'per-az' ? i : 0], 'id'),
          }),
        ]);
      }
    });
    if (mode === 'per-az') {
      const natSubnets = Object.values(resources(stack, 'aws_nat_gateway')).map((n) => n.subnet_id);
      expect(new Set(natSubnets).size).toBe(region.azs.length);
    }

    expect(routesOf(tableOf('database'))).toEqual([]);
    expect(routesOf(tableOf('transit'))).toEqual([]);
    expect(routes.every((r) => r.gateway_id === undefined || r.route_table_id === tableOf('public'))).toBe(true);

    const gatewayEndpoints = Object.values(resources(stack, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Gateway');
    expect(gatewayEndpoints.map((e) => e.service_name).sort()).toEqual([
      `com.amazonaws.${region.region}.dynamodb`,
      `com.amazonaws.${region.region}.s3`,
    ]);
    for (const endpoint of gatewayEndpoints) {
      expect(endpoint.route_table_ids.sort()).toEqual([...region.azs.map((az) => tableOf(`private-${az}`)), tableOf('database')].sort());
    }
  });

  test('every Transit Gateway has a unique ASN and nothing implicit', () => {
    const gateways = config.regions.map((r) => Object.values(resources(regionStack(result, r.region), 'aws_ec2_transit_gateway'))[0]);
    expect(new Set(gateways.map((g) => g.amazon_side_asn)).size).toBe(config.regions.length);
    for (const gateway of gateways) {
      expect(gateway).toMatchObject({
        auto_accept_shared_attachments: 'disable',
        default_route_table_association: 'disable',
        default_route_table_propagation: 'disable',
      });
      expect(gateway.amazon_side_asn).toBeGreaterThanOrEqual(64512);
      expect(gateway.amazon_side_asn).toBeLessThanOrEqual(65534);
    }
  });

  test('each VPC attachment sits on the transit subnets and propagates into the explicit route table', () => {
    for (const region of config.regions) {
      const stack = regionStack(result, region.region);
      const attachment = resourceAt(stack, 'aws_ec2_transit_gateway_vpc_attachment', `region-${region.region}/transit-hub/vpc-attachment`);
      const transitSubnets = Object.entries(resources(stack, 'aws_subnet'))
        .filter(([, s]) => s.tags.Tier === 'transit')
        .map(([name]) => ref('aws_subnet', name, 'id'));
      expect(attachment.body.subnet_ids.sort()).toEqual(transitSubnets.sort());
      expect(attachment.body).toMatchObject({
        transit_gateway_default_route_table_association: false,
        transit_gateway_default_route_table_propagation: false,
      });
      const table = ref(
        'aws_ec2_transit_gateway_route_table',
        resourceAt(stack, 'aws_ec2_transit_gateway_route_table', `region-${region.region}/transit-hub/route-table`).name,
        'id',
      );
      const attachmentId = ref('aws_ec2_transit_gateway_vpc_attachment', attachment.name, 'id');
      for (const type of ['aws_ec2_transit_gateway_route_table_association', 'aws_ec2_transit_gateway_route_table_propagation']) {
        expect(Object.values(resources(stack, type))).toEqual([
          { '//': expect.anything(), transit_gateway_attachment_id: attachmentId, transit_gateway_route_table_id: table },
        ]);
      }
    }
  });

  describe('peering mesh', () => {
    const mesh = result.stacks.get('mesh')!;
    const n = config.regions.length;
    const pairs = regionPairs(
      config.regions.map((r) => r.region),
      config.primaryRegion,
      config.topology.peering,
    );
    const cidrOf = new Map(config.regions.map((r) => [r.region, r.cidr]));

    test('attachments = accepters = N(N-1)/2, each accepted in the peer Region', () => {
      const attachments = Object.values(resources(mesh, 'aws_ec2_transit_gateway_peering_attachment'));
      const accepters = Object.values(resources(mesh, 'aws_ec2_transit_gateway_peering_attachment_accepter'));
      expect(attachments).toHaveLength((n * (n - 1)) / 2);
      expect(accepters).toHaveLength(attachments.length);
      for (const attachment of attachments) {
        const requester = providerRegion(result, 'mesh', attachment.provider);
        expect(referencedStack(attachment.transit_gateway_id)).toBe(`region-${requester}`);
        expect(referencedStack(attachment.peer_transit_gateway_id)).toBe(`region-${attachment.peer_region}`);
        expect(pairs).toContainEqual({ requester, accepter: attachment.peer_region });
        expect(attachment.peer_account_id).toBe('111122223333');
      }
      for (const accepter of accepters) {
        const attachment = Object.entries(resources(mesh, 'aws_ec2_transit_gateway_peering_attachment')).find(
          ([name]) => accepter.transit_gateway_attachment_id === ref('aws_ec2_transit_gateway_peering_attachment', name, 'id'),
        )![1];
        expect(providerRegion(result, 'mesh', accepter.provider)).toBe(attachment.peer_region);
      }
    });

    test("every Region's Transit Gateway route table routes every other Region's CIDR through a peering, after acceptance", () => {
      const routes = Object.values(resources(mesh, 'aws_ec2_transit_gateway_route'));
      for (const region of config.regions) {
        const own = routes.filter((r) => referencedStack(r.transit_gateway_route_table_id) === `region-${region.region}`);
        const destinations = own.map((r) => r.destination_cidr_block).sort();
        expect(destinations).toEqual(
          config.regions
            .filter((o) => o !== region)
            .map((o) => o.cidr)
            .sort(),
        );
        for (const route of own) {
          expect(providerRegion(result, 'mesh', route.provider)).toBe(region.region);
          expect(crossStack(result, route.transit_gateway_route_table_id).value).toMatch(/^\$\{aws_ec2_transit_gateway_route_table\./);
          expect(route.depends_on).toEqual([expect.stringMatching(/^aws_ec2_transit_gateway_peering_attachment_accepter\./)]);
        }
      }
      const associations = Object.values(resources(mesh, 'aws_ec2_transit_gateway_route_table_association'));
      expect(associations).toHaveLength(n * (n - 1));
      for (const association of associations) {
        expect(association.depends_on).toEqual([expect.stringMatching(/^aws_ec2_transit_gateway_peering_attachment_accepter\./)]);
      }
    });

    test("every private and database route table routes every other Region's CIDR to the local Transit Gateway", () => {
      const routes = Object.values(resources(mesh, 'aws_route'));
      for (const region of config.regions) {
        const stack = regionStack(result, region.region);
        const tables = [...region.azs.map((az) => `private-${az}`), 'database'].map(
          (name) => resourceAt(stack, 'aws_route_table', `region-${region.region}/network/${name}-route-table`).name,
        );
        const gateway = Object.keys(resources(stack, 'aws_ec2_transit_gateway'))[0];
        for (const table of tables) {
          const inTable = routes.filter(
            (r) =>
              referencedStack(r.route_table_id) === `region-${region.region}` &&
              crossStack(result, r.route_table_id).value === ref('aws_route_table', table, 'id'),
          );
          expect(inTable.map((r) => r.destination_cidr_block).sort()).toEqual(
            config.regions
              .filter((o) => o !== region)
              .map((o) => cidrOf.get(o.region))
              .sort(),
          );
          for (const route of inTable) {
            expect(crossStack(result, route.transit_gateway_id).value).toBe(ref('aws_ec2_transit_gateway', gateway, 'id'));
            expect(providerRegion(result, 'mesh', route.provider)).toBe(region.region);
          }
        }
      }
    });
  });
});

describe('network options', () => {
  test('the NAT mode and the flow log traffic type are typed exactly: a typo fails to compile, and is refused at synthesis all the same', () => {
    const s = new TerraformStack(Testing.app(), 'typed');
    new AwsProvider(s, 'aws', { region: 'us-east-1' });
    const subnets = { 'us-east-1a': '10.0.0.0/24', 'us-east-1b': '10.0.1.0/24' };
    const props: RegionalNetworkProps = {
      namePrefix: 'typed',
      region: 'us-east-1',
      cidr: '10.0.0.0/16',
      subnets: { public: subnets, private: subnets, database: subnets, transit: subnets },
      flowLogs: {
        logGroupName: 'logs',
        kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k',
        roleName: 'role',
        region: 'us-east-1',
        accountId: '111122223333',
      },
    };
    // @ts-expect-error a typo is not a NAT mode
    expect(() => new RegionalNetwork(s, 'nat-typo', { ...props, natGateways: 'per-AZ' })).toThrow(
      /natGateways must be per-az, single or none/,
    );
    // @ts-expect-error nor a traffic type
    expect(() => new RegionalNetwork(s, 'traffic-typo', { ...props, flowLogs: { ...props.flowLogs, trafficType: 'all' } })).toThrow(
      /trafficType must be ALL, ACCEPT or REJECT/,
    );
  });

  test('natGateways "none" adds interface endpoints for AWS APIs, reachable on 443 from the VPC only', () => {
    const config = configFrom({
      ...exampleInput(),
      network: { natGateways: 'none' },
      workload: { image: '111122223333.dkr.ecr.{region}.amazonaws.com/shop/web:1.0' },
    });
    const stack = synth(config).stacks.get('region-us-west-2')!;
    expect(resources(stack, 'aws_nat_gateway')).toEqual({});
    expect(resources(stack, 'aws_eip')).toEqual({});
    const endpoints = Object.values(resources(stack, 'aws_vpc_endpoint')).filter((e) => e.vpc_endpoint_type === 'Interface');
    expect(endpoints.map((e) => e.service_name).sort()).toEqual(
      ['ecr.api', 'ecr.dkr', 'kms', 'logs', 'secretsmanager', 'sts'].map((s) => `com.amazonaws.us-west-2.${s}`),
    );
    const group = resourceAt(stack, 'aws_security_group', 'region-us-west-2/network/endpoints-security-group').name;
    for (const endpoint of endpoints) {
      expect(endpoint).toMatchObject({ private_dns_enabled: true, security_group_ids: [ref('aws_security_group', group, 'id')] });
      expect(endpoint.subnet_ids).toHaveLength(3);
    }
    expect(
      Object.values(resources(stack, 'aws_vpc_security_group_ingress_rule')).filter(
        (r) => r.security_group_id === ref('aws_security_group', group, 'id'),
      ),
    ).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.20.0.0/16' })]);
    expect(
      Object.values(resources(stack, 'aws_vpc_security_group_egress_rule')).filter(
        (r) => r.security_group_id === ref('aws_security_group', group, 'id'),
      ),
    ).toEqual([]);
  });

  test('hub-and-spoke links the primary with each Region: secondaries route only to the primary', () => {
    const input = exampleInput('three-region');
    const result = synth(configFrom({ ...input, topology: { peering: 'hub-and-spoke' }, database: { writeForwarding: true } }));
    const mesh = result.stacks.get('mesh')!;
    expect(Object.keys(resources(mesh, 'aws_ec2_transit_gateway_peering_attachment'))).toHaveLength(2);
    const destinationsFrom = (region: string) =>
      Object.values(resources(mesh, 'aws_ec2_transit_gateway_route'))
        .filter((r) => referencedStack(r.transit_gateway_route_table_id) === `region-${region}`)
        .map((r) => r.destination_cidr_block)
        .sort();
    expect(destinationsFrom('us-east-1')).toEqual(['10.20.0.0/16', '10.30.0.0/16']);
    expect(destinationsFrom('us-west-2')).toEqual(['10.10.0.0/16']);
    expect(destinationsFrom('eu-west-1')).toEqual(['10.10.0.0/16']);
  });

  test('adding a Region leaves every existing Region stack byte-identical', () => {
    const two = synth(example('two-region'));
    const input = exampleInput();
    const three = synth(configFrom({ ...input, regions: [...input.regions, { region: 'eu-west-1', cidr: '10.30.0.0/16' }] }));
    for (const stack of ['region-us-east-1', 'region-us-west-2']) {
      expect(three.stacks.get(stack)).toEqual(two.stacks.get(stack));
    }
  });

  test('adding an Availability Zone keeps every existing subnet where it was', () => {
    const before = planSubnets('10.10.0.0/16', ['us-east-1a', 'us-east-1c'], { public: 6, private: 4, database: 6, transit: 12 });
    const after = planSubnets('10.10.0.0/16', ['us-east-1b', 'us-east-1a', 'us-east-1c'], {
      public: 6,
      private: 4,
      database: 6,
      transit: 12,
    });
    if (!('plan' in before) || !('plan' in after)) throw new Error('plans should fit');
    for (const tier of SUBNET_TIERS) {
      for (const subnet of before.plan[tier].subnets) {
        expect(after.plan[tier].subnets).toContainEqual(subnet);
      }
    }
  });
});
