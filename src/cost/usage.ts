import * as fs from 'node:fs';
import { z } from 'zod';
import { UserError } from '../errors';
import { parseStrictJson } from '../json';

/**
 * What a month of traffic and data looks like in each Region, for the charges that depend on use.
 * The defaults describe a modest workload; every figure is per Region and per month unless it says otherwise.
 */
export const USAGE_DEFAULTS = {
  /** GB through the Region's NAT gateways (image pulls, calls to APIs outside AWS), shared among them. */
  natGatewayProcessedGb: 20,
  /** GB through the Region's interface endpoints, shared among them. */
  interfaceEndpointProcessedGb: 10,
  /** GB the Region's VPC sends into its Transit Gateway. */
  transitGatewayProcessedGb: 10,
  /** GB the Region sends to other Regions: database replication, bucket replication aside, and the app's own calls. */
  interRegionTransferGb: 10,
  /** Average load balancer capacity units in use, around the clock (1 LCU: 25 new connections a second, 3,000 active, 1 GB an hour). */
  loadBalancerLcu: 1,
  /** GB the accelerator carries to and from the Region's endpoints in the dominant direction. */
  acceleratorPremiumGb: 10,
  /** GB of Aurora storage (each Region keeps a copy). */
  auroraStorageGb: 20,
  /** Millions of Aurora I/O requests in the Region. */
  auroraIoMillions: 20,
  /** Millions of write I/Os replicated to the Region when it holds a secondary cluster. */
  auroraReplicatedWriteIoMillions: 10,
  /** GB stored in the Region's buckets, shared among them. */
  s3StorageGb: 20,
  /** GB the Region's buckets replicate to other Regions, shared among its replication rules. */
  s3ReplicatedGb: 5,
  /** Millions of writes to each global table, all Regions together; each is a replicated write in every Region. */
  dynamodbWriteMillionsPerTable: 1,
  /** Millions of reads of each global table in the Region. */
  dynamodbReadMillionsPerTable: 5,
  /** GB in each global table's replica in the Region. */
  dynamodbStorageGbPerTable: 1,
  /** GB of logs the Region ingests (containers, database exports, runbooks), shared among its log groups. */
  logsIngestedGb: 5,
  /** GB of compressed logs the Region keeps, shared among its log groups. */
  logsStoredGb: 20,
  /** GB of VPC flow logs per flow log. */
  flowLogsGb: 5,
} as const;

export type UsageKey = keyof typeof USAGE_DEFAULTS;
export type Usage = Readonly<Record<UsageKey, number>>;

/** The usage per Region: the file's top-level figures, then its per-Region ones, over the defaults. */
export interface UsageProfile {
  /** Where the figures came from: `defaults` or the file. */
  readonly source: string;
  forRegion(region: string): Usage;
}

const amount = z
  .number({ error: 'must be a number. Fix: use a figure such as 10' })
  .min(0, { error: 'must be 0 or more. Fix: use 0 for none' });
const Figures = z.strictObject(
  Object.fromEntries(Object.keys(USAGE_DEFAULTS).map((key) => [key, amount.optional()])) as Record<UsageKey, z.ZodOptional<typeof amount>>,
);
const UsageFile = Figures.extend({
  $schema: z.string().optional(),
  regions: z
    .record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: 'is not a Region code. Fix: use e.g. "us-east-1"' }), Figures)
    .optional(),
}).strict();

/** The default usage in every Region. */
export function defaultUsage(): UsageProfile {
  return { source: 'defaults', forRegion: () => USAGE_DEFAULTS };
}

function pathOf(segments: readonly PropertyKey[]): string {
  return segments.map(String).join('.') || '(root)';
}

/** Reads a usage file (see docs/cost.md); a mistake in it is a `UserError` naming the field and the fix. */
export function loadUsage(file: string, shownAs: string): UsageProfile {
  let text: Uint8Array;
  try {
    text = fs.readFileSync(file);
  } catch (error) {
    throw new UserError(
      `--usage ${shownAs} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Fix: pass the path of a usage JSON file`,
    );
  }
  const parsed = parseStrictJson(text);
  if ('error' in parsed) {
    const { line, column, problem, fix } = parsed.error;
    throw new UserError(`${shownAs}: line ${line}, column ${column}: ${problem}. Fix: ${fix}`);
  }
  const result = UsageFile.safeParse(parsed.value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const known = `Fix: use the figures listed in docs/cost.md (${Object.keys(USAGE_DEFAULTS).slice(0, 3).join(', ')}, ...)`;
    const message =
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.map((k) => JSON.stringify(k)).join(', ')} is not a usage figure. ${known}`
        : issue.code === 'invalid_key'
          ? (issue.issues[0]?.message ?? issue.message)
          : issue.code === 'invalid_type' && issue.path.length === 0
            ? 'must be a JSON object. Fix: start from the example in docs/cost.md'
            : issue.message;
    throw new UserError(`${shownAs}: ${pathOf(issue.path)}: ${message}`);
  }
  const { regions = {}, $schema: _schema, ...everywhere } = result.data;
  return {
    source: shownAs,
    forRegion: (region) => ({ ...USAGE_DEFAULTS, ...stripUndefined(everywhere), ...stripUndefined(regions[region] ?? {}) }),
  };
}

function stripUndefined(figures: Partial<Record<string, number | undefined>>): Partial<Usage> {
  return Object.fromEntries(Object.entries(figures).filter(([, value]) => value !== undefined));
}
