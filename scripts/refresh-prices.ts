/**
 * Refreshes pricing/aws-prices.json from the AWS Price List bulk files (needs internet access; not
 * run in CI): npm run prices [-- --dry-run]. Entries without an offer query (Fargate Spot) keep
 * their figures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OfferMatcher, queriesByFile, refreshedTable } from '../src/cost/price-list';
import { PRICE_TABLE_FILE, priceTable } from '../src/cost/price-table';
import { packageRoot } from '../src/package-root';

async function readLines(url: string, onLine: (line: string) => void): Promise<void> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`${url}: HTTP ${response.status}`);
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line.replace(/\r$/, ''));
  }
  if (rest) onLine(rest);
}

async function main(): Promise<void> {
  const dryRun = process.argv.includes('--dry-run');
  const table = priceTable();
  const found = new Map<string, number>();
  for (const [url, queries] of queriesByFile(table)) {
    process.stderr.write(`reading ${url}\n`);
    const matcher = new OfferMatcher(queries);
    await readLines(url, (line) => matcher.line(line));
    for (const [key, price] of matcher.prices()) found.set(key, price);
    for (const key of queries.keys()) if (!matcher.prices().has(key)) process.stderr.write(`  not found: ${key}\n`);
  }
  const today = new Date().toISOString().slice(0, 10);
  const { table: refreshed, changes } = refreshedTable(table, found, today);
  process.stdout.write(changes.length > 0 ? `${changes.join('\n')}\n` : 'No price changed.\n');
  if (!dryRun) fs.writeFileSync(path.join(packageRoot(), PRICE_TABLE_FILE), `${JSON.stringify(refreshed, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
