import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { UserError } from '../errors';
import { parseConfigText, validateConfig } from './load';
import type { ResolvedConfig } from './resolved';

/**
 * The config file as it is at a git revision (`main`, `origin/main`, a commit): what a pull request
 * changes it from. Reads with `git show <ref>:./<file>` in the file's directory, so any repository
 * layout works.
 */
export function loadConfigAtRevision(ref: string, file: string): ResolvedConfig {
  if (ref.startsWith('-') || ref.trim() === '') {
    throw new UserError(`--from-git "${ref}" is not a git revision. Fix: pass a branch, tag or commit, e.g. --from-git origin/main`);
  }
  const shown = spawnSync('git', ['show', `${ref}:./${path.basename(file)}`], { cwd: path.dirname(file), encoding: 'buffer' });
  if (shown.error) {
    throw new UserError(
      `--from-git needs git, which could not run (${(shown.error as NodeJS.ErrnoException).code}). Fix: install git, or use --from <file>`,
    );
  }
  if (shown.status !== 0) {
    const reason = shown.stderr.toString('utf8').trim().split('\n')[0] ?? '';
    throw new UserError(
      `--from-git ${ref}: ${path.basename(file)} cannot be read at that revision (git: ${reason}). Fix: pass a revision that has the config file, or compare with --from <file>`,
    );
  }
  const source = `${ref}:${path.basename(file)}`;
  return validateConfig(parseConfigText(shown.stdout, source), source);
}
