import * as fs from 'node:fs';
import { UserError } from '../errors';

/** How long a run waits for another run's lock before giving up. */
export const LOCK_TIMEOUT_MS = 120_000;
const POLL_MS = 50;
/** A lock file still empty after this long belongs to a run killed between creating and writing it. */
const EMPTY_LOCK_GRACE_MS = 5_000;

/** Whether a process with this ID is running (EPERM: it runs, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The process ID in a lock file; undefined when the file is gone or not written yet. */
function holderOf(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function tryCreate(lockFile: string): boolean {
  try {
    fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function isStale(lockFile: string, holder: number | undefined): boolean {
  if (holder !== undefined) return !processAlive(holder);
  try {
    return Date.now() - fs.statSync(lockFile).mtimeMs > EMPTY_LOCK_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes a lock left by a run that no longer exists. The lock is first renamed to a name only this
 * process uses, so two runs breaking the same stale lock cannot both remove a fresh one; if the
 * renamed file turns out to be a live run's new lock, it is put back.
 */
function breakStaleLock(lockFile: string, holder: number | undefined): void {
  const claimed = `${lockFile}.stale-${process.pid}`;
  try {
    fs.renameSync(lockFile, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const claimedHolder = holderOf(claimed);
  if (claimedHolder !== holder && claimedHolder !== undefined && processAlive(claimedHolder)) {
    try {
      fs.linkSync(claimed, lockFile);
    } catch {
      // Another run holds the lock by now; the one put back would be a second holder.
    }
  }
  fs.rmSync(claimed, { force: true });
}

/**
 * Runs `critical` while holding `lockFile` (created exclusively, holding this process's ID), so that
 * concurrent runs take turns. A lock whose process is gone is broken; a live one is waited for.
 */
export function withLock<T>(lockFile: string, what: string, critical: () => T, timeoutMs = LOCK_TIMEOUT_MS): T {
  const deadline = Date.now() + timeoutMs;
  while (!tryCreate(lockFile)) {
    const holder = holderOf(lockFile);
    if (isStale(lockFile, holder)) {
      breakStaleLock(lockFile, holder);
      continue;
    }
    if (Date.now() > deadline) {
      throw new UserError(
        `another run (process ${holder ?? 'unknown'}) has been writing ${what} for more than ${Math.round(timeoutMs / 1000)} s (lock file ${lockFile}). Fix: wait for it to finish; if no such run exists, delete the lock file`,
      );
    }
    sleep(POLL_MS);
  }
  try {
    return critical();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}
