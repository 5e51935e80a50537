import type { ResolvedTraffic } from '../config/resolved';

/**
 * Seconds Global Accelerator takes to act on a health change of an endpoint: "about 30 seconds"
 * (https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html).
 * For load balancer endpoints it reads the load balancer's own target health
 * (https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups-health-check-options.html).
 */
export const GLOBAL_ACCELERATOR_REACTION_SECONDS = 30;

/**
 * Seconds resolvers may cache an alias record to a load balancer: Route 53 uses the load balancer's
 * TTL of 60 seconds for it (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-choosing-alias-non-alias.html).
 */
export const LOAD_BALANCER_ALIAS_TTL_SECONDS = 60;

/** How long a Region's failure takes to move new connections elsewhere, by the configuration. */
export interface FailoverTime {
  /** Target health check: interval x unhealthy threshold, until every target is unhealthy. */
  readonly detectionSeconds: number;
  /** Global Accelerator's reaction, or the DNS cache time with latency records. */
  readonly reactionSeconds: number;
  readonly totalSeconds: number;
  /** The formula with the configuration's numbers, for people. */
  readonly formula: string;
}

/**
 * Designed failover time: the load balancer marks targets unhealthy after `unhealthyThresholdCount`
 * failed checks `intervalSeconds` apart; then Global Accelerator shifts new connections (about 30 s),
 * or, with latency records, resolvers drop their cached answer (60 s TTL).
 */
export function failoverSeconds(traffic: Pick<ResolvedTraffic, 'mode' | 'healthCheck'>): FailoverTime {
  const { intervalSeconds, unhealthyThresholdCount } = traffic.healthCheck;
  const detectionSeconds = intervalSeconds * unhealthyThresholdCount;
  const accelerator = traffic.mode === 'global-accelerator';
  const reactionSeconds = accelerator ? GLOBAL_ACCELERATOR_REACTION_SECONDS : LOAD_BALANCER_ALIAS_TTL_SECONDS;
  const reaction = accelerator ? 'Global Accelerator reaction' : 'DNS TTL';
  return {
    detectionSeconds,
    reactionSeconds,
    totalSeconds: detectionSeconds + reactionSeconds,
    formula: `${intervalSeconds} s x ${unhealthyThresholdCount} + ${reactionSeconds} s (${reaction}) = ${detectionSeconds + reactionSeconds} s`,
  };
}
