/**
 * AWS Fault Injection Service (FIS) facts the game day templates are built from: the actions that
 * rehearse a Region's failure, their target types and parameters, and the service quotas a template
 * has to fit. Pure data and functions, no cdktf.
 */

// Every action, target type, parameter and permission here is from the FIS actions reference:
// https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html

/**
 * Blocks traffic that leaves the target subnets for the given Region: FIS gives the subnets a route
 * table of its own with the Region's address ranges routed nowhere, and puts the original
 * association back at the end. Target `Subnets` (`aws:ec2:subnet`); parameters `region`, `duration`.
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#network-actions-reference
 */
export const ROUTE_TABLE_DISRUPT_CROSS_REGION = 'aws:network:route-table-disrupt-cross-region-connectivity';

/**
 * Blocks traffic through the target transit gateways' peering attachments to the given Region: FIS
 * disassociates the attachments from their transit gateway route tables and associates them again
 * at the end. Target `TransitGateways` (`aws:ec2:transit-gateway`); parameters `region`, `duration`.
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#network-actions-reference
 */
export const TRANSIT_GATEWAY_DISRUPT_CROSS_REGION = 'aws:network:transit-gateway-disrupt-cross-region-connectivity';

/**
 * Pauses replication from the target buckets to their destination buckets in the given Region; S3
 * replicates the backlog when the pause ends. Target `Buckets` (`aws:s3:bucket`); parameters
 * `region` (of the destinations), `duration`, optional `destinationBuckets` and `prefixes`.
 * https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html#s3-actions-reference-fis
 */
export const S3_BUCKET_PAUSE_REPLICATION = 'aws:s3:bucket-pause-replication';

/** The resource type and the action's target key (the name the action refers to its target by) of each action. */
export const FIS_TARGETS = {
  [ROUTE_TABLE_DISRUPT_CROSS_REGION]: { resourceType: 'aws:ec2:subnet', key: 'Subnets' },
  [TRANSIT_GATEWAY_DISRUPT_CROSS_REGION]: { resourceType: 'aws:ec2:transit-gateway', key: 'TransitGateways' },
  [S3_BUCKET_PAUSE_REPLICATION]: { resourceType: 'aws:s3:bucket', key: 'Buckets' },
} as const;

/** One of the actions above. */
export type GameDayActionId = keyof typeof FIS_TARGETS;

/**
 * FIS quotas per experiment template, none of them adjustable
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-quotas.html), and the provider's limit on
 * resource ARNs per target (hashicorp/aws `aws_fis_experiment_template`, `target.resource_arns`: at most 5).
 */
export const FIS_LIMITS = {
  stopConditionsPerTemplate: 5,
  actionsPerTemplate: 20,
  parallelActionsPerExperiment: 10,
  maxDurationMinutes: 12 * 60,
  resourceArnsPerTarget: 5,
} as const;

/**
 * The most Regions a layout with game day templates may have: the other Regions' alarms are the
 * stop conditions (at most 5), and the network template runs two actions per other Region at once
 * (at most 10 in parallel).
 */
export const GAME_DAY_MAX_REGIONS = FIS_LIMITS.stopConditionsPerTemplate + 1;

/** The most replicated buckets a layout with game day templates may have: the replication template names them by ARN. */
export const GAME_DAY_MAX_BUCKETS = FIS_LIMITS.resourceArnsPerTarget;

/** Minutes as an ISO 8601 duration, the format of FIS's `duration` parameters: `PT10M`, `PT2H`, `PT1H30M`. */
export function isoDuration(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > FIS_LIMITS.maxDurationMinutes) {
    throw new Error(`a FIS duration is 1 to ${FIS_LIMITS.maxDurationMinutes} whole minutes, not ${minutes}`);
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours > 0 ? `${hours}H` : ''}${rest > 0 ? `${rest}M` : ''}`;
}

/** One action of a template: which FIS action, towards which other Region. */
export interface PlannedAction {
  /** The action's name in the template (unique in it, at most 64 characters). */
  readonly name: string;
  readonly actionId: GameDayActionId;
  /** The Region this Region is cut off from. */
  readonly peerRegion: string;
}

/** The actions of one Region's two templates. */
export interface GameDayPlan {
  /** Cross-Region connectivity: route tables towards every other Region, the transit gateway towards its peers. */
  readonly network: readonly PlannedAction[];
  /** Outbound S3 replication towards every other Region (empty without replicated buckets). */
  readonly replication: readonly PlannedAction[];
}

/**
 * The actions that cut `region` off from the others: its subnets' routes to every other Region,
 * its transit gateway's peerings (only to the Regions the topology peers it with: an action towards
 * a Region without a peering would find nothing to disrupt), and, with replicated buckets, their
 * replication to every other Region (replication does not follow the peering topology). Each FIS
 * action isolates one Region, hence one action per other Region. Network and replication go to
 * two templates so that each stays within the 10 parallel actions of an experiment.
 */
export function gameDayPlan(
  region: string,
  otherRegions: readonly string[],
  transitPeers: readonly string[],
  hasReplicatedBuckets: boolean,
): GameDayPlan {
  const others = otherRegions.filter((r) => r !== region);
  const action =
    (prefix: string, actionId: GameDayActionId) =>
    (peer: string): PlannedAction => ({
      name: `${prefix}-to-${peer}`,
      actionId,
      peerRegion: peer,
    });
  const network = [
    ...others.map(action('routes', ROUTE_TABLE_DISRUPT_CROSS_REGION)),
    ...others.filter((peer) => transitPeers.includes(peer)).map(action('transit', TRANSIT_GATEWAY_DISRUPT_CROSS_REGION)),
  ];
  const replication = hasReplicatedBuckets ? others.map(action('replication', S3_BUCKET_PAUSE_REPLICATION)) : [];
  for (const [template, actions] of [
    ['network', network],
    ['replication', replication],
  ] as const) {
    // Every action of a template starts at once.
    if (actions.length > FIS_LIMITS.parallelActionsPerExperiment) {
      throw new Error(
        `the ${template} template of ${region} would run ${actions.length} actions at once; FIS runs at most ${FIS_LIMITS.parallelActionsPerExperiment} (at most ${GAME_DAY_MAX_REGIONS} Regions with game days)`,
      );
    }
  }
  return { network, replication };
}
