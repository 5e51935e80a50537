import type { OfferQuery, PriceTable } from './price-table';

/**
 * Reading prices from the AWS Price List bulk files in CSV form
 * (https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-the-aws-price-list-bulk-api.html):
 * a few lines of metadata, a header, then one row per price term with the product's attributes as
 * columns. CSV rather than JSON because the EC2 offer of one Region is larger than a string can hold.
 */

/** The bulk file of an offer: for one Region, or for a global service. */
export function offerFileUrl(service: string, region?: string): string {
  return `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${service}/current/${region ? `${region}/` : ''}index.csv`;
}

/** The fields of one CSV line (RFC 4180 quoting, no line breaks inside fields). */
export function csvFields(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

/** A column name as the JSON offer spells its attribute: "Instance Type" and "instanceType" are one. */
function normalized(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}

/** The on-demand price of the first tier per unit, for each query that a row of the file matches. */
export class OfferMatcher {
  private columns = new Map<string, number>();
  private readonly found = new Map<string, number>();

  /** `queries` by price table key; a query whose `regionCode` is absent matches any Region's rows. */
  constructor(private readonly queries: ReadonlyMap<string, OfferQuery & { regionCode?: string }>) {}

  /** Feeds one line of the file; the header is recognised by its SKU column. */
  line(text: string): void {
    const fields = csvFields(text);
    if (this.columns.size === 0) {
      if (fields[0] === 'SKU') this.columns = new Map(fields.map((name, i) => [normalized(name), i]));
      return;
    }
    const get = (name: string) => fields[this.columns.get(normalized(name)) ?? -1];
    if (get('TermType') !== 'OnDemand' || Number(get('StartingRange') || 0) !== 0) return;
    for (const [key, query] of this.queries) {
      if (this.found.has(key)) continue;
      const matches = Object.entries(query).every(([attribute, wanted]) => {
        if (attribute === 'service' || attribute === 'scale' || wanted === undefined) return true;
        const value = get(attribute);
        if (value === undefined) return false;
        const text = String(wanted);
        return text.startsWith('*') ? value.endsWith(text.slice(1)) : value === text;
      });
      if (matches) this.found.set(key, Number(get('PricePerUnit')) * (query.scale ?? 1));
    }
  }

  /** The prices found, by price table key. */
  prices(): ReadonlyMap<string, number> {
    return this.found;
  }
}

/** What to ask of each offer file: the table's entries with an offer query, grouped by file. */
export function queriesByFile(table: PriceTable): Map<string, Map<string, OfferQuery & { regionCode?: string }>> {
  const files = new Map<string, Map<string, OfferQuery & { regionCode?: string }>>();
  const add = (url: string, key: string, query: OfferQuery & { regionCode?: string }) => {
    if (!files.has(url)) files.set(url, new Map());
    files.get(url)!.set(key, query);
  };
  for (const [key, entry] of Object.entries(table.prices)) {
    if (!entry.offer) continue;
    if (entry.global !== undefined) add(offerFileUrl(entry.offer.service), key, entry.offer);
    else
      for (const region of table.regions)
        add(offerFileUrl(entry.offer.service, region), `${key}@${region}`, { ...entry.offer, regionCode: region });
  }
  return files;
}

/** The table with the prices found: each changed or confirmed figure dated `today` and marked checked. */
export function refreshedTable(
  table: PriceTable,
  found: ReadonlyMap<string, number>,
  today: string,
): { table: PriceTable; changes: string[] } {
  const changes: string[] = [];
  const prices = Object.fromEntries(
    Object.entries(table.prices).map(([key, entry]) => {
      if (entry.global !== undefined) {
        const price = found.get(key);
        if (price === undefined) return [key, entry];
        if (price !== entry.global) changes.push(`${key}: ${entry.global} -> ${price}`);
        return [key, { ...entry, global: price, read: today, checkedIn: ['global'] }];
      }
      const byRegion = { ...entry.byRegion };
      const checked = new Set(entry.checkedIn);
      let any = false;
      for (const region of table.regions) {
        const price = found.get(`${key}@${region}`);
        if (price === undefined) continue;
        if (price !== byRegion[region]) changes.push(`${key} ${region}: ${byRegion[region]} -> ${price}`);
        byRegion[region] = price;
        checked.add(region);
        any = true;
      }
      return [key, any ? { ...entry, byRegion, read: today, checkedIn: [...checked].sort() } : entry];
    }),
  );
  return { table: { ...table, prices }, changes };
}
