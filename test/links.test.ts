import * as path from 'node:path';
import * as fs from 'node:fs';
import type { ConfigInput, ResolvedConfig } from '../src/config';
import { configChangeProblems } from '../src/config/change';
import { regionPairs } from '../src/planning/pairs';
import { recoveryDiagram } from '../src/report/diagram';
import { designedRecovery } from '../src/report/recovery';
import { TRANSIT_GATEWAY_DISRUPT_CROSS_REGION, ROUTE_TABLE_DISRUPT_CROSS_REGION } from '../src/planning/fis';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, configProblems, exampleInput, resources, synth, type Synthesized } from './helpers';

/** Links between Regions without Transit Gateway: `topology.link` "vpc-peering" and "none". */

type Link = 'transit-gateway' | 'vpc-peering' | 'none';

/** An example with another link; "none" turns on write forwarding, which it needs. */
function withLink(example: string, link: Link, topology: Partial<ConfigInput['topology']> = {}): ConfigInput {
  const input = exampleInput(example);
  return {
    ...input,
    topology: { ...input.topology, ...topology, link },
    database: link === 'none' ? { ...input.database, writeForwarding: true } : input.database,
  };
}

function providerRegion(result: Synthesized, stack: string, providerRef: string | undefined): string {
  const providers: TerraformJson[] = result.stacks.get(stack)!.provider.aws;
  const alias = providerRef?.startsWith('aws.') ? providerRef.slice(4) : undefined;
  return providers.find((p) => p.alias === alias)!.region;
}

/** Every resource type in a stack. */
const typesOf = (stack: TerraformJson | undefined): string[] => Object.keys(stack?.resource ?? {});

const TGW_TYPE = /^aws_ec2_transit_gateway/;

const layouts: Array<[string, string]> = [
  ['two Regions', 'two-region'],
  ['three Regions', 'three-region'],
  ['five Regions', 'five-region'],
];
const synthesized = new Map<string, { config: ResolvedConfig; result: Synthesized }>();
function layout(example: string, link: Link, topology: Partial<ConfigInput['topology']> = {}) {
  const key = `${example} ${link} ${JSON.stringify(topology)}`;
  if (!synthesized.has(key)) {
    const config = configFrom(withLink(example, link, topology));
    synthesized.set(key, { config, result: synth(config) });
  }
  return synthesized.get(key)!;
}
afterAll(() => {
  for (const { result } of synthesized.values()) fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
});

describe('topology.link validation', () => {
  test('defaults to transit-gateway, without keeping anything', () => {
    expect(configFrom(exampleInput()).topology).toEqual({ peering: 'full-mesh', link: 'transit-gateway', keepTransitGateways: false });
  });

  test('an unknown link names the field and the choices', () => {
    expect(configProblems({ ...exampleInput(), topology: { link: 'privatelink' } })).toEqual([
      expect.stringMatching(
        /^topology\.link: "privatelink" is not a link between Regions\. Fix: use "transit-gateway", "vpc-peering" or "none"$/,
      ),
    ]);
  });

  test('"none" needs write forwarding and an instance in every secondary', () => {
    const input = exampleInput();
    expect(configProblems({ ...input, topology: { link: 'none' } })).toEqual([
      expect.stringMatching(
        /^database\.writeForwarding: must be true with topology\.link "none", .* Fix: set database\.writeForwarding to true, or use topology\.link "vpc-peering"$/,
      ),
    ]);
    expect(
      configProblems({
        ...input,
        topology: { link: 'none' },
        database: { ...input.database, writeForwarding: true, instances: { primary: 2, secondary: 0 } },
      }),
    ).toEqual([expect.stringMatching(/^database\.instances: secondary must be at least 1 with topology\.link "none", .*Fix: /)]);
    expect(configProblems(withLink('two-region', 'none'))).toEqual([]);
  });

  test('"vpc-peering" needs nothing else', () => {
    expect(configProblems(withLink('three-region', 'vpc-peering'))).toEqual([]);
  });

  test('keepTransitGateways only applies while the link is not the Transit Gateways', () => {
    expect(configProblems({ ...exampleInput(), topology: { keepTransitGateways: true } })).toEqual([
      expect.stringMatching(
        /^topology\.keepTransitGateways: only applies while topology\.link is "vpc-peering" or "none".* Fix: remove it$/,
      ),
    ]);
  });
});

describe('switching links on a deployed layout', () => {
  const from = (link: Link, topology: Partial<ConfigInput['topology']> = {}) => configFrom(withLink('two-region', link, topology));
  const problems = (before: ResolvedConfig, after: ResolvedConfig) =>
    configChangeProblems(before, after).map((p) => `${p.path}: ${p.message}`);

  test.each([['vpc-peering'], ['none']] as const)(
    'leaving the Transit Gateways for %s without keeping them is refused with the procedure',
    (link) => {
      expect(problems(from('transit-gateway'), from(link))).toEqual([
        expect.stringMatching(
          /^topology\.link: .*the Region stacks apply before mesh.*Fix: set "topology": \{ .*"keepTransitGateways": true \}, deploy, then remove keepTransitGateways and deploy again/,
        ),
      ]);
    },
  );

  test.each([
    ['transit-gateway', 'vpc-peering', { keepTransitGateways: true }],
    ['transit-gateway', 'none', { keepTransitGateways: true }],
    ['vpc-peering', 'transit-gateway', {}],
    ['none', 'transit-gateway', {}],
    ['vpc-peering', 'none', {}],
    ['none', 'vpc-peering', {}],
  ] as const)('%s to %s %j is allowed', (before, after, topology) => {
    expect(problems(from(before), from(after, topology))).toEqual([]);
  });

  test('the second step (dropping the kept Transit Gateways) is allowed', () => {
    expect(problems(from('vpc-peering', { keepTransitGateways: true }), from('vpc-peering'))).toEqual([]);
  });
});

describe.each(layouts)('vpc-peering invariants: %s', (_label, example) => {
  const { config, result } = layout(example, 'vpc-peering');
  const mesh = result.stacks.get('mesh')!;
  const connections = resources(mesh, 'aws_vpc_peering_connection');
  const accepters = resources(mesh, 'aws_vpc_peering_connection_accepter');
  const options = Object.values(resources(mesh, 'aws_vpc_peering_connection_options'));
  const routes = Object.values(resources(mesh, 'aws_route'));
  const pairs = regionPairs(
    config.regions.map((r) => r.region),
    config.primaryRegion,
    config.topology.peering,
  );
  const cidrOf = new Map(config.regions.map((r) => [r.region, r.cidr]));
  /** The accepter resource name of each connection resource name. */
  const accepterOf = new Map(
    Object.entries(accepters).map(([name, body]) => [
      /aws_vpc_peering_connection\.([^.]+)\.id/.exec(body.vpc_peering_connection_id)![1],
      name,
    ]),
  );

  test('no Transit Gateway resource in any stack', () => {
    for (const [stack, json] of result.stacks)
      expect({ stack, types: typesOf(json).filter((t) => TGW_TYPE.test(t)) }).toEqual({ stack, types: [] });
  });

  test('every pair is peered once: requested in the requester Region, accepted in the accepter Region', () => {
    expect(Object.keys(connections)).toHaveLength(pairs.length);
    const peered = Object.entries(connections).map(([name, connection]) => {
      const requester = providerRegion(result, 'mesh', connection.provider);
      expect(connection.auto_accept).toBe(false);
      expect(connection.peer_owner_id).toBe(config.accountId);
      const accepter = accepters[accepterOf.get(name)!];
      expect(accepter.auto_accept).toBe(true);
      expect(providerRegion(result, 'mesh', accepter.provider)).toBe(connection.peer_region);
      return { requester, accepter: connection.peer_region as string };
    });
    expect(peered.sort((a, b) => `${a.requester}${a.accepter}`.localeCompare(`${b.requester}${b.accepter}`))).toEqual(pairs);
  });

  test('DNS resolution on both sides, each with its own Region, after acceptance', () => {
    expect(options).toHaveLength(2 * pairs.length);
    for (const [name, connection] of Object.entries(connections)) {
      const accepterName = accepterOf.get(name)!;
      const mine = options.filter((o) => o.vpc_peering_connection_id === `\${aws_vpc_peering_connection_accepter.${accepterName}.id}`);
      expect(mine).toHaveLength(2);
      const requesterSide = mine.find((o) => o.requester)!;
      const accepterSide = mine.find((o) => o.accepter)!;
      expect(requesterSide.requester).toEqual({ allow_remote_vpc_dns_resolution: true });
      expect(accepterSide.accepter).toEqual({ allow_remote_vpc_dns_resolution: true });
      expect(requesterSide.accepter).toBeUndefined();
      expect(providerRegion(result, 'mesh', requesterSide.provider)).toBe(providerRegion(result, 'mesh', connection.provider));
      expect(providerRegion(result, 'mesh', accepterSide.provider)).toBe(connection.peer_region);
    }
  });

  test('routes both ways in the private tables per AZ and the database table, each waiting for the accepter', () => {
    const perRegion = new Map(config.regions.map((r) => [r.region, r.azs.length + 1]));
    let expected = 0;
    for (const { requester, accepter } of pairs) expected += perRegion.get(requester)! + perRegion.get(accepter)!;
    expect(routes).toHaveLength(expected);
    for (const route of routes) {
      const connection = /aws_vpc_peering_connection\.([^.]+)\.id/.exec(route.vpc_peering_connection_id)![1];
      expect(route.depends_on).toEqual([`aws_vpc_peering_connection_accepter.${accepterOf.get(connection)}`]);
      const requester = providerRegion(result, 'mesh', connections[connection].provider);
      const local = providerRegion(result, 'mesh', route.provider);
      const remote = local === requester ? connections[connection].peer_region : requester;
      expect(route.destination_cidr_block).toBe(cidrOf.get(remote));
      expect(route.transit_gateway_id).toBeUndefined();
    }
  });

  test('app tiers still reach the remote database tiers by CIDR', () => {
    const rules = Object.values(resources(mesh, 'aws_vpc_security_group_ingress_rule'));
    expect(rules.length).toBeGreaterThanOrEqual(2 * pairs.length);
  });

  test('the transit subnets stay: the address plan does not depend on the link', () => {
    const tgw = layout(example, 'transit-gateway').result;
    for (const region of config.regions) {
      const cidrs = (r: Synthesized) =>
        Object.values(resources(r.stacks.get(`region-${region.region}`), 'aws_subnet'))
          .map((s) => s.cidr_block)
          .sort();
      expect(cidrs(result)).toEqual(cidrs(tgw));
    }
  });
});

describe.each(layouts)('no link: %s', (_label, example) => {
  const { result } = layout(example, 'none');
  const mesh = result.stacks.get('mesh')!;

  test('no Transit Gateway, no peering, no route between Regions', () => {
    for (const [stack, json] of result.stacks) {
      expect({ stack, types: typesOf(json).filter((t) => TGW_TYPE.test(t) || t.startsWith('aws_vpc_peering')) }).toEqual({
        stack,
        types: [],
      });
    }
    expect(resources(mesh, 'aws_route')).toEqual({});
  });

  test('no rule lets an app tier reach a remote database tier', () => {
    for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
      expect(resources(mesh, type)).toEqual({});
    }
  });
});

describe('game day with each link', () => {
  const actionsOf = (result: Synthesized, region: string): string[] =>
    Object.values(resources(result.stacks.get(`region-${region}`), 'aws_fis_experiment_template')).flatMap((t) =>
      (t.action as TerraformJson[]).map((a) => a.action_id as string),
    );
  test.each(['vpc-peering', 'none'] as const)('%s: route table actions only, no transit gateway target', (link) => {
    const input = withLink('two-region', link);
    const config = configFrom({ ...input, resilience: { ...input.resilience, gameDay: true } });
    const result = synth(config);
    try {
      for (const { region } of config.regions) {
        const actions = actionsOf(result, region);
        expect(actions).toContain(ROUTE_TABLE_DISRUPT_CROSS_REGION);
        expect(actions).not.toContain(TRANSIT_GATEWAY_DISRUPT_CROSS_REGION);
      }
    } finally {
      fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
    }
  });
});

describe('keeping the Transit Gateways during a switch', () => {
  test('the Region stacks keep their hubs; mesh peers the VPCs and holds no Transit Gateway peering', () => {
    const { result } = layout('two-region', 'vpc-peering', { keepTransitGateways: true });
    const { result: tgw } = layout('two-region', 'transit-gateway');
    for (const stack of result.order.filter((name) => name.startsWith('region-'))) {
      expect(typesOf(result.stacks.get(stack)).filter((t) => TGW_TYPE.test(t))).toEqual(
        typesOf(tgw.stacks.get(stack)).filter((t) => TGW_TYPE.test(t)),
      );
    }
    expect(typesOf(result.stacks.get('mesh')).filter((t) => TGW_TYPE.test(t))).toEqual([]);
    expect(Object.keys(resources(result.stacks.get('mesh'), 'aws_vpc_peering_connection'))).toHaveLength(1);
  });

  test('a route keeps its address from one link to the other: only its target changes', () => {
    const names = (link: Link) => Object.keys(resources(layout('two-region', link).result.stacks.get('mesh'), 'aws_route')).sort();
    expect(names('vpc-peering')).toEqual(names('transit-gateway'));
  });
});

describe('the report with each link', () => {
  test.each([
    ['transit-gateway', /^Transit Gateway peerings and their routes are static/],
    ['vpc-peering', /^VPC peering connections and their routes are static/],
    ['none', /write forwarding/],
  ] as const)('%s: the step between Regions needs no control plane', (link, basis) => {
    const steps = designedRecovery(configFrom(withLink('two-region', link))).controlPlanes;
    const step = steps.find((s) => s.step.startsWith('the surviving Regions') || s.step.startsWith('the apps reach the writer'))!;
    expect({ controlPlane: step.controlPlane, regions: step.regions }).toEqual({ controlPlane: 'none', regions: [] });
    expect(step.basis).toMatch(basis);
  });

  test('the diagram draws the link the config has', () => {
    expect(recoveryDiagram(configFrom(withLink('two-region', 'vpc-peering')))).toContain('---|"VPC peering"|');
    expect(recoveryDiagram(configFrom(withLink('two-region', 'none')))).not.toContain('---|');
  });
});
