import { AWS_REGION_CODES } from '../src/config/regions';
import { Naming, s3BucketNameProblem, StackNames } from '../src/naming';
import { isPrivate, overlaps, parseCidr } from '../src/planning/cidr';
import { peersOf, regionPairs } from '../src/planning/pairs';

describe('naming', () => {
  const naming = new Naming('acme-shop', '111122223333');

  test('state resources have deterministic, descriptive names', () => {
    expect(naming.stateBucket('us-east-1')).toBe('acme-shop-tfstate-111122223333-us-east-1');
    expect(naming.stateLockTable()).toBe('acme-shop-tfstate-lock');
    expect(naming.stateKeyAlias()).toBe('alias/acme-shop-tfstate');
    expect(naming.stateObjectKey('region-us-west-2')).toBe('stacks/region-us-west-2.tfstate');
    expect(naming.kmsAliasArn('us-west-2', naming.stateKeyAlias())).toBe('arn:aws:kms:us-west-2:111122223333:alias/acme-shop-tfstate');
  });

  test('the longest project name with the longest Region code still makes valid bucket names', () => {
    const longest = new Naming(`a${'-b'.repeat(11)}c`, '999999999999');
    expect(longest.project).toHaveLength(24);
    for (const region of AWS_REGION_CODES) {
      expect(s3BucketNameProblem(longest.stateBucket(region))).toBeUndefined();
    }
  });

  test('S3 bucket name rules are enforced', () => {
    expect(s3BucketNameProblem('ab')).toMatch(/3 to 63/);
    expect(s3BucketNameProblem('a'.repeat(64))).toMatch(/3 to 63/);
    expect(s3BucketNameProblem('Upper-case')).toMatch(/lowercase/);
    expect(s3BucketNameProblem('a..b')).toMatch(/adjacent dots/);
    expect(s3BucketNameProblem('192.168.1.1')).toMatch(/IP address/);
    expect(s3BucketNameProblem('xn--abc')).toMatch(/reserves/);
    expect(s3BucketNameProblem('sthree-abc')).toMatch(/reserves/);
    expect(s3BucketNameProblem('abc-s3alias')).toMatch(/reserves/);
    expect(s3BucketNameProblem('acme-shop-tfstate')).toBeUndefined();
  });

  test('stack names', () => {
    expect(StackNames.region('eu-west-1')).toBe('region-eu-west-1');
    expect([StackNames.state, StackNames.global, StackNames.mesh]).toEqual(['state', 'global', 'mesh']);
  });
});

describe('CIDR helpers', () => {
  const range = (cidr: string) => {
    const parsed = parseCidr(cidr);
    if (!('range' in parsed)) throw new Error(parsed.problem);
    return parsed.range;
  };

  test('private ranges are exactly RFC 1918', () => {
    expect(isPrivate(range('10.0.0.0/16'))).toBe(true);
    expect(isPrivate(range('172.31.0.0/16'))).toBe(true);
    expect(isPrivate(range('192.168.0.0/16'))).toBe(true);
    expect(isPrivate(range('172.32.0.0/16'))).toBe(false);
    expect(isPrivate(range('100.64.0.0/16'))).toBe(false);
  });

  test('overlap is detected in both directions, adjacency is not overlap', () => {
    expect(overlaps(range('10.0.0.0/16'), range('10.0.128.0/17'))).toBe(true);
    expect(overlaps(range('10.0.128.0/17'), range('10.0.0.0/16'))).toBe(true);
    expect(overlaps(range('10.0.0.0/16'), range('10.1.0.0/16'))).toBe(false);
  });

  test('host bits and malformed blocks are explained', () => {
    expect(parseCidr('10.0.0.1/16')).toEqual({ problem: expect.stringContaining('"10.0.0.0/16"') });
    expect(parseCidr('10.0.0.0/33')).toEqual({ problem: expect.stringContaining('not an IPv4 CIDR block') });
  });
});

describe('Region pairs', () => {
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];

  test('a full mesh of N Regions has N(N-1)/2 distinct pairs', () => {
    for (let n = 2; n <= regions.length; n++) {
      const pairs = regionPairs(regions.slice(0, n), 'us-east-1', 'full-mesh');
      expect(pairs).toHaveLength((n * (n - 1)) / 2);
      const keys = new Set(pairs.map((p) => [p.requester, p.accepter].sort().join('|')));
      expect(keys.size).toBe(pairs.length);
      for (const region of regions.slice(0, n)) expect(peersOf(region, pairs)).toHaveLength(n - 1);
    }
  });

  test('hub-and-spoke links the primary with every other Region only', () => {
    const pairs = regionPairs(regions, 'us-west-2', 'hub-and-spoke');
    expect(pairs).toHaveLength(regions.length - 1);
    expect(pairs.every((p) => p.requester === 'us-west-2' || p.accepter === 'us-west-2')).toBe(true);
    expect(peersOf('eu-west-1', pairs)).toEqual(['us-west-2']);
  });

  test('a pair keeps its direction when Regions are reordered or added', () => {
    const before = regionPairs(['us-west-2', 'us-east-1'], 'us-east-1', 'full-mesh');
    const after = regionPairs(['eu-west-1', 'us-east-1', 'us-west-2'], 'us-east-1', 'full-mesh');
    expect(after).toEqual(expect.arrayContaining(before));
    expect(before).toEqual([{ requester: 'us-east-1', accepter: 'us-west-2' }]);
  });
});
