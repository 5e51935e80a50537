import { AWS_REGION_CODES } from '../config/regions';

/** The private ASN ranges Transit Gateway accepts for `amazon_side_asn`. */
export const PRIVATE_ASN_RANGES: ReadonlyArray<readonly [number, number]> = [
  [64512, 65534],
  [4200000000, 4294967294],
];

export interface AsnRange {
  readonly start: number;
  readonly end: number;
}

/** The Region's fixed offset: its place in the supported Region list, which only ever grows at the end. */
export function regionOffset(region: string): number {
  const offset = AWS_REGION_CODES.indexOf(region);
  if (offset < 0) throw new Error(`unknown Region ${region}`);
  return offset;
}

/**
 * The Transit Gateway ASN of a Region: the range start plus the Region's fixed offset. Unique per
 * Region, and stable when Regions are added, removed or reordered (a changed ASN replaces the
 * Transit Gateway).
 */
export function transitGatewayAsn(region: string, range: AsnRange): number {
  return range.start + regionOffset(region);
}
