import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema } from '../src/config';
import type { JsonSchemaNode } from '../src/config/json-schema';
import { AWS_REGION_CODES } from '../src/config/regions';
import { failoverSeconds } from '../src/planning/failover';
import { subnetTable } from '../src/report/subnet-table';
import { resourceCount } from '../src/terraform/offline';
import { configFrom, example, exampleInput, ROOT, synth } from './helpers';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function fieldPaths(node: JsonSchemaNode, prefix = ''): string[] {
  if (node.anyOf) return node.anyOf.flatMap((branch) => fieldPaths(branch, prefix));
  const own = Object.entries(node.properties ?? {}).flatMap(([key, child]) => {
    const field = prefix ? `${prefix}.${key}` : key;
    return [field, ...fieldPaths(child, field)];
  });
  return node.items ? [...own, ...fieldPaths(node.items, `${prefix}[]`)] : own;
}

describe('README', () => {
  test('the configuration reference has a row for every field of the schema, and no other', () => {
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Stack topology'));
    const documented = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(fieldPaths(configJsonSchema()).sort());
  });

  test('lists every supported Region, as config errors promise', () => {
    for (const region of AWS_REGION_CODES) expect(readme).toContain(region);
  });

  test('the subnet plan table is what `active-active subnets` prints for the two-Region example', () => {
    const table = /<!-- subnet-plan:two-region -->\n([\s\S]*?)\n<!-- \/subnet-plan -->/.exec(readme)?.[1];
    expect(table).toBe(subnetTable(example('two-region')));
  });

  test('the resources-per-stack table matches what the examples synthesize', () => {
    const table = /<!-- resource-counts -->\n([\s\S]*?)\n<!-- \/resource-counts -->/.exec(readme)![1];
    const rows = table.split('\n').slice(2).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
    expect(rows).toHaveLength(3);
    for (const [label, state, global, regions, mesh, edge] of rows) {
      const { stacks } = synth(example(/`([a-z-]+)`/.exec(label)![1]));
      const count = (stack: string) => resourceCount(stacks.get(stack)!);
      const regionCounts = [...stacks.keys()].filter((s) => s.startsWith('region-')).map(count);
      expect([count('state'), count('global'), count('mesh'), count('edge')]).toEqual([Number(state), Number(global), Number(mesh), Number(edge)]);
      expect([...new Set(regionCounts)].join(', ')).toBe(regions);
    }
  });

  test('apply-3 health settings: every failover time the README states follows from failoverSeconds', () => {
    const table = /<!-- failover-time -->\n([\s\S]*?)\n<!-- \/failover-time -->/.exec(readme)![1];
    const rows = table.split('\n').slice(2).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
    expect(rows.length).toBeGreaterThan(0);
    const route53 = { hostedZoneId: 'Z0123456789ABCDEFGHIJ', recordName: 'shop.example.com' };
    for (const [mode, interval, threshold, stated] of rows) {
      const healthCheck = { intervalSeconds: parseInt(interval, 10), unhealthyThresholdCount: parseInt(threshold, 10) };
      const modeName = /`([a-z0-9-]+)`/.exec(mode)![1];
      const config = configFrom({ ...exampleInput(), traffic: { mode: modeName, healthCheck, ...(modeName === 'route53-latency' ? { route53 } : {}) } });
      expect(stated).toBe(`${failoverSeconds(config.traffic).totalSeconds} s`);
    }
    const defaults = failoverSeconds(example('two-region').traffic).totalSeconds;
    expect(readme).toContain(`health-checked failover in about ${defaults} seconds with the\n  default health check`);
    // No other failover figure: the old accelerator-only claim is gone.
    expect(readme).not.toMatch(/failover in about 30 seconds/);
  });

  test('the sample comment in the README is the start of docs/sample-plan-comment.md', () => {
    const shown = /<!-- sample-comment -->\n([\s\S]*?)\n<!-- \/sample-comment -->/.exec(readme)![1];
    const sample = fs.readFileSync(path.join(ROOT, 'docs', 'sample-plan-comment.md'), 'utf8');
    expect(`${shown}\n\n<details>`).toBe(sample.slice(0, sample.indexOf('<details>') + '<details>'.length));
  });

  test('gives the two commands a newcomer runs', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm test');
  });
});

describe('.ci/run', () => {
  test('installs from the lock file, type-checks and runs the README test command', () => {
    const script = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(script).toMatch(/^npm ci\b/m);
    expect(script).toMatch(/npm run typecheck/);
    expect(script).toMatch(/npm test\b/);
  });
});
