/**
 * The temporary directories the tool makes for its own work (syntheses it only reads, Terraform
 * working copies, plans), removed when that work ends and, through `removeOpenScratchDirs`, when the
 * CLI is interrupted: Node ends a process on SIGINT or SIGTERM without running `finally` blocks.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const openDirs = new Set<string>();

/** A new directory `<temp>/<prefix>XXXXXX`, open until `removeScratchDir` or `keepScratchDir`. */
export function makeScratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  openDirs.add(dir);
  return dir;
}

/** Removes a scratch directory and everything in it. */
export function removeScratchDir(dir: string): void {
  // A Terraform process stopping at the same interrupt may still write into it for a moment.
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  openDirs.delete(dir);
}

/** Leaves a scratch directory where it is (the user asked to keep it): no interrupt removes it. */
export function keepScratchDir(dir: string): void {
  openDirs.delete(dir);
}

/** Removes every scratch directory still open: what an interrupted command leaves. */
export function removeOpenScratchDirs(): void {
  for (const dir of [...openDirs]) removeScratchDir(dir);
}
