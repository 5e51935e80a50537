import type { ConfigInput } from '../src/config';
import { configChangeProblems } from '../src/config/change';
import { COUNTRY_CODES } from '../src/planning/geolocation';
import { checkSynthesized, formatReport } from '../src/terraform/harness';
import { resourceCount, type TerraformJson } from '../src/terraform/offline';
import { configFrom, configProblems, exampleInput, resources, synth } from './helpers';

const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
const EXAMPLES = { 2: 'two-region', 3: 'three-region', 5: 'five-region' } as const;

/** Locations that cover every Region of each example: the primary (us-east-1) is the default Region. */
const LOCATIONS: Record<string, string[]> = {
  'us-west-2': ['NA', 'OC'],
  'eu-west-1': ['EU', 'UA'],
  'eu-central-1': ['DE', 'AT', 'CH'],
  'ap-southeast-2': ['AU', 'NZ'],
};

function geolocationInput(regions: 2 | 3 | 5): ConfigInput {
  const input = exampleInput(EXAMPLES[regions]);
  const names = input.regions.map((r) => r.region);
  const locations = Object.fromEntries(names.filter((r) => LOCATIONS[r]).map((r) => [r, LOCATIONS[r]]));
  return { ...input, traffic: { ...input.traffic, mode: 'route53-geolocation', route53, geolocation: { locations } } };
}

function failoverInput(regions: 2 | 3 | 5, order?: string[]): ConfigInput {
  const input = exampleInput(EXAMPLES[regions]);
  return { ...input, traffic: { ...input.traffic, mode: 'route53-failover', route53, ...(order ? { failover: { order } } : {}) } };
}

/** The Route 53 records of the edge stack. */
function edge(input: ConfigInput): {
  json: TerraformJson;
  records: TerraformJson[];
  checks: Record<string, TerraformJson>;
} {
  const result = synth(configFrom(input));
  const json = result.stacks.get('edge')!;
  return {
    json,
    records: Object.values(resources(json, 'aws_route53_record')),
    checks: resources(json, 'aws_route53_health_check'),
  };
}

describe('route53-geolocation: validation', () => {
  const base = geolocationInput(3);
  const withGeo = (geolocation: unknown) => ({ ...base, traffic: { ...base.traffic, geolocation } }) as ConfigInput;

  test('the three-Region layout with its locations is valid, and every Route 53 country code passes', () => {
    expect(configProblems(base)).toEqual([]);
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(
      configProblems(
        withGeo({ locations: { 'us-west-2': ['NA'], 'eu-west-1': COUNTRY_CODES.filter((c) => c !== 'NA' && c !== 'SA' && c !== 'AS') } }),
      ),
    ).toEqual([]);
  });
  test('each error names the field and the fix', () => {
    expect(configProblems({ ...base, traffic: { ...base.traffic, geolocation: undefined } })).toEqual([
      expect.stringMatching(/^traffic\.geolocation: is required with mode "route53-geolocation"\. Fix: /),
    ]);
    expect(configProblems(withGeo({ locations: { 'us-west-2': ['NA'], 'eu-west-1': ['EU', 'XX', 'eu'] } }))).toEqual([
      expect.stringMatching(/^traffic\.geolocation\.locations\.eu-west-1\[1\]: "XX" is not a location Route 53 accepts\. Fix: /),
      expect.stringMatching(/^traffic\.geolocation\.locations\.eu-west-1\[2\]: "eu" is not a location/),
    ]);
    expect(configProblems(withGeo({ locations: { 'us-west-2': ['NA', 'DE'], 'eu-west-1': ['EU', 'DE'] } }))).toEqual([
      expect.stringMatching(
        /^traffic\.geolocation\.locations\.eu-west-1\[1\]: country DE is already answered by us-west-2; .*Fix: list it under one Region only/,
      ),
    ]);
    expect(configProblems(withGeo({ locations: { 'us-west-2': ['NA', 'NA'], 'eu-west-1': ['EU'] } }))).toEqual([
      expect.stringMatching(/^traffic\.geolocation\.locations\.us-west-2\[1\]: continent NA is already answered by us-west-2/),
    ]);
    expect(configProblems(withGeo({ locations: { 'us-west-2': ['NA'] } }))).toEqual([
      expect.stringMatching(
        /^traffic\.geolocation\.locations: eu-west-1 answers no location and is not the defaultRegion \(us-east-1\).*Fix: /,
      ),
    ]);
    expect(configProblems(withGeo({ locations: { 'us-west-2': ['NA'], 'eu-west-1': ['EU'], 'ap-south-1': ['IN'] } }))).toEqual([
      expect.stringMatching(
        /^traffic\.geolocation\.locations\.ap-south-1: "ap-south-1" is not a configured Region\. Fix: use one of us-east-1, us-west-2, eu-west-1/,
      ),
    ]);
    expect(configProblems(withGeo({ locations: { 'us-west-2': ['NA'], 'eu-west-1': ['EU'] }, defaultRegion: 'eu-north-1' }))).toEqual([
      expect.stringMatching(/^traffic\.geolocation\.defaultRegion: "eu-north-1" is not a configured Region/),
      // us-east-1, no longer the default Region, answers nothing.
      expect.stringMatching(/^traffic\.geolocation\.locations: us-east-1 answers no location/),
    ]);
    expect(configProblems({ ...exampleInput(), traffic: { geolocation: { locations: {} } } })).toEqual([
      expect.stringMatching(/^traffic\.geolocation: only applies with traffic\.mode "route53-geolocation"/),
    ]);
    expect(configProblems({ ...base, resilience: { healthChecks: { enabled: false } } })).toEqual([
      expect.stringMatching(/^resilience\.healthChecks\.enabled: is false, but the records of traffic\.mode "route53-geolocation"/),
    ]);
  });
  test('"country:NA" names Namibia, beside the continent NA', () => {
    expect(configProblems(withGeo({ locations: { 'us-west-2': ['NA'], 'eu-west-1': ['EU', 'country:NA'] } }))).toEqual([]);
    const { records: all } = edge(withGeo({ locations: { 'us-west-2': ['NA'], 'eu-west-1': ['EU', 'country:NA'] } }));
    expect(all.map((r) => r.geolocation_routing_policy)).toEqual(
      expect.arrayContaining([{ continent: 'NA' }, { country: 'NA' }, { continent: 'EU' }, { country: '*' }]),
    );
  });
});

describe('route53-failover: validation', () => {
  test('the order lists every configured Region once', () => {
    expect(configProblems(failoverInput(3))).toEqual([]);
    expect(configProblems(failoverInput(3, ['eu-west-1', 'us-east-1', 'us-west-2']))).toEqual([]);
    expect(configProblems(failoverInput(3, ['us-east-1', 'us-east-1', 'eu-north-1']))).toEqual([
      expect.stringMatching(/^traffic\.failover\.order\[1\]: us-east-1 is listed twice\. Fix: list each Region once/),
      expect.stringMatching(/^traffic\.failover\.order\[2\]: "eu-north-1" is not a configured Region/),
      expect.stringMatching(/^traffic\.failover\.order: leaves out us-west-2, eu-west-1, which would take no traffic\. Fix: /),
    ]);
    const wildcard = failoverInput(3);
    expect(configProblems({ ...wildcard, traffic: { ...wildcard.traffic, route53: { ...route53, recordName: '*.example.com' } } })).toEqual(
      [expect.stringMatching(/^traffic\.route53\.recordName: is a wildcard, .*Fix: /)],
    );
    expect(configProblems({ ...exampleInput(), traffic: { failover: {} } })).toEqual([
      expect.stringMatching(/^traffic\.failover: only applies with traffic\.mode "route53-failover"/),
    ]);
  });
});

/** Every record: to a load balancer with its Region's switch check, or to the next link; all evaluate target health. */
function expectHealthChecked(all: TerraformJson[], checks: Record<string, TerraformJson>) {
  const switchIds = new Set(
    Object.entries(checks)
      .filter(([, c]) => c.type === 'CALCULATED')
      .map(([name]) => `\${aws_route53_health_check.${name}.id}`),
  );
  for (const record of all) {
    expect(record.alias.evaluate_target_health).toBe(true);
    if (String(record.alias.zone_id).includes('remote_state') || String(record.alias.name).includes('remote_state')) {
      expect(switchIds.has(record.health_check_id)).toBe(true);
    } else {
      // An alias to the next link of a failover chain, in the same zone.
      expect(record.alias.zone_id).toBe(route53.hostedZoneId);
      expect(record.health_check_id).toBeUndefined();
    }
  }
}

describe('records: one per location plus the default; failover chains; every record health-checked', () => {
  test.each([2, 3, 5] as const)('geolocation over %i Regions', (n) => {
    const input = geolocationInput(n);
    const { records: all, checks } = edge(input);
    const locations = Object.values(input.traffic!.geolocation!.locations).flat();
    const geo = all.filter((r) => r.name === route53.recordName);
    expect(geo).toHaveLength(locations.length + 1);
    expect(geo.every((r) => r.geolocation_routing_policy !== undefined)).toBe(true);
    expect(new Set(geo.map((r) => r.set_identifier)).size).toBe(geo.length);
    // The default record has no larger location behind it: it aliases a failover pair, the default
    // Region (the primary, us-east-1) first, then the first other Region, so its users leave a failed
    // default Region too.
    const [fallback] = all.filter((r) => r.name === `geo-default.${route53.recordName}`);
    const pair = all.filter((r) => r.name === `geo-default.${route53.recordName}`);
    expect(pair.map((r) => r.failover_routing_policy?.type).sort()).toEqual(['PRIMARY', 'SECONDARY']);
    expect(fallback).toBeDefined();
    const defaultRecord = geo.find((r) => r.geolocation_routing_policy?.country === '*')!;
    expect(defaultRecord.alias).toEqual({
      name: `geo-default.${route53.recordName}`,
      zone_id: route53.hostedZoneId,
      evaluate_target_health: true,
    });
    expect(all).toHaveLength(geo.length + 2);
    const regionOf = (r: TerraformJson) => /region-([a-z0-9-]+)/.exec(String(r.alias.name))![1];
    expect(regionOf(pair.find((r) => r.failover_routing_policy.type === 'PRIMARY')!)).toBe('us-east-1');
    expect(regionOf(pair.find((r) => r.failover_routing_policy.type === 'SECONDARY')!)).toBe('us-west-2');
    expectHealthChecked(all, checks);
  });

  test('geolocation: fallbackRegion picks where the default record fails over to, never the default Region itself', () => {
    const input = geolocationInput(3);
    const withFallback = (fallbackRegion: string) =>
      ({ ...input, traffic: { ...input.traffic, geolocation: { ...input.traffic!.geolocation!, fallbackRegion } } }) as ConfigInput;
    const { records: all } = edge(withFallback('eu-west-1'));
    const secondary = all.find((r) => r.name === `geo-default.${route53.recordName}` && r.failover_routing_policy?.type === 'SECONDARY')!;
    expect(String(secondary.alias.name)).toContain('region-eu-west-1');
    expect(configProblems(withFallback('us-east-1'))).toEqual([
      expect.stringMatching(/^traffic\.geolocation\.fallbackRegion: is the defaultRegion \(us-east-1\).*Fix: name another Region/),
    ]);
    expect(configProblems(withFallback('ap-south-1'))).toEqual([
      expect.stringMatching(/^traffic\.geolocation\.fallbackRegion: "ap-south-1" is not a configured Region\. Fix: /),
    ]);
    expect(configProblems({ ...input, traffic: { ...input.traffic, route53: { ...route53, recordName: '*.shop.example.com' } } })).toEqual([
      expect.stringMatching(/^traffic\.route53\.recordName: is a wildcard, .*Fix: use a name without/),
    ]);
  });

  test.each([2, 3, 5] as const)('failover over %i Regions: a chain of n - 1 links', (n) => {
    const { records: all, checks } = edge(failoverInput(n));
    expect(all).toHaveLength(2 * (n - 1));
    const names = [...new Set(all.map((r) => r.name))];
    expect(names).toEqual([route53.recordName, ...Array.from({ length: n - 2 }, (_, i) => `failover-${i + 2}.${route53.recordName}`)]);
    for (const name of names) {
      expect(
        all
          .filter((r) => r.name === name)
          .map((r) => r.failover_routing_policy.type)
          .sort(),
      ).toEqual(['PRIMARY', 'SECONDARY']);
    }
    // Each nested SECONDARY aliases the next link and waits for it.
    const nested = all.filter((r) => r.alias.zone_id === route53.hostedZoneId);
    expect(nested.map((r) => r.alias.name)).toEqual(names.slice(1));
    for (const r of nested) expect(r.depends_on).toHaveLength(2);
    expectHealthChecked(all, checks);
  });

  test('latency records carry the switch check and evaluate target health too', () => {
    const input = exampleInput('three-region');
    const { records: all, checks } = edge({ ...input, traffic: { mode: 'route53-latency', route53 } });
    expect(all).toHaveLength(3);
    expectHealthChecked(all, checks);
  });

  test('the primary serves first by default; the order decides the PRIMARY of each link', () => {
    const { records: all } = edge(failoverInput(3, ['eu-west-1', 'us-east-1', 'us-west-2']));
    const primary = all.find((r) => r.name === route53.recordName && r.failover_routing_policy.type === 'PRIMARY')!;
    expect(String(primary.alias.name)).toContain('eu-west-1');
  });
});

describe('DNS failover threshold of the target groups', () => {
  const health = (input: ConfigInput) => {
    const result = synth(configFrom(input));
    return Object.values(resources(result.stacks.get('region-us-east-1'), 'aws_lb_target_group')).map((g) => g.target_group_health);
  };
  test('Route 53 modes: half the autoscaling floor, rounded up; with the accelerator, the default written out', () => {
    expect(health(geolocationInput(2))).toEqual([
      { dns_failover: { minimum_healthy_targets_count: '1', minimum_healthy_targets_percentage: 'off' } },
    ]);
    const input = failoverInput(2);
    expect(health({ ...input, workload: { desiredCount: 6, minCount: 5, maxCount: 10 } })).toEqual([
      { dns_failover: { minimum_healthy_targets_count: '3', minimum_healthy_targets_percentage: 'off' } },
    ]);
    // Written out, so a layout that leaves a Route 53 mode puts AWS's default back (the attribute is
    // optional and computed: left out, the old threshold would stay).
    expect(health(exampleInput())).toEqual([
      { dns_failover: { minimum_healthy_targets_count: '1', minimum_healthy_targets_percentage: 'off' } },
    ]);
  });
});

describe('switching modes', () => {
  test('between Route 53 modes on one name: refused with the two-step procedure; to Global Accelerator: allowed', () => {
    const latency = configFrom({ ...exampleInput(), traffic: { mode: 'route53-latency', route53 } });
    const geolocation = configFrom(geolocationInput(2));
    const failover = configFrom(failoverInput(2));
    for (const [from, to] of [
      [latency, geolocation],
      [geolocation, failover],
      [failover, latency],
    ]) {
      expect(configChangeProblems(from, to).map((p) => `${p.path}: ${p.message}`)).toEqual([
        expect.stringMatching(
          /^traffic\.mode: .*one routing policy per name and type.*Fix: in a change window, apply the edge stack in two steps/,
        ),
      ]);
    }
    expect(configChangeProblems(geolocation, configFrom(exampleInput()))).toEqual([]);
    expect(configChangeProblems(configFrom(exampleInput()), geolocation).map((p) => p.path)).toEqual(['traffic.mode']);
  });
});

describe('real Terraform: the edge stack plans', () => {
  test.each([
    // Every stack of geolocation over 3 Regions (the global tables example) and of failover over 2 and 5
    // is planned in test/harness.test.ts; here the edge stack, which holds the records, over the others.
    ...([2, 5] as const).map((n) => [`route53-geolocation over ${n} Regions`, geolocationInput(n)] as const),
    ['route53-failover over 3 Regions', failoverInput(3)] as const,
  ])(
    '%s',
    async (_label, input) => {
      const result = synth(configFrom(input));
      const report = await checkSynthesized(result.outdir, { only: ['edge'] });
      if (report.results.some((r) => !r.ok)) throw new Error(formatReport(report));
      for (const r of report.results) {
        expect(r.warnings).toEqual([]);
        expect(r.planned).toEqual({ add: resourceCount(result.stacks.get(r.stack)!), change: 0, remove: 0 });
      }
    },
    1_800_000,
  );
});
