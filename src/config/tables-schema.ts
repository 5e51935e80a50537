import { z } from 'zod';

/**
 * DynamoDB limits the config checks, with their source:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
 */
export const DYNAMODB_LIMITS = {
  /** Global secondary indexes per table (default quota). */
  globalSecondaryIndexes: 20,
  /** Table names: 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-`, `.`. */
  tableNameLength: { min: 3, max: 255 },
  /** Attribute names used as keys: 1 to 255 bytes. */
  keyNameLength: 255,
  /** Projected non-key attributes summed over every index of a table. */
  nonKeyAttributes: 100,
} as const;

/** Key attribute types: string, number, binary. */
export const KEY_TYPES = ['S', 'N', 'B'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** What a global secondary index copies from the table. */
export const PROJECTIONS = ['ALL', 'KEYS_ONLY', 'INCLUDE'] as const;

/** Default `ReplicationLatency` alarm threshold, in milliseconds (average over 5 minutes). */
export const DEFAULT_REPLICATION_LATENCY_MS = 60_000;

/** Provisioned capacity defaults: the smallest table that autoscaling may grow to 100 units, at 70 % utilization. */
export const PROVISIONED_DEFAULTS = { minCapacity: 1, maxCapacity: 100, targetUtilization: 70 } as const;

/**
 * The first provider release with `replica.consistency_mode` on `aws_dynamodb_table` (multi-Region strong
 * consistency): https://github.com/hashicorp/terraform-provider-aws/pull/43236, released in 6.3.0 (the
 * terraform-aws-modules DynamoDB module needs 6.3 for it:
 * https://github.com/terraform-aws-modules/terraform-aws-dynamodb-table/pull/103). The replica resource
 * has no such argument yet: https://github.com/hashicorp/terraform-provider-aws/issues/48672
 */
export const STRONG_CONSISTENCY_PROVIDER = '6.3.0';

const TABLE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KEY_NAME = /^[A-Za-z0-9_.-]{1,255}$/;

const keyType = z
  .enum(KEY_TYPES, {
    error: (issue) => `${JSON.stringify(issue.input)} is not a key attribute type. Fix: use "S" (string), "N" (number) or "B" (binary)`,
  })
  .describe('Attribute type: "S" string, "N" number, "B" binary.');

const KeySchema = z
  .strictObject({
    name: z
      .string()
      .regex(KEY_NAME, {
        error: 'must be 1 to 255 letters, digits, "_", "-" or ".". Fix: use a name such as "pk"',
      })
      .describe('Attribute name.'),
    type: keyType,
  })
  .describe('A key attribute.');

const capacity = (what: string) =>
  z
    .number()
    .int({ error: `must be a whole number of ${what} capacity units. Fix: use 1 or more` })
    .min(1, { error: `must be at least 1 ${what} capacity unit. Fix: use 1 or more` });

/** Capacity fields, only with `mode: "provisioned"`. */
export const CAPACITY_FIELDS = ['readMinCapacity', 'readMaxCapacity', 'writeMinCapacity', 'writeMaxCapacity', 'targetUtilization'] as const;

const BillingSchema = z
  .strictObject({
    mode: z
      .enum(['on-demand', 'provisioned'], {
        error: (issue) => `${JSON.stringify(issue.input)} is not a billing mode. Fix: use "on-demand" or "provisioned"`,
      })
      .default('on-demand')
      .describe(
        '"on-demand" (pay per request) or "provisioned" (capacity kept by Application Auto Scaling; global tables require autoscaling on provisioned writes).',
      ),
    readMinCapacity: capacity('read')
      .optional()
      .describe(`Provisioned only: lowest read capacity autoscaling sets (default ${PROVISIONED_DEFAULTS.minCapacity}).`),
    readMaxCapacity: capacity('read')
      .optional()
      .describe(`Provisioned only: highest read capacity autoscaling sets (default ${PROVISIONED_DEFAULTS.maxCapacity}).`),
    writeMinCapacity: capacity('write')
      .optional()
      .describe(
        `Provisioned only: lowest write capacity autoscaling sets, the same in every Region (default ${PROVISIONED_DEFAULTS.minCapacity}).`,
      ),
    writeMaxCapacity: capacity('write')
      .optional()
      .describe(`Provisioned only: highest write capacity autoscaling sets (default ${PROVISIONED_DEFAULTS.maxCapacity}).`),
    targetUtilization: z
      .number()
      .min(20, { error: 'must be 20 to 90 percent. Fix: use e.g. 70' })
      .max(90, { error: 'must be 20 to 90 percent. Fix: use e.g. 70' })
      .optional()
      .describe(
        `Provisioned only: consumed capacity, in percent of the provisioned capacity, that autoscaling keeps (default ${PROVISIONED_DEFAULTS.targetUtilization}).`,
      ),
  })
  .describe('How the table pays for throughput.');

/** Provisioned capacity with every default applied. */
export interface ProvisionedCapacity {
  readonly readMinCapacity: number;
  readonly readMaxCapacity: number;
  readonly writeMinCapacity: number;
  readonly writeMaxCapacity: number;
  readonly targetUtilization: number;
}

/** A table's provisioned capacity with defaults, or `undefined` when it is on-demand. */
export function provisionedCapacity(billing: z.output<typeof BillingSchema>): ProvisionedCapacity | undefined {
  if (billing.mode !== 'provisioned') return undefined;
  return {
    readMinCapacity: billing.readMinCapacity ?? PROVISIONED_DEFAULTS.minCapacity,
    readMaxCapacity: billing.readMaxCapacity ?? PROVISIONED_DEFAULTS.maxCapacity,
    writeMinCapacity: billing.writeMinCapacity ?? PROVISIONED_DEFAULTS.minCapacity,
    writeMaxCapacity: billing.writeMaxCapacity ?? PROVISIONED_DEFAULTS.maxCapacity,
    targetUtilization: billing.targetUtilization ?? PROVISIONED_DEFAULTS.targetUtilization,
  };
}

const GlobalSecondaryIndexSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: 'must be 3 to 255 letters, digits, "_", "-" or ".". Fix: use a name such as "by-owner"' })
      .describe('Index name.'),
    partitionKey: KeySchema.describe("The index's partition key."),
    sortKey: KeySchema.optional().describe("The index's sort key."),
    projection: z
      .enum(PROJECTIONS, {
        error: (issue) => `${JSON.stringify(issue.input)} is not a projection. Fix: use one of ${PROJECTIONS.join(', ')}`,
      })
      .default('ALL')
      .describe('Which attributes the index copies: all, keys only, or keys and nonKeyAttributes.'),
    nonKeyAttributes: z.array(z.string().min(1)).optional().describe('With projection INCLUDE: the other attributes the index copies.'),
  })
  .describe('A global secondary index.');

export const TableSchema = z
  .strictObject({
    name: z
      .string()
      .regex(TABLE_NAME, {
        error: 'must be lowercase letters and digits in words joined by single hyphens. Fix: use a name such as "orders"',
      })
      .describe('Logical name; the table is <project>-<name> in every Region.'),
    partitionKey: KeySchema.describe('The partition (hash) key. Changing it replaces the table.'),
    sortKey: KeySchema.optional().describe('The sort (range) key. Changing it replaces the table.'),
    globalSecondaryIndexes: z
      .array(GlobalSecondaryIndexSchema)
      .default([])
      .describe(`At most ${DYNAMODB_LIMITS.globalSecondaryIndexes} global secondary indexes.`),
    ttlAttribute: z
      .string()
      .regex(KEY_NAME, { error: 'must be 1 to 255 letters, digits, "_", "-" or ".". Fix: use a name such as "expiresAt"' })
      .optional()
      .describe("Attribute holding each item's expiry time in epoch seconds; DynamoDB deletes expired items (not a key attribute)."),
    billing: BillingSchema.default({ mode: 'on-demand' }),
    consistency: z
      .enum(['eventual', 'strong'], {
        error: (issue) => `${JSON.stringify(issue.input)} is not a consistency. Fix: use "eventual"`,
      })
      .default('eventual')
      .describe(
        'Multi-Region consistency: "eventual" (last writer wins per item). "strong" is refused: it needs a newer AWS provider than this project supports and exactly three Regions of one Region set.',
      ),
    homeRegion: z
      .string()
      .optional()
      .describe(
        "The Region of the table resource (the others hold replicas); defaults to the primary Region. Pin it before changing the primary: a table's home cannot move.",
      ),
    deletionProtection: z
      .boolean()
      .default(true)
      .describe(
        'Deletion protection on the table and every replica (off everywhere with `decommission`). Set false and apply before removing the table.',
      ),
    replicationLatencyThresholdMs: z
      .number()
      .int()
      .min(1000, { error: 'must be at least 1000 ms. Fix: use e.g. 60000' })
      .default(DEFAULT_REPLICATION_LATENCY_MS)
      .describe('Average ReplicationLatency, in milliseconds over 5 minutes, above which a Region pair alarms.'),
  })
  .describe('A DynamoDB global table (version 2019.11.21) with a replica in every Region.');

export type TableInput = z.input<typeof TableSchema>;
export type ParsedTable = z.output<typeof TableSchema>;

type Issue = (path: (string | number)[], message: string) => void;

/** Cross-field checks of `storage.tables`: names, key types, index limits, TTL, capacity, consistency, home Region. */
export function checkTables(tables: readonly ParsedTable[], regions: readonly string[], issue: Issue): void {
  const seen = new Map<string, number>();
  tables.forEach((table, i) => {
    const at = (...path: (string | number)[]) => ['storage', 'tables', i, ...path];
    const first = seen.get(table.name);
    if (first !== undefined) {
      issue(at('name'), `"${table.name}" is already used by storage.tables[${first}]. Fix: give each table its own name`);
    } else {
      seen.set(table.name, i);
    }

    // Every key attribute is declared once with one type: DynamoDB's AttributeDefinitions.
    const types = new Map<string, { type: KeyType; where: string }>();
    const declare = (key: { name: string; type: KeyType } | undefined, where: string, path: (string | number)[]) => {
      if (!key) return;
      const known = types.get(key.name);
      if (known && known.type !== key.type) {
        issue(
          at(...path, 'type'),
          `"${key.name}" is ${key.type} here but ${known.type} in ${known.where}: DynamoDB has one type per attribute. Fix: use "${known.type}", or another attribute name`,
        );
      } else if (!known) {
        types.set(key.name, { type: key.type, where });
      }
    };
    declare(table.partitionKey, 'partitionKey', ['partitionKey']);
    declare(table.sortKey, 'sortKey', ['sortKey']);
    if (table.sortKey && table.sortKey.name === table.partitionKey.name) {
      issue(
        at('sortKey', 'name'),
        `"${table.sortKey.name}" is also the partition key. Fix: use another attribute as the sort key, or none`,
      );
    }

    const indexes = table.globalSecondaryIndexes;
    if (indexes.length > DYNAMODB_LIMITS.globalSecondaryIndexes) {
      issue(
        at('globalSecondaryIndexes'),
        `has ${indexes.length} indexes; a table has at most ${DYNAMODB_LIMITS.globalSecondaryIndexes}. Fix: remove indexes, or use a second table`,
      );
    }
    const indexNames = new Map<string, number>();
    let nonKey = 0;
    indexes.forEach((index, j) => {
      const path = ['globalSecondaryIndexes', j];
      const earlier = indexNames.get(index.name);
      if (earlier !== undefined) {
        issue(
          at(...path, 'name'),
          `"${index.name}" is already used by globalSecondaryIndexes[${earlier}]. Fix: give each index its own name`,
        );
      }
      indexNames.set(index.name, j);
      declare(index.partitionKey, `globalSecondaryIndexes[${j}].partitionKey`, [...path, 'partitionKey']);
      declare(index.sortKey, `globalSecondaryIndexes[${j}].sortKey`, [...path, 'sortKey']);
      const attributes = index.nonKeyAttributes ?? [];
      if (index.projection === 'INCLUDE' && attributes.length === 0) {
        issue(
          at(...path, 'nonKeyAttributes'),
          'is empty, but projection INCLUDE copies the keys and these attributes. Fix: list them, or use KEYS_ONLY',
        );
      }
      if (index.projection !== 'INCLUDE' && index.nonKeyAttributes !== undefined) {
        issue(
          at(...path, 'nonKeyAttributes'),
          `is only for projection INCLUDE; ${index.projection} decides the attributes itself. Fix: remove it, or set projection to INCLUDE`,
        );
      }
      nonKey += attributes.length;
    });
    if (nonKey > DYNAMODB_LIMITS.nonKeyAttributes) {
      issue(
        at('globalSecondaryIndexes'),
        `project ${nonKey} non-key attributes in all; a table allows ${DYNAMODB_LIMITS.nonKeyAttributes}. Fix: project fewer, or use ALL`,
      );
    }

    if (table.ttlAttribute !== undefined && types.has(table.ttlAttribute)) {
      issue(
        at('ttlAttribute'),
        `"${table.ttlAttribute}" is a key attribute (${types.get(table.ttlAttribute)!.where}); TTL reads a number of epoch seconds that is not a key. Fix: use another attribute, such as "expiresAt"`,
      );
    }

    const b = provisionedCapacity(table.billing);
    if (!b) {
      for (const field of CAPACITY_FIELDS) {
        if (table.billing[field] !== undefined) {
          issue(at('billing', field), 'is only for provisioned capacity. Fix: remove it, or set billing.mode to "provisioned"');
        }
      }
    } else {
      if (indexes.length > 0) {
        issue(
          at('billing'),
          'provisioned capacity with globalSecondaryIndexes is not offered: autoscaling moves each index\'s capacity, which Terraform can only ignore by ignoring every index. Fix: use { "mode": "on-demand" }, or drop the indexes',
        );
      }
      for (const [what, min, max] of [
        ['read', b.readMinCapacity, b.readMaxCapacity],
        ['write', b.writeMinCapacity, b.writeMaxCapacity],
      ] as const) {
        if (min > max) {
          issue(
            at('billing', `${what}MinCapacity`),
            `${min} is above ${what}MaxCapacity ${max}. Fix: set ${what}MinCapacity to at most ${max}, or raise ${what}MaxCapacity`,
          );
        }
      }
    }

    if (table.consistency === 'strong') {
      issue(
        at('consistency'),
        `"strong" (multi-Region strong consistency) is set through replica.consistency_mode, which needs hashicorp/aws ${STRONG_CONSISTENCY_PROVIDER} or newer (this project plans with 5.100.0) and exactly three Regions of one Region set with no per-table TTL. Fix: use "eventual" (last writer wins per item), and read and write an item in one Region where the application needs read-after-write`,
      );
    }

    if (table.homeRegion !== undefined && !regions.includes(table.homeRegion)) {
      issue(
        at('homeRegion'),
        `"${table.homeRegion}" is not one of regions (${regions.join(', ')}). Fix: use a configured Region, or leave it unset for the primary Region`,
      );
    }
  });
}
