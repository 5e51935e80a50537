import { IPv4CidrRange, Validator } from 'ip-num';

/** The RFC 1918 private address blocks that VPC CIDRs must come from. */
export const PRIVATE_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

const privateRanges = PRIVATE_RANGES.map((cidr) => IPv4CidrRange.fromCidr(cidr));

/**
 * Parses an IPv4 CIDR block, or explains why it is not one. A block whose address has host bits
 * set (`10.0.1.0/16`) is rejected with the network address it most likely meant.
 */
export function parseCidr(cidr: string): { range: IPv4CidrRange } | { problem: string } {
  const [isNotation] = Validator.isValidIPv4CidrNotation(cidr);
  if (!isNotation) {
    return { problem: `"${cidr}" is not an IPv4 CIDR block such as "10.0.0.0/16"` };
  }
  const range = IPv4CidrRange.fromCidr(cidr);
  const [isNetworkAddress] = Validator.isValidIPv4CidrRange(cidr);
  if (!isNetworkAddress) {
    const network = `${range.getFirst().toString()}/${range.getPrefix().getValue()}`;
    return { problem: `"${cidr}" has host bits set; its network address is "${network}"` };
  }
  return { range };
}

export function prefixLength(range: IPv4CidrRange): number {
  return Number(range.getPrefix().getValue());
}

export function isPrivate(range: IPv4CidrRange): boolean {
  return privateRanges.some((block) => range.inside(block));
}

export function overlaps(a: IPv4CidrRange, b: IPv4CidrRange): boolean {
  return a.isOverlapping(b);
}
