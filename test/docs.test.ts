import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema } from '../src/config';
import type { JsonSchemaNode } from '../src/config/json-schema';
import { AWS_REGION_CODES } from '../src/config/regions';
import { subnetTable } from '../src/report/subnet-table';
import { example, ROOT } from './helpers';

const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function fieldPaths(node: JsonSchemaNode, prefix = ''): string[] {
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
