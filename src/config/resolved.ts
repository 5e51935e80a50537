import type { PeeringTopology } from '../planning/pairs';
import { AWS_REGIONS } from './regions';
import type { ParsedConfig } from './schema';

/** A Region with every default applied. */
export interface ResolvedRegion {
  readonly region: string;
  readonly cidr: string;
  readonly azs: readonly string[];
  readonly primary: boolean;
}

/** The validated configuration with every default applied; frozen, so nothing downstream mutates it. */
export interface ResolvedConfig {
  readonly name: string;
  readonly accountId: string;
  /** In config order. */
  readonly regions: readonly ResolvedRegion[];
  readonly primaryRegion: string;
  /** Regions other than the primary, in config order. */
  readonly secondaryRegions: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  readonly state: {
    readonly region: string;
    readonly replicaRegion: string;
    readonly noncurrentVersionExpirationDays: number;
    readonly useLockfile: boolean;
  };
  readonly topology: {
    readonly peering: PeeringTopology;
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function defaultAzs(region: string): string[] {
  const letters = AWS_REGIONS[region]?.defaultAzLetters;
  if (!letters) {
    throw new Error(`no default Availability Zones for ${region}; validation should have required "azs"`);
  }
  return letters.map((letter) => `${region}${letter}`);
}

/** Applies the defaults that depend on other fields. Expects output of a successful parse. */
export function resolveConfig(parsed: ParsedConfig): ResolvedConfig {
  const regions = parsed.regions.map((r) => ({
    region: r.region,
    cidr: r.cidr,
    azs: r.azs ?? defaultAzs(r.region),
    primary: r.primary,
  }));
  const primaryRegion = regions.find((r) => r.primary)!.region;
  const stateRegion = parsed.state.region ?? primaryRegion;
  const replicaRegion =
    parsed.state.replicaRegion ?? regions.map((r) => r.region).find((r) => r !== stateRegion)!;
  return deepFreeze({
    name: parsed.name,
    accountId: parsed.accountId,
    regions,
    primaryRegion,
    secondaryRegions: regions.filter((r) => !r.primary).map((r) => r.region),
    tags: { ...parsed.tags },
    state: {
      region: stateRegion,
      replicaRegion,
      noncurrentVersionExpirationDays: parsed.state.noncurrentVersionExpirationDays,
      useLockfile: parsed.state.useLockfile,
    },
    topology: { peering: parsed.topology.peering },
  });
}
