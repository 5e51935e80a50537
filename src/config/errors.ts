/** One thing wrong with a config file: where, and what to do about it. */
export interface ConfigProblem {
  /** The field path (`regions[1].cidr`), or a location such as `line 3, column 7`. */
  readonly path: string;
  /** What is wrong, followed by `Fix: ...`. */
  readonly message: string;
}

import { UserError } from '../errors';

/** A mistake in a config file (or in the flag or variable that names it). */
export class ConfigError extends UserError {
  constructor(
    /** The config file (or flag) the problems were found in. */
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`Invalid configuration in ${source}:\n` + problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'));
  }
}
