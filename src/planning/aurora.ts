/**
 * What Aurora Global Database accepts, per engine: versions, instance classes, write forwarding,
 * parameter group families, ports and log types. Pure data and functions, checked at config time.
 */

export type AuroraEngine = 'aurora-postgresql' | 'aurora-mysql';

export interface EngineVersion {
  readonly engine: AuroraEngine;
  /** Major version: `16` for Aurora PostgreSQL 16.6, `3` for Aurora MySQL 8.0.mysql_aurora.3.08.0. */
  readonly major: number;
  readonly minor: number;
}

/**
 * Major versions in standard support that Global Database runs on. Aurora PostgreSQL 11 to 13 and
 * Aurora MySQL 2 have left standard support; running them costs RDS Extended Support.
 */
const SUPPORTED_MAJORS: Readonly<Record<AuroraEngine, readonly number[]>> = {
  'aurora-postgresql': [14, 15, 16, 17],
  'aurora-mysql': [3],
};

export const DEFAULT_ENGINE_VERSION: Readonly<Record<AuroraEngine, string>> = {
  'aurora-postgresql': '16.6',
  'aurora-mysql': '8.0.mysql_aurora.3.08.0',
};

export function parseEngineVersion(engine: AuroraEngine, version: string): EngineVersion | undefined {
  const match =
    engine === 'aurora-postgresql' ? /^(\d+)\.(\d+)$/.exec(version) : /^(?:5\.7|8\.0)\.mysql_aurora\.(\d+)\.(\d+)\.\d+$/.exec(version);
  return match ? { engine, major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** Why `version` cannot run a global database, or `undefined` if it can. */
export function globalDatabaseVersionProblem(engine: AuroraEngine, version: string): string | undefined {
  const parsed = parseEngineVersion(engine, version);
  const example = DEFAULT_ENGINE_VERSION[engine];
  if (!parsed) return `"${version}" is not an ${engine} version such as "${example}"`;
  const majors = SUPPORTED_MAJORS[engine];
  if (!majors.includes(parsed.major)) {
    const label = engine === 'aurora-postgresql' ? String(parsed.major) : `${parsed.major}.x`;
    return `${engine} ${label} is not a major version in standard support for Aurora Global Database (supported: ${majors
      .map((m) => (engine === 'aurora-postgresql' ? String(m) : `${m}.x`))
      .join(', ')})`;
  }
  return undefined;
}

/** A regular expression (RE2, for Terraform's `regex`) of the versions `globalDatabaseVersionProblem` accepts. */
export function supportedVersionPattern(engine: AuroraEngine): string {
  const majors = SUPPORTED_MAJORS[engine].join('|');
  return engine === 'aurora-postgresql' ? `^(${majors})\\.[0-9]+$` : `^8\\.0\\.mysql_aurora\\.(${majors})\\.[0-9]+\\.[0-9]+$`;
}

/**
 * Write forwarding from secondary clusters: every Aurora MySQL 3 version; Aurora PostgreSQL from
 * 14.9, 15.4 and 16.1.
 */
export function supportsWriteForwarding(engine: AuroraEngine, version: string): boolean {
  const parsed = parseEngineVersion(engine, version);
  if (!parsed) return false;
  if (engine === 'aurora-mysql') return parsed.major >= 3;
  const firstMinor: Record<number, number> = { 14: 9, 15: 4 };
  return parsed.major >= 16 || parsed.minor >= (firstMinor[parsed.major] ?? Infinity);
}

/** The DB cluster parameter group family of a version: `aurora-postgresql16`, `aurora-mysql8.0`. */
export function parameterGroupFamily(engine: AuroraEngine, version: string): string {
  const parsed = parseEngineVersion(engine, version);
  if (!parsed) throw new Error(`not an ${engine} version: ${version}`);
  return engine === 'aurora-postgresql' ? `aurora-postgresql${parsed.major}` : 'aurora-mysql8.0';
}

/** A DB cluster parameter the members set, and when RDS applies a change of it. */
export interface ClusterParameter {
  readonly name: string;
  readonly value: string;
  readonly applyMethod: 'immediate' | 'pending-reboot';
}

/**
 * The cluster parameters of every member, by purpose. Each engine refuses unencrypted connections
 * (`rds.force_ssl`, `require_secure_transport`). Aurora MySQL forwards no writes until
 * `aurora_replica_read_consistency` has a value (it is empty by default;
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-mysql-write-forwarding-consistency.html);
 * `SESSION` lets a session read its own forwarded writes. It affects only clusters with write
 * forwarding on, so every member carries it: any of them can become a secondary after a switchover.
 * Aurora PostgreSQL needs none (`apg_write_forward.consistency_mode` defaults to `session`).
 */
const CLUSTER_PARAMETERS: Readonly<Record<AuroraEngine, Readonly<Record<string, ClusterParameter>>>> = {
  'aurora-postgresql': { force_tls: { name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' } },
  'aurora-mysql': {
    force_tls: { name: 'require_secure_transport', value: 'ON', applyMethod: 'pending-reboot' },
    forwarded_read_consistency: { name: 'aurora_replica_read_consistency', value: 'SESSION', applyMethod: 'immediate' },
  },
};

export function clusterParameters(engine: AuroraEngine): Record<string, ClusterParameter> {
  return { ...CLUSTER_PARAMETERS[engine] };
}

export function defaultPort(engine: AuroraEngine): number {
  return engine === 'aurora-postgresql' ? 5432 : 3306;
}

/** Log types exported to CloudWatch Logs. */
const LOG_EXPORTS: Readonly<Record<AuroraEngine, readonly string[]>> = {
  'aurora-postgresql': ['postgresql'],
  'aurora-mysql': ['audit', 'error', 'slowquery'],
};

export function logExports(engine: AuroraEngine): string[] {
  return [...LOG_EXPORTS[engine]];
}

/**
 * The same facts for every engine, with the family over a version expression (for the HCL modules,
 * where engine and version are input variables): by engine, `family`, `parameters` and `log_exports`.
 */
export function engineFactsTable(
  version: string,
): Record<
  AuroraEngine,
  { family: string; parameters: Record<string, { name: string; value: string; apply_method: string }>; log_exports: string[] }
> {
  const parameters = (engine: AuroraEngine) =>
    Object.fromEntries(
      Object.entries(CLUSTER_PARAMETERS[engine]).map(([purpose, p]) => [
        purpose,
        { name: p.name, value: p.value, apply_method: p.applyMethod },
      ]),
    );
  return {
    'aurora-postgresql': {
      family: `aurora-postgresql\${split(".", ${version})[0]}`,
      parameters: parameters('aurora-postgresql'),
      log_exports: logExports('aurora-postgresql'),
    },
    'aurora-mysql': { family: 'aurora-mysql8.0', parameters: parameters('aurora-mysql'), log_exports: logExports('aurora-mysql') },
  };
}

/** Names of the database created in the primary cluster. */
export const DATABASE_NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;
/** The daily backup window, UTC. */
export const BACKUP_WINDOW_PATTERN = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
/** The weekly maintenance window, UTC. */
export const MAINTENANCE_WINDOW_PATTERN =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/;
/** Enhanced Monitoring intervals, seconds. */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;
/** Instances of a cluster: one writer and up to 15 readers. */
export const MAX_INSTANCES = 16;
/** Days automated backups can be kept. */
export const MAX_BACKUP_RETENTION_DAYS = 35;

/** Performance Insights keeps 7 days free, or whole months (31 days) up to 731. */
export function isPerformanceInsightsRetention(days: number): boolean {
  return days === 7 || (days % 31 === 0 && days >= 31 && days <= 731);
}

/** Instance families Aurora Global Database supports: memory-optimized only (no burstable classes). */
export const GLOBAL_DATABASE_INSTANCE_CLASS =
  /^db\.(r5|r6g|r6gd|r6i|r7g|r7i|r8g|x2g)\.(large|xlarge|2xlarge|4xlarge|8xlarge|12xlarge|16xlarge|24xlarge)$/;
export const SERVERLESS_INSTANCE_CLASS = 'db.serverless';

/** Aurora Serverless v2 capacity bounds, in ACUs, in steps of 0.5. */
export const MIN_ACU = 0.5;
export const MAX_ACU = 256;

/** Master user names RDS keeps for itself, and SQL keywords that cannot name a user. */
export const RESERVED_MASTER_USERNAMES = [
  'rdsadmin',
  'rdsrepladmin',
  'rdsproxyadmin',
  'rds_superuser',
  'rds_replication',
  'public',
  'user',
  'select',
  'insert',
  'update',
  'delete',
  'table',
  'from',
  'where',
  'grant',
  'all',
  'current_user',
  'session_user',
];

/** Why `username` cannot be the master user, or `undefined` if it can. */
export function masterUsernameProblem(engine: AuroraEngine, username: string): string | undefined {
  if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(username)) {
    return `"${username}" must start with a letter and hold only letters, digits and underscores`;
  }
  if (username.length > MAX_USERNAME_LENGTH[engine]) {
    return `"${username}" is longer than the ${MAX_USERNAME_LENGTH[engine]} characters ${engine} allows`;
  }
  if (RESERVED_MASTER_USERNAMES.includes(username.toLowerCase())) return `"${username}" is a reserved word`;
  if (engine === 'aurora-postgresql' && username.toLowerCase().startsWith('pg_')) {
    return `"${username}" starts with "pg_", which PostgreSQL reserves for its own roles`;
  }
  return undefined;
}

/** Longest master password per engine. */
export const MAX_PASSWORD_LENGTH: Readonly<Record<AuroraEngine, number>> = { 'aurora-postgresql': 99, 'aurora-mysql': 41 };

/**
 * The Terraform validation of a master password variable: 8 to `maxLength` printable characters
 * except /, ", @ and space. `maxLength` is a number, or an expression with its text for the message.
 */
export function masterPasswordValidation(
  variable: string,
  maxLength: number | { readonly expression: string; readonly text: string },
): { condition: string; errorMessage: string } {
  const ref = `var.${variable}`;
  const [limit, text] = typeof maxLength === 'number' ? [String(maxLength), String(maxLength)] : [maxLength.expression, maxLength.text];
  return {
    condition: `\${length(${ref}) >= 8 && length(${ref}) <= ${limit} && !can(regex("[/\\"@ ]", ${ref}))}`,
    errorMessage: `The master password needs 8 to ${text} characters and no /, ", @ or space.`,
  };
}

/** Longest master user name per engine. */
export const MAX_USERNAME_LENGTH: Readonly<Record<AuroraEngine, number>> = { 'aurora-postgresql': 63, 'aurora-mysql': 16 };
