import type { Layout, PricedResource } from './layout';
import { FREE, PRICERS, type ChargeKind, type PricingContext } from './pricers';
import { unitPrice, type PriceTable } from './price-table';
import type { UsageProfile } from './usage';
import { USAGE_DEFAULTS } from './usage';

/** One priced charge: `monthly` is `quantity × unitPrice`. */
export interface CostItem {
  readonly stack: string;
  readonly address: string;
  readonly type: string;
  readonly region: string;
  readonly component: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPrice: number;
  readonly monthly: number;
  /** `fixed`: follows from the configuration; `usage`: from the usage figures too. */
  readonly charge: ChargeKind;
}

export interface Estimate {
  readonly currency: 'USD';
  readonly monthlyTotal: number;
  readonly items: readonly CostItem[];
  readonly assumptions: readonly string[];
  /** What could not be priced, or was priced with another Region's price. */
  readonly warnings: readonly string[];
}

/** Options of an estimate. */
export interface EstimateOptions {
  /** Only fixed charges (a pull request's cost change); usage figures are then not consulted. @default false */
  readonly fixedOnly?: boolean;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Prices every resource of `layout`: each charge its pricer names, at the table's price for its Region. */
export function estimate(layout: Layout, table: PriceTable, usage: UsageProfile, options: EstimateOptions = {}): Estimate {
  const context: PricingContext = {
    layout,
    hours: table.hoursPerMonth,
    usage: (region) => usage.forRegion(region),
    countIn: (region, type, matches) =>
      layout.resources.filter((r) => r.region === region && r.type === type && (!matches || matches(r))).length,
  };
  const items: CostItem[] = [];
  let unconfirmed = 0;
  const warnings = new Set<string>();
  const fallbackRegions = new Set<string>();
  for (const resource of layout.resources) {
    const pricer = PRICERS[resource.type];
    if (!pricer) {
      if (!(resource.type in FREE))
        warnings.add(`${resource.type} is not in the price table: ${resource.stack} ${resource.address} is not priced`);
      continue;
    }
    for (const charge of pricer(resource, context)) {
      if (options.fixedOnly && charge.kind !== 'fixed') continue;
      const region = charge.region ?? resource.region;
      const price = charge.unpriced ? undefined : unitPrice(table, charge.price, region);
      if (!price) {
        warnings.add(
          `${resource.stack} ${resource.address}: ${charge.component} is not priced (${charge.unpriced ?? `no "${charge.price}" in the price table`})`,
        );
        continue;
      }
      if (price.fallback) fallbackRegions.add(region);
      const where = price.entry.global === undefined ? region : 'global';
      const item = itemOf(resource, where, charge.component, charge.quantity, price.entry.unit, price.price, charge.kind);
      items.push(item);
      if (price.fallback || !price.entry.checkedIn.includes(where)) unconfirmed += item.monthly;
    }
  }
  for (const region of fallbackRegions) {
    warnings.add(`${region} is not in the price table: priced as ${table.fallbackRegion}`);
  }
  const total = sum(items.map((i) => i.monthly));
  return {
    currency: 'USD',
    monthlyTotal: total,
    items,
    assumptions: [
      ...assumptions(table, usage, options),
      ...(unconfirmed > 0
        ? [
            `${Math.round((unconfirmed / total) * 100)} % of the total comes from prices not yet confirmed against AWS in their Region (\`checkedIn\` in pricing/aws-prices.json): run \`npm run prices\` with internet access to confirm them.`,
          ]
        : []),
    ],
    warnings: [...warnings],
  };
}

function itemOf(
  resource: PricedResource,
  region: string,
  component: string,
  quantity: number,
  unit: string,
  price: number,
  charge: ChargeKind,
): CostItem {
  return {
    stack: resource.stack,
    address: resource.address,
    type: resource.type,
    region,
    component,
    quantity,
    unit,
    unitPrice: price,
    monthly: quantity * price,
    charge,
  };
}

function assumptions(table: PriceTable, usage: UsageProfile, options: EstimateOptions): string[] {
  const dates = Object.values(table.prices).map((p) => p.read);
  const oldest = dates.reduce((a, b) => (a < b ? a : b));
  const newest = dates.reduce((a, b) => (a > b ? a : b));
  return [
    `On-demand list prices in USD from pricing/aws-prices.json (read ${oldest === newest ? oldest : `${oldest} to ${newest}`}); taxes, support plans, savings plans and reserved capacity are not included.`,
    `A month is ${table.hoursPerMonth} hours; fixed charges run all month.`,
    'Free tiers are not subtracted (10 alarm metrics, 4,000 Step Functions transitions, 20,000 KMS requests a month and others).',
    'Fargate tasks run at their desired count (or the autoscaling floor, when higher); scaling above it, and Spot price changes, are not estimated.',
    'An internet-facing load balancer is priced with one public IPv4 address per subnet, the fewest it has; it adds addresses as it scales.',
    'Aurora Serverless v2 is priced at its minimum capacity; capacity above it is use, not estimated.',
    ...(options.fixedOnly
      ? ['Only fixed charges: usage (data processed, storage, requests) depends on traffic.']
      : [
          usage.source === 'defaults'
            ? `Usage is the default modest month (for example ${USAGE_DEFAULTS.natGatewayProcessedGb} GB through NAT and ${USAGE_DEFAULTS.interRegionTransferGb} GB to other Regions per Region); pass --usage <file> for yours (docs/cost.md).`
            : `Usage from ${usage.source}, over the defaults of docs/cost.md.`,
          'Data transfer out to the internet, Container Insights and S3 replication metrics, KMS requests and runbook executions are not estimated.',
        ]),
  ];
}
