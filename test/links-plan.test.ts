import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigInput } from '../src/config';
import { checkSynthesized, formatReport } from '../src/terraform/harness';
import { resourceCount } from '../src/terraform/offline';
import { configFrom, exampleInput, synth } from './helpers';

/**
 * Real Terraform, offline, for the links without Transit Gateway: the Region stacks and `mesh` (the
 * stacks the link changes; `state`, `global` and `edge` are the same whatever the link) of 2, 3 and
 * 5 Regions, planned from nothing.
 */
const layouts: Array<[string, ConfigInput]> = (['two-region', 'three-region', 'five-region'] as const).flatMap((example) => {
  const input = exampleInput(example);
  return [
    [`${example}, vpc-peering`, { ...input, topology: { ...input.topology, link: 'vpc-peering' } }],
    [
      `${example}, no link`,
      { ...input, topology: { ...input.topology, link: 'none' }, database: { ...input.database, writeForwarding: true } },
    ],
  ] as Array<[string, ConfigInput]>;
});

describe('links between Regions, real Terraform, offline', () => {
  test.each(layouts)('%s: the Region stacks and mesh pass init, validate and plan, without warnings', async (_label, input) => {
    const result = synth(configFrom(input));
    try {
      const only = result.order.filter((name) => name === 'mesh' || name.startsWith('region-'));
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
