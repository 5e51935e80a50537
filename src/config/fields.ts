import { z } from 'zod';
import { isLogRetentionPeriod, LOG_RETENTION_DAYS } from '../planning/cloudwatch';

/** The longest retention the config accepts, in days (ten years). */
export const MAX_RETENTION_DAYS = 3650;

/** Days something is kept: 1 to 3650, with a message that says what. */
export function retentionDays(what: string) {
  const fix = `Fix: keep ${what} 1 to ${MAX_RETENTION_DAYS} days`;
  return z
    .number()
    .int({ error: `must be a whole number of days. ${fix}` })
    .min(1, { error: `must be at least 1 day. ${fix}` })
    .max(MAX_RETENTION_DAYS, { error: `must be at most ${MAX_RETENTION_DAYS} days. ${fix}` });
}

/** Days a CloudWatch log group keeps events: only the periods CloudWatch Logs offers. */
export function logRetentionDays() {
  return z
    .number()
    .refine(isLogRetentionPeriod, { error: `is not a CloudWatch Logs retention period. Fix: use one of ${LOG_RETENTION_DAYS.join(', ')}` })
    .meta({ enum: [...LOG_RETENTION_DAYS] });
}

/** A TCP port. */
export function tcpPort() {
  return z
    .number()
    .int()
    .min(1, { error: 'is not a port. Fix: use 1 to 65535' })
    .max(65535, { error: 'is not a port. Fix: use 1 to 65535' });
}

/** Whether a value passes its own field's schema: cross-field checks skip inputs already reported there. */
export function passes(schema: z.ZodType, value: unknown): boolean {
  return schema.safeParse(value).success;
}
