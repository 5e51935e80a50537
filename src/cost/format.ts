import type { CostItem, Estimate } from './estimate';

/** Dollars and cents with thousands separators, e.g. `$1,234.56`, `-$73.00`. */
export function dollars(amount: number): string {
  const cents = Math.round(Math.abs(amount) * 100) / 100;
  const text = cents.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount < 0 && cents > 0 ? '-' : ''}$${text}`;
}

/** A signed change, e.g. `+$73.00`, `-$12.40`, `$0.00`. */
export function dollarChange(amount: number): string {
  const text = dollars(amount);
  return text.startsWith('-') || text === '$0.00' ? text : `+${text}`;
}

function total(items: readonly CostItem[], charge?: CostItem['charge']): number {
  return items.filter((i) => !charge || i.charge === charge).reduce((sum, i) => sum + i.monthly, 0);
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) groups.set(key(value), [...(groups.get(key(value)) ?? []), value]);
  return groups;
}

function quantityText(quantity: number): string {
  return Number.isInteger(quantity) ? quantity.toLocaleString('en-US') : quantity.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/** The estimate as Markdown: totals per stack and per Region, fixed and usage, the charges, the assumptions. */
export function formatEstimate(estimate: Estimate, title: string): string {
  const { items } = estimate;
  const row = (label: string, group: readonly CostItem[]) =>
    `| ${label} | ${dollars(total(group, 'fixed'))} | ${dollars(total(group, 'usage'))} | ${dollars(total(group))} |`;
  const totalsTable = (heading: string, groups: Map<string, CostItem[]>) => [
    `| ${heading} | fixed | usage | total |`,
    '| --- | ---: | ---: | ---: |',
    ...[...groups].map(([label, group]) => row(label, group)),
    `| **total** | **${dollars(total(items, 'fixed'))}** | **${dollars(total(items, 'usage'))}** | **${dollars(estimate.monthlyTotal)}** |`,
  ];
  const charges = [...groupBy(items, (i) => [i.charge, i.type, i.component, i.region, i.unit, i.unitPrice].join('|'))].map(([, group]) => ({
    first: group[0],
    quantity: group.reduce((sum, i) => sum + i.quantity, 0),
    monthly: total(group),
    resources: group.length,
  }));
  const chargeRows = (kind: CostItem['charge']) =>
    charges
      .filter((c) => c.first.charge === kind)
      .sort((a, b) => b.monthly - a.monthly || a.first.type.localeCompare(b.first.type))
      .map(
        (c) =>
          `| \`${c.first.type}\` | ${c.first.component} | ${c.first.region} | ${c.resources} | ${quantityText(c.quantity)} | ${c.first.unit} | $${c.first.unitPrice} | ${dollars(c.monthly)} |`,
      );
  const chargeTable = (kind: CostItem['charge']) => [
    '| resource type | charge | Region | resources | quantity | unit | unit price | monthly |',
    '| --- | --- | --- | ---: | ---: | --- | ---: | ---: |',
    ...chargeRows(kind),
  ];
  return [
    `## ${title}: ${dollars(estimate.monthlyTotal)} a month`,
    '',
    `${dollars(total(items, 'fixed'))} fixed (from the configuration) and ${dollars(total(items, 'usage'))} usage, in USD at on-demand list prices.`,
    '',
    '### By stack',
    '',
    ...totalsTable(
      'stack',
      groupBy(items, (i) => `\`${i.stack}\``),
    ),
    '',
    '### By Region',
    '',
    ...totalsTable(
      'Region',
      groupBy(
        [...items].sort((a, b) => a.region.localeCompare(b.region)),
        (i) => i.region,
      ),
    ),
    '',
    '### Fixed charges',
    '',
    ...chargeTable('fixed'),
    '',
    ...(charges.some((c) => c.first.charge === 'usage') ? ['### Usage charges', '', ...chargeTable('usage'), ''] : []),
    '### Assumptions',
    '',
    ...estimate.assumptions.map((a) => `- ${a}`),
    ...estimate.warnings.map((w) => `- **Not exact:** ${w}`),
    '',
  ].join('\n');
}

/** The estimate as the JSON `active-active cost --json` prints (docs/cost.md). */
export function estimateJson(estimate: Estimate): string {
  return `${JSON.stringify(
    {
      currency: estimate.currency,
      monthlyTotal: estimate.monthlyTotal,
      items: estimate.items,
      assumptions: [...estimate.assumptions, ...estimate.warnings.map((w) => `Not exact: ${w}`)],
    },
    null,
    2,
  )}\n`;
}
