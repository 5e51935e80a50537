import { LOG_RETENTION_DAYS } from '../planning/cloudwatch';
import type { ModuleStack } from './module-stack';

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
  return {
    /** A string that matches `pattern` (RE2, as Terraform's `regex` reads it). */
    matching: (name: string, description: string, pattern: RegExp | string, errorMessage: string, fallback?: string) =>
      stack.input(name, {
        type: 'string',
        description,
        default: fallback,
        validation: [{ condition: `\${can(regex(${hclLiteral(typeof pattern === 'string' ? pattern : pattern.source)}, var.${name}))}`, errorMessage }],
      }),
    /** One of `values`. */
    oneOf: (name: string, description: string, values: readonly (string | number)[], fallback?: string | number) =>
      stack.input(name, {
        type: typeof values[0] === 'number' ? 'number' : 'string',
        description,
        default: fallback,
        validation: [{ condition: `\${contains(${hclList(values)}, var.${name})}`, errorMessage: `${name} must be one of ${values.join(', ')}.` }],
      }),
    /** A whole number from `min` to `max` (no upper bound without `max`). */
    wholeNumber: (name: string, description: string, min: number, max: number | undefined, fallback?: number) =>
      stack.input(name, {
        type: 'number',
        description,
        default: fallback,
        validation: [
          {
            condition: `\${var.${name} >= ${min}${max === undefined ? '' : ` && var.${name} <= ${max}`} && floor(var.${name}) == var.${name}}`,
            errorMessage: `${name} must be a whole number ${max === undefined ? `of at least ${min}` : `from ${min} to ${max}`}.`,
          },
        ],
      }),
    /** An IPv4 CIDR block. */
    cidr: (name: string, description: string) =>
      stack.input(name, {
        type: 'string',
        description,
        validation: [{ condition: `\${can(cidrhost(var.${name}, 0))}`, errorMessage: `${name} must be an IPv4 CIDR block.` }],
      }),
    accountId: (name = 'account_id', description = 'The 12-digit AWS account ID.') =>
      stack.input(name, {
        type: 'string',
        description,
        validation: [{ condition: `\${can(regex("^[0-9]{12}$", var.${name}))}`, errorMessage: `${name} must be exactly 12 digits.` }],
      }),
    bucketName: (name: string, description: string) =>
      stack.input(name, {
        type: 'string',
        description,
        validation: [
          {
            condition: `\${can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.${name})) && !strcontains(var.${name}, "..")}`,
            errorMessage: `${name} must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens.`,
          },
        ],
      }),
    kmsAlias: (name: string, description: string) =>
      stack.input(name, {
        type: 'string',
        description,
        validation: [
          {
            condition: `\${startswith(var.${name}, "alias/") && !startswith(var.${name}, "alias/aws/")}`,
            errorMessage: `${name} must start with "alias/" (and not "alias/aws/").`,
          },
        ],
      }),
    roleName: (name: string, description: string) =>
      stack.input(name, {
        type: 'string',
        description,
        validation: [{ condition: `\${can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.${name}))}`, errorMessage: `${name} must be a valid IAM role name of at most 64 characters.` }],
      }),
    days: (name: string, description: string, fallback: number) =>
      stack.input(name, {
        type: 'number',
        description,
        default: fallback,
        validation: [{ condition: `\${var.${name} >= 1 && var.${name} <= 3650 && floor(var.${name}) == var.${name}}`, errorMessage: `${name} must be a whole number of days from 1 to 3650.` }],
      }),
    /** Days a CloudWatch Logs group keeps its events: one of the retention periods it accepts. */
    logRetention: (name: string, description: string, fallback: number) =>
      stack.input(name, {
        type: 'number',
        description,
        default: fallback,
        validation: [{ condition: `\${contains([${LOG_RETENTION_DAYS.join(', ')}], var.${name})}`, errorMessage: `${name} must be a CloudWatch Logs retention period.` }],
      }),
  };
}
