import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_USER_TAGS } from '../src/config/schema';
import { AWS_MAX_TAGS_PER_RESOURCE, DEFAULT_TAG_KEYS, GENERATED_TAG_KEYS, MAX_RESOURCE_TAGS, RESOURCE_TAG_KEYS } from '../src/naming/tags';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, configProblems, exampleInput, synth } from './helpers';

const problems = configProblems;

const tagsOf = (count: number, prefix = 'Team') => Object.fromEntries(Array.from({ length: count }, (_, i) => [`${prefix}${i}`, 'x']));

describe('apply-7 tags', () => {
  // Layouts that between them create every resource type the generator knows: peerings (Side),
  // subnets (Tier), NAT, interface endpoints, DNS records, the workload and data buckets.
  const layouts = [
    configFrom(exampleInput()),
    configFrom({
      ...exampleInput('three-region'),
      network: { natGateways: 'single', interfaceEndpoints: ['logs'] },
      traffic: { route53: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' } },
      topology: { peering: 'hub-and-spoke' },
      database: { writeForwarding: true },
    }),
  ];
  const results = layouts.map((config) => synth(config));
  afterAll(() => results.forEach((r) => fs.rmSync(path.dirname(r.outdir), { recursive: true, force: true })));

  test('apply-7 tags: the headroom is what the most-tagged synthesized resource leaves of 50', () => {
    let most = 0;
    const resourceKeys = new Set<string>();
    for (const [index, result] of results.entries()) {
      const userKeys = Object.keys(layouts[index].tags);
      for (const [stackName, stack] of result.stacks) {
        for (const provider of stack.provider.aws as TerraformJson[]) {
          const defaults = Object.keys(provider.default_tags[0].tags).filter((k) => !userKeys.includes(k));
          expect(`${stackName}: ${defaults.sort().join(',')}`).toBe(`${stackName}: ${[...DEFAULT_TAG_KEYS].sort().join(',')}`);
        }
        for (const [type, byName] of Object.entries((stack.resource ?? {}) as Record<string, Record<string, TerraformJson>>)) {
          for (const [name, body] of Object.entries(byName)) {
            const keys = Object.keys((body.tags ?? {}) as Record<string, string>);
            keys.forEach((k) => resourceKeys.add(k));
            expect(
              `${stackName}/${type}.${name}: ${keys.filter((k) => (DEFAULT_TAG_KEYS as readonly string[]).includes(k)).join(',')}`,
            ).toBe(`${stackName}/${type}.${name}: `);
            most = Math.max(most, keys.length);
          }
        }
      }
    }
    // A construct that adds a resource-level tag changes one of these, and with them the headroom.
    expect([...resourceKeys].sort()).toEqual([...RESOURCE_TAG_KEYS].sort());
    expect(most).toBe(MAX_RESOURCE_TAGS);
    expect(MAX_USER_TAGS).toBe(AWS_MAX_TAGS_PER_RESOURCE - DEFAULT_TAG_KEYS.length - most);
  });

  test('apply-7 tags: as many configured tags as fit pass, one more is refused with the count the generator adds', () => {
    expect(MAX_USER_TAGS).toBe(45);
    expect(problems({ ...exampleInput(), tags: tagsOf(MAX_USER_TAGS) })).toEqual([]);
    expect(problems({ ...exampleInput(), tags: tagsOf(MAX_USER_TAGS + 1) })).toEqual([
      expect.stringMatching(
        /^tags: has 46 tags; AWS allows 50 per resource and the generator puts up to 5 on one resource \(Project, ManagedBy, Stack, and Name with Tier or Side\)\. Fix: keep at most 45$/,
      ),
    ]);
  });

  test.each(
    GENERATED_TAG_KEYS.flatMap((key) => [
      [key, key],
      [key, key.toLowerCase()],
    ]),
  )('apply-7 tags: a configured tag %s (as "%s") is refused: the generator owns it', (generated, key) => {
    expect(problems({ ...exampleInput(), tags: { Environment: 'production', [key]: 'x' } })).toEqual([
      `tags.${key}: "${key}" is a tag the generator sets (${generated}); AWS would keep one of the two, or IAM would refuse both. Fix: rename the tag, e.g. "Team${generated}"`,
    ]);
  });

  test('apply-7 tags: two configured keys that differ only in case are refused (IAM tag keys ignore case)', () => {
    expect(problems({ ...exampleInput(), tags: { CostCenter: '1', costcenter: '2' } })).toEqual([
      'tags.costcenter: differs from "CostCenter" only in case; IAM treats tag keys case-insensitively and refuses the pair on every role. Fix: keep one of them',
    ]);
  });
});
