import { IPv4CidrRange } from 'ip-num';
import type { ResolvedConfig } from '../config';
import { SUBNET_TIERS } from '../planning/subnets';

/** AWS reserves the first four addresses and the last one of every subnet. */
const AWS_RESERVED_ADDRESSES = 5n;

function usable(cidr: string): bigint {
  return IPv4CidrRange.fromCidr(cidr).getSize() - AWS_RESERVED_ADDRESSES;
}

/**
 * The subnet plan of every Region as a Markdown table: one row per tier and AZ letter, one column
 * per Region, with the usable addresses of each subnet.
 */
export function subnetTable(config: ResolvedConfig): string {
  const header = ['tier', 'zone', ...config.regions.map((r) => `${r.region} (${r.cidr})`)];
  const letters = [...new Set(config.regions.flatMap((r) => r.azs.map((az) => az.slice(-1))))].sort();
  const rows = SUBNET_TIERS.flatMap((tier) =>
    letters.map((letter) => [
      tier,
      letter,
      ...config.regions.map((r) => {
        const subnet = r.subnets[tier].subnets.find((s) => s.az.endsWith(letter));
        return subnet ? `${subnet.cidr} (${usable(subnet.cidr)})` : '-';
      }),
    ]),
  );
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
