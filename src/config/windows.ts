/**
 * Aurora's daily backup window and weekly maintenance window, as minutes. RDS rules
 * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html, parameters
 * PreferredBackupWindow and PreferredMaintenanceWindow): UTC, "hh24:mi-hh24:mi" and
 * "ddd:hh24:mi-ddd:hh24:mi", each at least 30 minutes, and the two must not conflict. A window may
 * wrap around: "23:30-00:30" runs over midnight, "sun:23:30-mon:00:30" over the end of the week.
 */

/** The shortest window RDS accepts, in minutes. */
export const MIN_WINDOW_MINUTES = 30;
const DAY = 24 * 60;
const WEEK = 7 * DAY;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A window on a circular clock of `period` minutes (a day or a week): where it starts, how long it runs. */
export interface Window {
  readonly start: number;
  readonly minutes: number;
  readonly period: number;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function circularWindow(start: number, end: number, period: number): Window {
  return { start, minutes: (((end - start) % period) + period) % period, period };
}

/** "03:00-04:00" (already matched against the format). */
export function backupWindow(text: string): Window {
  const [from, to] = text.split('-');
  return circularWindow(minutesOf(from), minutesOf(to), DAY);
}

/** "sun:05:00-sun:06:00" (already matched against the format). */
export function maintenanceWindow(text: string): Window {
  const at = (part: string) => DAYS.indexOf(part.slice(0, 3)) * DAY + minutesOf(part.slice(4));
  const [from, to] = text.split('-');
  return circularWindow(at(from), at(to), WEEK);
}

/** Whether two windows on the same circular clock share a minute (touching ends do not). */
function arcsOverlap(a: number, aMinutes: number, b: number, bMinutes: number, period: number): boolean {
  const mod = (n: number) => ((n % period) + period) % period;
  return mod(b - a) < aMinutes || mod(a - b) < bMinutes;
}

/** The first day (mon to sun) on which the daily backup window overlaps the weekly maintenance window. */
export function overlapDay(backup: Window, maintenance: Window): string | undefined {
  return DAYS.find((_, day) => arcsOverlap(day * DAY + backup.start, backup.minutes, maintenance.start, maintenance.minutes, WEEK));
}
