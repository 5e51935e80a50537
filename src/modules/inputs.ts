import { MAX_RETENTION_DAYS } from '../config/fields';
import { S3_RESERVED_PREFIXES, S3_RESERVED_SUFFIXES } from '../naming';
import { LOG_RETENTION_DAYS } from '../planning/cloudwatch';
import type { TerraformVariableValidationConfig } from 'cdktf';
import type { ModuleInput, ModuleStack } from './module-stack';

/** A string or number as an HCL literal (a JSON string literal is also an HCL one). */
export function hclLiteral(value: string | number): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A list of strings or numbers as an HCL literal. */
export function hclList(values: readonly (string | number)[]): string {
  return `[${values.map(hclLiteral).join(', ')}]`;
}

/** Inputs that several modules share, with the same validation the config file gets. */
export function inputs(stack: ModuleStack) {
  /** An input of `type` with a validation rule, then `more`; `condition` gets the variable's reference. */
  const validated = (
    name: string,
    description: string,
    type: 'string' | 'number',
    condition: (ref: string) => string,
    errorMessage: string,
    fallback?: string | number,
    more: readonly TerraformVariableValidationConfig[] = [],
  ): ModuleInput =>
    stack.input(name, {
      type,
      description,
      default: fallback,
      validation: [{ condition: `\${${condition(`var.${name}`)}}`, errorMessage }, ...more],
    });

  /** A string that matches `pattern` (RE2, as Terraform's `regex` reads it), and passes `more`. */
  const matching = (
    name: string,
    description: string,
    pattern: RegExp | string,
    errorMessage: string,
    fallback?: string,
    more?: readonly TerraformVariableValidationConfig[],
  ) =>
    validated(
      name,
      description,
      'string',
      (ref) => `can(regex(${hclLiteral(typeof pattern === 'string' ? pattern : pattern.source)}, ${ref}))`,
      errorMessage,
      fallback,
      more,
    );

  /** One of `values`. */
  const oneOf = (name: string, description: string, values: readonly (string | number)[], fallback?: string | number) =>
    validated(
      name,
      description,
      typeof values[0] === 'number' ? 'number' : 'string',
      (ref) => `contains(${hclList(values)}, ${ref})`,
      `${name} must be one of ${values.join(', ')}.`,
      fallback,
    );

  /** A whole number from `min` to `max` (no upper bound without `max`). */
  const wholeNumber = (name: string, description: string, min: number, max: number | undefined, fallback?: number) =>
    validated(
      name,
      description,
      'number',
      (ref) => `${ref} >= ${min}${max === undefined ? '' : ` && ${ref} <= ${max}`} && floor(${ref}) == ${ref}`,
      `${name} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}.`,
      fallback,
    );

  return {
    matching,
    oneOf,
    wholeNumber,
    /** An IPv4 CIDR block. */
    cidr: (name: string, description: string) =>
      validated(name, description, 'string', (ref) => `can(cidrhost(${ref}, 0))`, `${name} must be an IPv4 CIDR block.`),
    accountId: (name = 'account_id', description = 'The 12-digit AWS account ID.') =>
      matching(name, description, '^[0-9]{12}$', `${name} must be exactly 12 digits.`),
    bucketName: (name: string, description: string) =>
      validated(
        name,
        description,
        'string',
        (ref) =>
          `can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", ${ref})) && !strcontains(${ref}, "..") && !can(regex("^[0-9]+\\\\.[0-9]+\\\\.[0-9]+\\\\.[0-9]+$", ${ref}))` +
          ` && !anytrue([for prefix in ${hclList(S3_RESERVED_PREFIXES)} : startswith(${ref}, prefix)]) && !anytrue([for suffix in ${hclList(S3_RESERVED_SUFFIXES)} : endswith(${ref}, suffix)])`,
        `${name} must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, not like an IP address, without a prefix or suffix S3 reserves.`,
      ),
    kmsAlias: (name: string, description: string) =>
      validated(
        name,
        description,
        'string',
        (ref) => `startswith(${ref}, "alias/") && !startswith(${ref}, "alias/aws/")`,
        `${name} must start with "alias/" (and not "alias/aws/").`,
      ),
    roleName: (name: string, description: string) =>
      matching(name, description, '^[A-Za-z0-9+=,.@_-]{1,64}$', `${name} must be a valid IAM role name of at most 64 characters.`),
    /** Days something is kept, as the config file bounds them. */
    days: (name: string, description: string, fallback: number) => wholeNumber(name, description, 1, MAX_RETENTION_DAYS, fallback),
    /** Days a CloudWatch Logs group keeps its events: one of the retention periods it accepts. */
    logRetention: (name: string, description: string, fallback: number) => oneOf(name, description, LOG_RETENTION_DAYS, fallback),
  };
}
