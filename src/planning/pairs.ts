/** How the Regions are linked to each other. */
export type PeeringTopology = 'full-mesh' | 'hub-and-spoke';

/** One link between two Regions. `requester` creates the peering attachment, `accepter` accepts it. */
export interface RegionPair {
  readonly requester: string;
  readonly accepter: string;
}

/**
 * The Region pairs to link, sorted by Region code.
 *
 * - `full-mesh`: every pair, N(N-1)/2 links; every Region reaches every other directly.
 * - `hub-and-spoke`: the primary Region with each other Region, N-1 links; secondaries reach the
 *   primary but not each other (Transit Gateway peering is not transitive).
 *
 * The requester is the Region whose code sorts first. A pair's direction therefore depends only on
 * its two Regions: reordering `regions` or adding one never replaces an existing peering.
 */
export function regionPairs(regions: readonly string[], primary: string, topology: PeeringTopology): RegionPair[] {
  const sorted = [...regions].sort();
  return sorted.flatMap((requester, i) =>
    sorted
      .slice(i + 1)
      .filter((accepter) => topology === 'full-mesh' || requester === primary || accepter === primary)
      .map((accepter) => ({ requester, accepter })),
  );
}

/** The Regions that `region` is linked to. */
export function peersOf(region: string, pairs: readonly RegionPair[]): string[] {
  return pairs.flatMap((p) => (p.requester === region ? [p.accepter] : p.accepter === region ? [p.requester] : []));
}
