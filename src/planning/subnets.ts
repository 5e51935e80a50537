import { IPv4CidrRange, IPv4Prefix } from 'ip-num';
import { parseCidr, prefixLength } from './cidr';

/** The subnet tiers of every Region's VPC. */
export const SUBNET_TIERS = ['public', 'private', 'database', 'transit'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/**
 * Each tier reserves a block of 8 equal slots, one per AZ letter (a to h), so adding or reordering
 * Availability Zones never moves an existing subnet.
 */
export const AZ_SLOTS = 8;
const SLOT_BITS = 3;
/** AWS's smallest subnet; also the default transit subnet (Transit Gateway ENIs need few addresses). */
export const SMALLEST_SUBNET_PREFIX = 28;

/** How many bits each tier's subnets add to the VPC prefix (Terraform's `cidrsubnet` newbits). */
export type SubnetNewBits = Readonly<Record<SubnetTier, number>>;

/** Defaults: private /20, public and database /22, transit /28 in a /16 VPC. */
export function defaultNewBits(vpcPrefix: number): SubnetNewBits {
  return { private: 4, public: 6, database: 6, transit: SMALLEST_SUBNET_PREFIX - vpcPrefix };
}

export interface PlannedSubnet {
  readonly az: string;
  readonly cidr: string;
}

export interface TierPlan {
  /** The tier's reserved block: all 8 AZ slots. */
  readonly block: string;
  /** One subnet per configured AZ, in the order of the AZ list. */
  readonly subnets: readonly PlannedSubnet[];
}

export type SubnetPlan = Readonly<Record<SubnetTier, TierPlan>>;

/** The slot of an AZ: its letter's place in the alphabet (`us-east-1c` -> 2). */
export function azSlot(az: string): number {
  return az.charCodeAt(az.length - 1) - 'a'.charCodeAt(0);
}

/** Share of the VPC that the tiers reserve, as a fraction (1 = all of it). */
export function reservedShare(newBits: SubnetNewBits): number {
  return SUBNET_TIERS.reduce((sum, tier) => sum + AZ_SLOTS / 2 ** newBits[tier], 0);
}

/**
 * The subnets of one VPC: each tier gets an aligned block of 8 slots, largest tiers first (so the
 * blocks pack without gaps), and each AZ takes the slot of its letter. Returns the problem instead
 * when the tiers do not fit.
 */
export function planSubnets(vpcCidr: string, azs: readonly string[], newBits: SubnetNewBits): { plan: SubnetPlan } | { problem: string } {
  const parsed = parseCidr(vpcCidr);
  if ('problem' in parsed) return { problem: parsed.problem };
  const vpc = parsed.range;
  const vpcPrefix = prefixLength(vpc);

  for (const tier of SUBNET_TIERS) {
    const subnetPrefix = vpcPrefix + newBits[tier];
    if (newBits[tier] < SLOT_BITS) {
      return { problem: `the ${tier} tier's newbits of ${newBits[tier]} leave no room for ${AZ_SLOTS} AZ slots (at least ${SLOT_BITS})` };
    }
    if (subnetPrefix > SMALLEST_SUBNET_PREFIX) {
      return { problem: `${tier} subnets would be /${subnetPrefix} in "${vpcCidr}"; AWS subnets are /${SMALLEST_SUBNET_PREFIX} or larger` };
    }
  }
  if (reservedShare(newBits) > 1) {
    return {
      problem: `the tiers reserve ${Math.round(reservedShare(newBits) * 100)}% of "${vpcCidr}" (8 AZ slots each)`,
    };
  }

  const outOfSlots = azs.find((az) => azSlot(az) < 0 || azSlot(az) >= AZ_SLOTS);
  if (outOfSlots) return { problem: `"${outOfSlots}" has no subnet slot: AZ letters a to h are supported` };

  const largestFirst = [...SUBNET_TIERS].sort((a, b) => newBits[a] - newBits[b]);
  const plan = {} as Record<SubnetTier, TierPlan>;
  let next = vpc.getFirst();
  for (const tier of largestFirst) {
    const block = IPv4CidrRange.fromCidr(`${next.toString()}/${vpcPrefix + newBits[tier] - SLOT_BITS}`);
    const slots = block.splitInto(new IPv4Prefix(BigInt(vpcPrefix + newBits[tier])));
    plan[tier] = {
      block: block.toCidrString(),
      subnets: azs.map((az) => ({ az, cidr: slots[azSlot(az)].toCidrString() })),
    };
    const following = block.nextRange();
    if (following) next = following.getFirst();
  }
  return { plan };
}

/**
 * IPv6: the VPC gets an Amazon-provided /56 (its address is known only after apply) and each subnet
 * that needs IPv6 a /64 of it, Terraform's `cidrsubnet(vpc_ipv6_block, 8, netnum)`. The netnum
 * follows the IPv4 layout: each tier owns 8 slots (tier index x 8), each AZ the slot of its letter,
 * so adding an AZ or giving another tier IPv6 later never moves an existing /64.
 */
export const IPV6_VPC_PREFIX = 56;
export const IPV6_SUBNET_PREFIX = 64;
export const IPV6_SUBNET_NEWBITS = IPV6_SUBNET_PREFIX - IPV6_VPC_PREFIX;
const AZ_LETTERS = Array.from({ length: AZ_SLOTS }, (_, slot) => String.fromCharCode('a'.charCodeAt(0) + slot));

/** The `cidrsubnet` netnum of a tier's /64 in an AZ (`public`, `us-east-1c` -> 2). */
export function ipv6SubnetNetnum(tier: SubnetTier, az: string): number {
  const slot = azSlot(az);
  if (slot < 0 || slot >= AZ_SLOTS) throw new Error(`"${az}" has no subnet slot: AZ letters a to h are supported`);
  return SUBNET_TIERS.indexOf(tier) * AZ_SLOTS + slot;
}

/** The same netnum as a Terraform expression over an AZ name expression (e.g. `each.key`). */
export function ipv6SubnetNetnumExpression(tier: SubnetTier, azExpression: string): string {
  const slot = `index([${AZ_LETTERS.map((letter) => JSON.stringify(letter)).join(', ')}], substr(${azExpression}, -1, 1))`;
  const base = SUBNET_TIERS.indexOf(tier) * AZ_SLOTS;
  return base === 0 ? slot : `${base} + ${slot}`;
}

/** The plan as CIDR by AZ, per tier, in AZ order. */
export function subnetsByAz(plan: SubnetPlan): Record<SubnetTier, Record<string, string>> {
  return Object.fromEntries(
    SUBNET_TIERS.map((tier) => [tier, Object.fromEntries(plan[tier].subnets.map((s) => [s.az, s.cidr]))]),
  ) as Record<SubnetTier, Record<string, string>>;
}
