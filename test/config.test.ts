import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONFIG_ENV_VAR, ConfigError, CWD_CONFIG_FILE, locateConfig, loadConfigFile, parseConfigText } from '../src/config';
import { configFrom, configProblems, ELEVEN_REGIONS, example, exampleInput, ROOT, tempDir } from './helpers';

const problems = configProblems;

function withRegions(regions: unknown[], extra: Record<string, unknown> = {}) {
  return { ...exampleInput(), regions, ...extra };
}

const east = { region: 'us-east-1', cidr: '10.10.0.0/16', primary: true };
const west = { region: 'us-west-2', cidr: '10.20.0.0/16' };

describe('valid configuration', () => {
  test('the two-Region example resolves with every default applied, frozen', () => {
    const config = example('two-region');
    expect(config.primaryRegion).toBe('us-east-1');
    expect(config.secondaryRegions).toEqual(['us-west-2']);
    expect(config.regions[1]).toMatchObject({
      region: 'us-west-2',
      cidr: '10.20.0.0/16',
      azs: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      primary: false,
    });
    expect(config.state).toEqual({
      region: 'us-east-1',
      replicaRegion: 'us-west-2',
      noncurrentVersionExpirationDays: 90,
      useLockfile: false,
      active: 'primary',
    });
    expect(config.topology).toEqual({ peering: 'full-mesh', link: 'transit-gateway', keepTransitGateways: false });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.regions[0].azs)).toBe(true);
    expect(() => {
      (config.regions as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });

  test('network defaults: NAT per AZ, no interface endpoints, flow logs kept a year, ASNs by Region offset', () => {
    const config = example('two-region');
    expect(config.network).toEqual({
      natGateways: 'per-az',
      interfaceEndpoints: [],
      flowLogs: { retentionDays: 365, trafficType: 'ALL' },
      transitGatewayAsnRange: { start: 64512, end: 65534 },
    });
    expect(config.regions.map((r) => r.transitGatewayAsn)).toEqual([64512, 64515]);
    expect(config.regions[0].subnetNewBits).toEqual({ public: 6, private: 4, database: 6, transit: 12 });
    expect(config.regions[0].subnets.private.subnets).toEqual([
      { az: 'us-east-1a', cidr: '10.10.0.0/20' },
      { az: 'us-east-1b', cidr: '10.10.16.0/20' },
      { az: 'us-east-1c', cidr: '10.10.32.0/20' },
    ]);
  });

  test('without NAT, interface endpoints default to what private workloads need', () => {
    const config = configFrom({ ...exampleInput(), network: { natGateways: 'none' }, workload: 'none' });
    expect(config.network.interfaceEndpoints).toEqual(['ecr.api', 'ecr.dkr', 'logs', 'sts', 'kms', 'secretsmanager']);
  });

  test('transit subnets default to /28 whatever the VPC size', () => {
    const config = example('five-region');
    for (const region of config.regions) {
      expect(region.subnets.transit.subnets.every((s) => s.cidr.endsWith('/28'))).toBe(true);
    }
  });

  test('the three-Region example keeps its explicit state and topology settings', () => {
    const config = example('three-region');
    expect(config.regions.map((r) => r.region)).toEqual(['us-east-1', 'us-west-2', 'eu-west-1']);
    expect(config.state).toEqual({
      region: 'us-east-1',
      replicaRegion: 'us-west-2',
      noncurrentVersionExpirationDays: 180,
      useLockfile: true,
      active: 'primary',
    });
  });

  test('the replica state Region defaults to the first Region other than the state Region', () => {
    const config = configFrom(withRegions([west, east], { state: { region: 'us-west-2' } }));
    expect(config.state).toMatchObject({ region: 'us-west-2', replicaRegion: 'us-east-1' });
  });

  test('Regions whose AZ names differ from a, b, c get the names every account has', () => {
    const config = configFrom(withRegions([east, { region: 'ap-northeast-1', cidr: '10.20.0.0/16' }]));
    expect(config.regions[1].azs).toEqual(['ap-northeast-1a', 'ap-northeast-1c', 'ap-northeast-1d']);
  });

  test('eleven Regions (one primary, ten secondaries) are accepted', () => {
    const regions = ELEVEN_REGIONS.map((region, i) => ({ region, cidr: `10.${i + 1}.0.0/16`, primary: i === 0 }));
    expect(configFrom(withRegions(regions)).secondaryRegions).toHaveLength(10);
  });
});

describe('invalid configuration names the field and the fix', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    [
      'unknown Region code',
      withRegions([east, { region: 'us-west-9', cidr: '10.20.0.0/16' }]),
      /^regions\[1\]\.region: "us-west-9" is not a supported AWS Region code\. Fix: .*such as "us-west-\d"/,
    ],
    [
      'a retired Region still in regions',
      { ...exampleInput(), retiredRegions: ['us-west-2'] },
      /^retiredRegions\[0\]: "us-west-2" is still in regions\. Fix: remove it from regions, or from retiredRegions if it stays/,
    ],
    [
      'a retired Region that is no Region',
      { ...exampleInput(), retiredRegions: ['eu-west-9'] },
      /^retiredRegions\[0\]: "eu-west-9" is not a supported AWS Region code/,
    ],
    [
      'a failover Region that is the primary',
      { ...exampleInput(), resilience: { failoverRegion: 'us-east-1' } },
      /^resilience\.failoverRegion: "us-east-1" is not a secondary Region\. Fix: use one of us-west-2, or remove it/,
    ],
    [
      'automatic evacuation without runbooks',
      { ...exampleInput(), resilience: { autoEvacuate: true, runbooks: { enabled: false } } },
      /^resilience\.autoEvacuate: starts a runbook, but resilience\.runbooks\.enabled is false\. Fix:/,
    ],
    [
      'a Route 53 interval it does not offer',
      { ...exampleInput(), resilience: { healthChecks: { requestIntervalSeconds: 20 } } },
      /^resilience\.healthChecks\.requestIntervalSeconds: must be 10 or 30 seconds/,
    ],
    [
      'duplicate Region',
      withRegions([east, { region: 'us-east-1', cidr: '10.20.0.0/16' }]),
      /^regions\[1\]\.region: "us-east-1" is already listed at regions\[0\]\. Fix: list each Region once/,
    ],
    [
      'no primary',
      withRegions([{ ...east, primary: false }, west]),
      /^regions: no Region is primary\. Fix: set "primary": true on exactly one Region/,
    ],
    ['two primaries', withRegions([east, { ...west, primary: true }]), /^regions: 2 Regions are primary \(us-east-1, us-west-2\)\. Fix:/],
    ['fewer than two Regions', withRegions([east]), /^regions: needs at least 2 Regions.*Fix: add a Region/],
    [
      'more than eleven Regions',
      withRegions(
        [
          'us-east-1',
          'us-east-2',
          'us-west-1',
          'us-west-2',
          'ca-central-1',
          'eu-west-1',
          'eu-west-2',
          'eu-west-3',
          'eu-central-1',
          'eu-north-1',
          'ap-south-1',
          'ap-southeast-1',
        ].map((region, i) => ({ region, cidr: `10.${i + 1}.0.0/16`, primary: i === 0, azs: [`${region}a`, `${region}b`] })),
      ),
      /^regions: allows at most 11 Regions \(Aurora Global Database: one primary and up to ten secondaries\)\. Fix: remove Regions/,
    ],
    [
      'overlapping CIDRs',
      withRegions([east, { ...west, cidr: '10.10.128.0/17' }]),
      /^regions\[1\]\.cidr: "10\.10\.128\.0\/17" overlaps regions\[0\]\.cidr "10\.10\.0\.0\/16" \(us-east-1\).*Fix:/,
    ],
    [
      'public CIDR',
      withRegions([east, { ...west, cidr: '52.20.0.0/16' }]),
      /^regions\[1\]\.cidr: "52\.20\.0\.0\/16" is not in a private \(RFC 1918\) range\. Fix: pick a block inside 10\.0\.0\.0\/8/,
    ],
    [
      'CIDR larger than /16',
      withRegions([east, { ...west, cidr: '10.0.0.0/8' }]),
      /^regions\[1\]\.cidr: "10\.0\.0\.0\/8" is a \/8; a VPC takes a \/16 to \/20\. Fix:/,
    ],
    [
      'CIDR smaller than /20',
      withRegions([east, { ...west, cidr: '10.20.0.0/24' }]),
      /^regions\[1\]\.cidr: "10\.20\.0\.0\/24" is a \/24.*Fix:/,
    ],
    [
      'CIDR with host bits',
      withRegions([east, { ...west, cidr: '10.20.1.0/16' }]),
      /^regions\[1\]\.cidr: "10\.20\.1\.0\/16" has host bits set; its network address is "10\.20\.0\.0\/16"\. Fix:/,
    ],
    ['not a CIDR', withRegions([east, { ...west, cidr: '10.20.0.0' }]), /^regions\[1\]\.cidr: "10\.20\.0\.0" is not an IPv4 CIDR block/],
    ['account ID of 11 digits', { ...exampleInput(), accountId: '11112222333' }, /^accountId: must be exactly 12 digits\. Fix:/],
    ['account ID as a number', { ...exampleInput(), accountId: 111122223333 }, /^accountId: must be a string of 12 digits\. Fix: quote it/],
    [
      'name with capitals',
      { ...exampleInput(), name: 'Acme' },
      /^name: must be usable in S3 bucket and RDS identifiers.*Fix: use a name such as "acme-shop"/,
    ],
    ['name with underscore', { ...exampleInput(), name: 'acme_shop' }, /^name: must be usable in S3 bucket and RDS identifiers/],
    ['name with a double hyphen', { ...exampleInput(), name: 'acme--shop' }, /^name: must be usable/],
    ['name ending in a hyphen', { ...exampleInput(), name: 'acme-' }, /^name: must be usable/],
    [
      'name too long for bucket names',
      { ...exampleInput(), name: 'a'.repeat(25) },
      /^name: must have at most 24 characters.*Fix: shorten it/,
    ],
    [
      'unknown top-level key',
      { ...exampleInput(), regoins: [] },
      /^regoins: unknown key\. Did you mean "regions"\? Fix: remove it or use one of: \$schema, name, accountId, regions, tags, state, topology, network/,
    ],
    ['unknown nested key', withRegions([{ ...east, primay: true }, west]), /^regions\[0\]\.primay: unknown key\. Did you mean "primary"\?/],
    [
      'unknown state key',
      { ...exampleInput(), state: { useLockFile: true } },
      /^state\.useLockFile: unknown key\. Did you mean "useLockfile"\?/,
    ],
    [
      'replica in the state Region',
      { ...exampleInput(), state: { replicaRegion: 'us-east-1' } },
      /^state\.replicaRegion: "us-east-1" is also the state Region.*Fix: pick another Region/,
    ],
    [
      'unknown peering topology',
      { ...exampleInput(), topology: { peering: 'ring' } },
      /^topology\.peering: "ring" is not a peering topology\. Fix: use "full-mesh" or "hub-and-spoke"/,
    ],
    [
      'AZ of another Region',
      withRegions([east, { ...west, azs: ['us-west-2a', 'us-east-1b'] }]),
      /^regions\[1\]\.azs\[1\]: "us-east-1b" is not an Availability Zone of us-west-2\. Fix:/,
    ],
    ['a single AZ', withRegions([east, { ...west, azs: ['us-west-2a'] }]), /^regions\[1\]\.azs: needs at least 2 Availability Zones/],
    [
      'Region without safe default AZs',
      withRegions([east, { region: 'us-west-1', cidr: '10.20.0.0/16' }]),
      /^regions\[1\]\.azs: us-west-1 names its Availability Zones differently per account.*Fix: list the AZ names/,
    ],
    ['reserved tag prefix', { ...exampleInput(), tags: { 'aws:owner': 'x' } }, /^tags\["aws:owner"\]: .*"aws:" prefix is reserved/],
    [
      'unknown NAT mode',
      { ...exampleInput(), network: { natGateways: 'shared' } },
      /^network\.natGateways: "shared" is not a NAT mode\. Fix: use "per-az", "single" or "none"/,
    ],
    [
      'tiers that do not fit the VPC',
      { ...exampleInput(), network: { subnetNewBits: { private: 3, public: 3 } } },
      /^network\.subnetNewBits: do not fit regions\[0\]\.cidr \(us-east-1\): the tiers reserve 213% of "10\.10\.0\.0\/16".*Fix: raise the newbits/,
    ],
    [
      'subnets smaller than /28 in a small VPC',
      withRegions([east, { ...west, cidr: '10.20.0.0/20' }], { network: { subnetNewBits: { database: 9 } } }),
      /^network\.subnetNewBits: do not fit regions\[1\]\.cidr \(us-west-2\): database subnets would be \/29 in "10\.20\.0\.0\/20"; AWS subnets are \/28 or larger/,
    ],
    [
      'newbits below the 8 AZ slots',
      { ...exampleInput(), network: { subnetNewBits: { private: 2 } } },
      /^network\.subnetNewBits\.private: must be at least 3: each tier reserves 8 AZ slots/,
    ],
    [
      'ASN range too small for the Regions',
      { ...exampleInput(), network: { transitGatewayAsnRange: { start: 64512, end: 64513 } } },
      /^network\.transitGatewayAsnRange: 64512-64513 holds 2 ASNs, but the Regions need 4: .*Fix: set end to at least 64515/,
    ],
    [
      'public ASN range',
      { ...exampleInput(), network: { transitGatewayAsnRange: { start: 100, end: 200 } } },
      /^network\.transitGatewayAsnRange: 100-200 is not a private ASN range\. Fix: use a range inside 64512-65534 or 4200000000-4294967294/,
    ],
    [
      'AZ without a subnet slot',
      withRegions([east, { ...west, azs: ['us-west-2a', 'us-west-2i'] }]),
      /^regions\[1\]\.azs\[1\]: "us-west-2i" has no subnet slot: AZ letters a to h are supported/,
    ],
    [
      'duplicate interface endpoint',
      { ...exampleInput(), network: { interfaceEndpoints: ['sts', 'sts'] } },
      /^network\.interfaceEndpoints\[1\]: "sts" is listed twice/,
    ],
    [
      'malformed interface endpoint',
      { ...exampleInput(), network: { interfaceEndpoints: ['com.amazonaws.us-east-1.sts '] } },
      /^network\.interfaceEndpoints\[0\]: is not an AWS service endpoint name/,
    ],
    [
      'flow log retention CloudWatch does not offer',
      { ...exampleInput(), network: { flowLogs: { retentionDays: 10 } } },
      /^network\.flowLogs\.retentionDays: is not a CloudWatch Logs retention period\. Fix: use one of 1, 3, 5/,
    ],
    [
      'missing required field',
      { ...exampleInput(), accountId: undefined },
      /^accountId: is required\. Fix: add it; it is: The 12-digit AWS account ID/,
    ],
    [
      'wrong type',
      { ...exampleInput(), regions: 'us-east-1' },
      /^regions: expected an array, got string "us-east-1"\. Fix: use an array; it is: The 2 to 11 Regions/,
    ],
  ];

  test.each(cases)('%s', (_label, input, expected) => {
    expect(problems(input)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  test('every problem is reported at once, not only the first', () => {
    const found = problems({
      ...withRegions([
        { ...east, cidr: '10.0.0.0/8' },
        { ...west, region: 'mars-1' },
      ]),
      accountId: '1',
    });
    expect(found.map((line) => line.split(':')[0])).toEqual(expect.arrayContaining(['accountId', 'regions[0].cidr', 'regions[1].region']));
  });
});

describe('reading the file', () => {
  test('a file that is not JSON is reported with its line and column', () => {
    const text = '{\n  "name": "acme-shop",\n  "accountId": "111122223333"\n  "regions": []\n}\n';
    expect(() => parseConfigText(text, 'bad.json')).toThrow(
      /bad\.json:\n {2}- line 4, column 3: not valid JSON \(CommaExpected\)\. Fix: correct the JSON syntax there/,
    );
  });

  test('comments and trailing commas are rejected: the file is plain JSON', () => {
    expect(() => parseConfigText('{ "name": "a", }', 'x.json')).toThrow(/line 1, column 16/);
    expect(() => parseConfigText('// hi\n{}', 'x.json')).toThrow(/line 1, column 1/);
  });

  test('a JSON value that is not an object is rejected', () => {
    expect(() => parseConfigText('[1, 2]', 'x.json')).toThrow(/\(root\): must be a JSON object/);
  });

  test('an unreadable file is reported as a user error', () => {
    const dir = tempDir();
    expect(() => loadConfigFile(dir)).toThrow(ConfigError);
  });
});

describe('which config file is used', () => {
  const project = tempDir();
  const flagFile = path.join(project, 'flag.json');
  const envFile = path.join(project, 'env.json');
  fs.writeFileSync(flagFile, '{}');
  fs.writeFileSync(envFile, '{}');

  test('--config wins over the environment variable and the working directory', () => {
    fs.writeFileSync(path.join(project, CWD_CONFIG_FILE), '{}');
    const located = locateConfig({ flag: 'flag.json', env: { [CONFIG_ENV_VAR]: envFile }, cwd: project });
    expect(located).toEqual({ path: flagFile, origin: 'flag' });
  });

  test('then $ACTIVE_ACTIVE_CONFIG', () => {
    expect(locateConfig({ env: { [CONFIG_ENV_VAR]: envFile }, cwd: project })).toEqual({ path: envFile, origin: 'env' });
  });

  test('then active-active.config.json in the working directory', () => {
    expect(locateConfig({ env: {}, cwd: project })).toEqual({ path: path.join(project, CWD_CONFIG_FILE), origin: 'cwd' });
  });

  test('then the embedded two-Region example', () => {
    expect(locateConfig({ env: {}, cwd: tempDir() })).toEqual({
      path: path.join(ROOT, 'examples', 'two-region.json'),
      origin: 'embedded',
    });
  });

  test('a named file that does not exist is an error naming the flag or variable', () => {
    expect(() => locateConfig({ flag: 'missing.json', env: {}, cwd: project })).toThrow(
      /--config: file "missing\.json" does not exist\. Fix: point --config at an existing config file/,
    );
    expect(() => locateConfig({ env: { [CONFIG_ENV_VAR]: 'missing.json' }, cwd: project })).toThrow(
      /ACTIVE_ACTIVE_CONFIG: file "missing\.json" does not exist/,
    );
  });
});
