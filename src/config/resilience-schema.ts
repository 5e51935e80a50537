import { z } from 'zod';
import { logRetentionDays } from './fields';

/**
 * Route 53 checks an endpoint every 10 or 30 seconds, nothing else
 * (https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html, RequestInterval).
 */
export const ROUTE53_REQUEST_INTERVALS = [10, 30] as const;

export const HEALTH_CHECK_DEFAULTS = { enabled: true, requestIntervalSeconds: 30, failureThreshold: 3 } as const;
export const ALARM_DEFAULTS = { evaluationPeriods: 3, http5xxPercent: 5, replicationLagSeconds: 60 } as const;
export const RUNBOOK_DEFAULTS = { enabled: true, timeoutMinutes: 30, logRetentionDays: 365 } as const;
export const RESILIENCE_DEFAULTS = {
  healthChecks: HEALTH_CHECK_DEFAULTS,
  alarms: ALARM_DEFAULTS,
  runbooks: RUNBOOK_DEFAULTS,
  autoEvacuate: false,
  autoPromote: false,
  gameDay: false,
  gameDayDurationMinutes: 10,
} as const;

/** A whole number from `min` to `max`, with the unit and an example in the fix. */
const wholeNumber = (min: number, max: number, unit: string, example: number) => {
  const problem = { error: `must be ${min} to ${max} ${unit}. Fix: use a whole number in that range, e.g. ${example}` };
  return z.number().int(problem).min(min, problem).max(max, problem);
};

const HealthChecksSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(HEALTH_CHECK_DEFAULTS.enabled)
      .describe(
        "Route 53 health checks of every Region's entry, with alarms in us-east-1 (where Route 53 publishes their metrics) on an alerts topic there.",
      ),
    requestIntervalSeconds: z
      .union([z.literal(10), z.literal(30)], { error: 'must be 10 or 30 seconds (the intervals Route 53 offers). Fix: use 10 or 30' })
      .default(HEALTH_CHECK_DEFAULTS.requestIntervalSeconds)
      .describe('Seconds between two checks from one Route 53 checker: 30, or 10 (fast, priced higher).'),
    failureThreshold: wholeNumber(1, 10, 'consecutive checks', 3)
      .default(HEALTH_CHECK_DEFAULTS.failureThreshold)
      .describe('Consecutive failed checks that make an endpoint unhealthy to a Route 53 checker, 1 to 10.'),
    searchString: z
      .string()
      .min(1, { error: 'is empty. Fix: remove it, or give the text the health path must return' })
      .max(255, { error: 'is longer than 255 characters (the Route 53 limit). Fix: use a shorter text' })
      .optional()
      .describe("Text the health path's response must contain in its first 5,120 bytes (a string-matching check); unset: any 2xx or 3xx."),
  })
  .describe("Route 53 health checks of each Region's entry.");

const AlarmsSchema = z
  .strictObject({
    evaluationPeriods: wholeNumber(1, 10, 'one-minute periods', 3)
      .default(ALARM_DEFAULTS.evaluationPeriods)
      .describe('Consecutive one-minute periods a metric must breach before its alarm fires, 1 to 10.'),
    http5xxPercent: wholeNumber(1, 100, 'percent', 5)
      .default(ALARM_DEFAULTS.http5xxPercent)
      .describe("Share of a load balancer's requests answered with 5xx (by it or its targets) that fires the alarm, percent."),
    replicationLagSeconds: wholeNumber(1, 86400, 'seconds', 60)
      .default(ALARM_DEFAULTS.replicationLagSeconds)
      .describe("Aurora global replication lag of a secondary Region's cluster that fires its alarm, seconds."),
  })
  .describe("Alarms of each Region, combined into its composite 'Region impaired' alarm.");

const RunbooksSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(RUNBOOK_DEFAULTS.enabled)
      .describe('Step Functions runbooks: promote-database in every Region, evacuate and restore beside the routing control plane.'),
    timeoutMinutes: wholeNumber(5, 240, 'minutes', 30)
      .default(RUNBOOK_DEFAULTS.timeoutMinutes)
      .describe('Minutes a runbook waits for AWS (a promoted writer, a healthy Region) before it fails, 5 to 240.'),
    logRetentionDays: logRetentionDays().default(RUNBOOK_DEFAULTS.logRetentionDays).describe("Days the runbooks' execution logs are kept."),
  })
  .describe('Runbooks: state machines that call AWS APIs directly (no function code).');

export const ResilienceSchema = z
  .strictObject({
    healthChecks: HealthChecksSchema.default(HEALTH_CHECK_DEFAULTS),
    alarms: AlarmsSchema.default(ALARM_DEFAULTS),
    runbooks: RunbooksSchema.default(RUNBOOK_DEFAULTS),
    failoverRegion: z
      .string()
      .optional()
      .describe('The secondary Region that autoPromote promotes when the primary Region is impaired; unset: the first secondary Region.'),
    autoEvacuate: z
      .boolean()
      .default(false)
      .describe("Start evacuate for a Region when its composite 'Region impaired' alarm fires (off: an operator starts it)."),
    autoPromote: z
      .boolean()
      .default(false)
      .describe(
        "Start promote-database as a failover, allowing data loss, in failoverRegion when the primary Region's composite alarm fires. Writes not yet replicated are lost (see docs/operations.md).",
      ),
    gameDay: z.boolean().default(false).describe('AWS FIS experiment templates that rehearse the failure of each Region.'),
    gameDayDurationMinutes: wholeNumber(1, 720, 'minutes', 10)
      .default(RESILIENCE_DEFAULTS.gameDayDurationMinutes)
      .describe('Minutes a game day experiment holds its faults (cut network, paused replication), 1 to 720 (the 12 hours FIS allows).'),
  })
  .describe('Health signals, failover runbooks and rehearsals of a Region failure.');
