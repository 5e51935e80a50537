import { Token } from 'cdktf';

/**
 * Checks a value that is known at synthesis. A token (a module's input variable, another resource's
 * attribute; or a list with one) is not known yet: the module's variable validation checks it instead.
 */
export function requireKnown(value: unknown, ok: () => boolean, message: () => string): void {
  if (Token.isUnresolved(value) || (Array.isArray(value) && value.some((item) => Token.isUnresolved(item)))) return;
  if (!ok()) throw new Error(message());
}

/** An integer in [min, max], unless it is a token. */
export function requireIntegerInRange(value: number, min: number, max: number, message: () => string): void {
  requireKnown(value, () => Number.isInteger(value) && value >= min && value <= max, message);
}
