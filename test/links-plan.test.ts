import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigInput } from '../src/config';
import { checkSynthesized, formatReport } from '../src/terraform/harness';
import { resourceCount } from '../src/terraform/offline';
import { configFrom, exampleInput, synth } from './helpers';

/**
 * Real Terraform, offline, for the links without Transit Gateway. Every stack of VPC peering over 3
 * and 5 Regions and of no link over 2 is planned in test/harness.test.ts (with the other options of
 * issue-sized layouts); here, `mesh`, the one stack the link changes, over the remaining Region
 * counts. The Region stacks are the same with either link (no hub).
 */
const layouts: Array<[string, ConfigInput]> = [
  ['two-region, vpc-peering', { ...exampleInput('two-region'), topology: { link: 'vpc-peering' } }],
  ...(['three-region', 'five-region'] as const).map((example): [string, ConfigInput] => {
    const input = exampleInput(example);
    return [
      `${example}, no link`,
      { ...input, topology: { ...input.topology, link: 'none' }, database: { ...input.database, writeForwarding: true } },
    ];
  }),
];

describe('links between Regions, real Terraform, offline', () => {
  test.each(layouts)('%s: mesh passes init and plan, without warnings', async (_label, input) => {
    const result = synth(configFrom(input));
    try {
      const only = ['mesh'];
      const report = await checkSynthesized(result.outdir, { only });
      if (!report.ok) throw new Error(formatReport(report));
      expect(report.results.map((r) => r.stack).sort()).toEqual([...only].sort());
      for (const r of report.results) {
        expect({ stack: r.stack, warnings: r.warnings }).toEqual({ stack: r.stack, warnings: [] });
        expect(r.planned).toEqual({ add: resourceCount(result.stacks.get(r.stack)!), change: 0, remove: 0 });
      }
    } finally {
      fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
    }
  });
});
