import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../package-root';

/** Where an entry's price can be refreshed from in the AWS Price List bulk files: the offer and the product's attributes. */
export interface OfferQuery {
  /** Offer code, e.g. `AmazonEC2`. */
  readonly service: string;
  /** Divides the offer's per-unit price into the table's unit, e.g. 1000000 for a price per million. @default 1 */
  readonly scale?: number;
  /** Product attributes that must match; a value starting with `*` matches the attribute's end (usage types carry a Region prefix). */
  readonly [attribute: string]: string | number | undefined;
}

/** One price of the table. */
export interface PriceEntry {
  /** What one unit is: `hour`, `GB`, `GB-month`, `million requests`, ... */
  readonly unit: string;
  readonly description: string;
  /** The AWS pricing page (or offer file) the price comes from. */
  readonly source: string;
  /** When the entry was read (YYYY-MM-DD). */
  readonly read: string;
  /** Regions whose price was confirmed from `source` on `read` (`global` for a global price). */
  readonly checkedIn: readonly string[];
  /** Price per Region. */
  readonly byRegion?: Readonly<Record<string, number>>;
  /** One price for every Region (global services). */
  readonly global?: number;
  readonly note?: string;
  readonly offer?: OfferQuery;
}

export interface PriceTable {
  readonly currency: 'USD';
  /** Hours in the month every hourly price is multiplied by. */
  readonly hoursPerMonth: number;
  /** Whose prices stand in for a Region the table does not cover. */
  readonly fallbackRegion: string;
  /** The Regions the table covers. */
  readonly regions: readonly string[];
  readonly prices: Readonly<Record<string, PriceEntry>>;
}

/** The committed price table, relative to the package root. */
export const PRICE_TABLE_FILE = path.join('pricing', 'aws-prices.json');

let cached: PriceTable | undefined;

/** The committed price table (read on first use). */
export function priceTable(): PriceTable {
  cached ??= JSON.parse(fs.readFileSync(path.join(packageRoot(), PRICE_TABLE_FILE), 'utf8')) as PriceTable;
  return cached;
}

/** A unit price for a Region, and whether the fallback Region's price stood in for it. */
export interface UnitPrice {
  readonly price: number;
  readonly entry: PriceEntry;
  /** Set when the table has no price for the Region: the fallback Region's price was used. */
  readonly fallback: boolean;
}

/** The price of `key` in `region`, or undefined when the table has no such price. */
export function unitPrice(table: PriceTable, key: string, region: string): UnitPrice | undefined {
  const entry = table.prices[key];
  if (!entry) return undefined;
  if (entry.global !== undefined) return { price: entry.global, entry, fallback: false };
  const own = entry.byRegion?.[region];
  if (own !== undefined) return { price: own, entry, fallback: false };
  const fallback = entry.byRegion?.[table.fallbackRegion];
  return fallback === undefined ? undefined : { price: fallback, entry, fallback: true };
}
