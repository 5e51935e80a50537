/**
 * A mistake in the user's input or environment (config file, flags, a missing tool), as opposed to
 * a bug. The CLI prints its message without a stack trace and exits non-zero.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A mistake in how the CLI was called (exit code 2). */
export class UsageError extends UserError {}
