import { estimate } from './estimate';
import { layoutOfPlan, type PlanValues } from './layout';
import { PRICE_INPUTS, PRICERS } from './pricers';
import { priceTable } from './price-table';
import { defaultUsage } from './usage';

/** A resource whose fixed monthly charges a plan changes. */
export interface ResourceCostChange {
  readonly stack: string;
  readonly address: string;
  /** Fixed monthly charges as deployed (0 for a resource the plan creates). */
  readonly before: number;
  /** Fixed monthly charges as planned (0 for a resource the plan destroys). */
  readonly after: number;
}

/** What a set of plans does to the fixed monthly charges of the resources they change. */
export interface PlanCost {
  /** Fixed monthly charges of every priced resource in the plans, as deployed. */
  readonly before: number;
  /** The same as planned. */
  readonly after: number;
  /** Resources whose charges change, largest change first. */
  readonly changes: readonly ResourceCostChange[];
  readonly warnings: readonly string[];
}

function byAddress(items: ReadonlyArray<{ stack: string; address: string; monthly: number }>): Map<string, number> {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(`${item.stack} ${item.address}`, (totals.get(`${item.stack} ${item.address}`) ?? 0) + item.monthly);
  return totals;
}

/**
 * The change in fixed monthly charges the plans make: every resource priced on both sides of each
 * plan (`before`, as deployed, and `after`), so that creates, destroys and changes of a priced
 * argument (instance class, desired count, a Spot weight) all count. Undefined when no plan changes a
 * priced resource. Usage charges are left out: they follow traffic, not the plan.
 */
export function planCost(plans: ReadonlyArray<{ stack: string; plan: PlanValues }>): PlanCost | undefined {
  const changesPriced = plans.some(({ plan }) =>
    (plan.resource_changes ?? []).some(
      (c) =>
        c.mode === 'managed' &&
        (c.type in PRICERS || PRICE_INPUTS.includes(c.type)) &&
        !(c.change.actions ?? []).every((a) => a === 'no-op' || a === 'read'),
    ),
  );
  if (!changesPriced) return undefined;
  const table = priceTable();
  const side = (which: 'before' | 'after') => {
    const estimates = plans.map(({ stack, plan }) =>
      estimate(layoutOfPlan(stack, plan, which), table, defaultUsage(), { fixedOnly: true }),
    );
    return { totals: byAddress(estimates.flatMap((e) => e.items)), warnings: estimates.flatMap((e) => e.warnings) };
  };
  const before = side('before');
  const after = side('after');
  const sum = (totals: Map<string, number>) => [...totals.values()].reduce((a, b) => a + b, 0);
  const changes = [...new Set([...before.totals.keys(), ...after.totals.keys()])]
    .map((key) => {
      const [stack, address] = key.split(' ');
      return { stack, address, before: before.totals.get(key) ?? 0, after: after.totals.get(key) ?? 0 };
    })
    .filter((c) => Math.abs(c.after - c.before) >= 0.005)
    .sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || a.address.localeCompare(b.address));
  return { before: sum(before.totals), after: sum(after.totals), changes, warnings: [...new Set([...before.warnings, ...after.warnings])] };
}
