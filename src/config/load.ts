import * as fs from 'node:fs';
import * as path from 'node:path';
import { closest } from 'fastest-levenshtein';
import type { z } from 'zod';
import { UsageError } from '../errors';
import { parseStrictJson } from '../json';
import { packageRoot } from '../package-root';
import { ConfigError, type ConfigProblem } from './errors';
import { allowedKeysAt, configJsonSchema, schemaAt, type JsonSchemaNode } from './json-schema';
import { resolveConfig, type ResolvedConfig } from './resolved';
import { ConfigSchema } from './schema';
import { MOVED_FIELDS } from './traffic-schema';

/** The environment variable that names a config file when `--config` is not given. */
export const CONFIG_ENV_VAR = 'ACTIVE_ACTIVE_CONFIG';
/** The config file picked up from the working directory when neither flag nor variable is set. */
export const CWD_CONFIG_FILE = 'active-active.config.json';
/** The embedded example used when nothing else is configured, relative to the package root. */
export const EMBEDDED_CONFIG = 'examples/two-region.json';

export type ConfigOrigin = 'flag' | 'env' | 'cwd' | 'embedded';

export interface ConfigLocation {
  readonly path: string;
  readonly origin: ConfigOrigin;
}

export interface LocateOptions {
  /** The value of `--config`, if given. */
  readonly flag?: string;
  /** The process environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** The working directory that relative paths and the default file name resolve against. */
  readonly cwd?: string;
}

/**
 * Which config file to use: `--config`, else `$ACTIVE_ACTIVE_CONFIG`, else
 * `active-active.config.json` in the working directory, else the embedded two-Region example.
 */
export function locateConfig(options: LocateOptions = {}): ConfigLocation {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit: Array<[string | undefined, ConfigOrigin, string]> = [
    [options.flag, 'flag', '--config'],
    [env[CONFIG_ENV_VAR] || undefined, 'env', CONFIG_ENV_VAR],
  ];
  for (const [value, origin, label] of explicit) {
    if (value === undefined) continue;
    // Naming a file that is not there is a mistake in how the tool was called, not in a config file.
    if (value.trim() === '') {
      throw new UsageError(`${label} is empty. Fix: pass the path of a config file, or leave ${label} out to use the default`);
    }
    const file = path.resolve(cwd, value);
    if (!fs.existsSync(file)) {
      throw new UsageError(`${label}: file "${value}" does not exist. Fix: point ${label} at an existing config file`);
    }
    if (fs.statSync(file).isDirectory()) {
      throw new UsageError(`${label}: "${value}" is a directory. Fix: point ${label} at a config file`);
    }
    return { path: file, origin };
  }
  const inCwd = path.join(cwd, CWD_CONFIG_FILE);
  if (fs.existsSync(inCwd)) return { path: inCwd, origin: 'cwd' };
  return { path: path.join(packageRoot(), EMBEDDED_CONFIG), origin: 'embedded' };
}

/**
 * Parses strict JSON (text, or a file's bytes), reporting the line and column of the first problem:
 * syntax, encoding, a repeated or `__proto__` key, an out-of-range number, nesting too deep.
 */
export function parseConfigText(text: string | Uint8Array, source: string): unknown {
  const parsed = parseStrictJson(text);
  if ('error' in parsed) {
    const { line, column, problem, fix } = parsed.error;
    throw new ConfigError(source, [{ path: `line ${line}, column ${column}`, message: `${problem}. Fix: ${fix}` }]);
  }
  const data = parsed.value;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(source, [{ path: '(root)', message: 'must be a JSON object. Fix: start from examples/two-region.json' }]);
  }
  return data;
}

/** `regions[1].cidr`; keys that are not plain names (an empty tag key, one with spaces) as `tags["a b"]`. */
function formatPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>((out, segment) => {
    if (typeof segment === 'number') return `${out}[${segment}]`;
    const key = String(segment);
    if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${out}[${JSON.stringify(key)}]`;
    return out ? `${out}.${key}` : key;
  }, '');
}

/** What a zod type name means to someone writing JSON. */
const TYPE_WORDS: Readonly<Record<string, string>> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  record: 'an object of names and values',
  literal: 'one of the listed values',
};

function typeWords(expected: string): string {
  return TYPE_WORDS[expected] ?? `${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}

/** A size limit in words, for checks declared without a message of their own. */
function limitWords(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const least = issue.code === 'too_small';
  const inclusive = issue.inclusive !== false;
  const word = least ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
  if (issue.origin === 'string')
    return least && Number(bound) === 1 ? 'must not be empty' : `must have ${word} ${String(bound)} characters`;
  if (issue.origin === 'array' || issue.origin === 'set') return `must have ${word} ${String(bound)} entries`;
  return `must be ${word} ${String(bound)}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function fixFromSchema(node: JsonSchemaNode | undefined, action: string): string {
  return node?.description ? ` Fix: ${action}; it is: ${node.description}` : ` Fix: ${action}`;
}

function toProblems(issue: z.core.$ZodIssue, schema: JsonSchemaNode): ConfigProblem[] {
  const at = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(schema, issue.path);
    return issue.keys.map((key) => {
      const moved = MOVED_FIELDS[formatPath([...issue.path, key])];
      if (moved) return { path: formatPath([...issue.path, key]), message: moved };
      const suggestion = allowed.length > 0 ? closest(key, allowed) : undefined;
      return {
        path: formatPath([...issue.path, key]),
        message:
          `unknown key.${suggestion ? ` Did you mean "${suggestion}"?` : ''} ` + `Fix: remove it or use one of: ${allowed.join(', ')}`,
      };
    });
  }
  if (issue.code === 'invalid_union' && !issue.message.includes('Fix:')) {
    // Report the problems of the form the value was meant to have: the branch it got past the type of.
    const attempted = issue.errors.find(
      (branch) => !branch.some((inner) => inner.path.length === 0 && ['invalid_type', 'invalid_value'].includes(inner.code)),
    );
    if (attempted) return attempted.flatMap((inner) => toProblems({ ...inner, path: [...issue.path, ...inner.path] }, schema));
    return [{ path: at, message: `has none of the accepted forms.${fixFromSchema(schemaAt(schema, issue.path), 'correct the value')}` }];
  }
  if (issue.code === 'invalid_key') {
    // A record key that fails its own schema: report the key's problem.
    return issue.issues.map((inner) => ({ path: at, message: inner.message }));
  }
  const node = schemaAt(schema, issue.path);
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path: at, message: `is required.${fixFromSchema(node, 'add it')}` }];
  }
  if (issue.code === 'invalid_type' && !issue.message.includes('Fix:')) {
    const expected = typeWords(issue.expected);
    return [{ path: at, message: `expected ${expected}, got ${describeValue(issue.input)}.${fixFromSchema(node, `use ${expected}`)}` }];
  }
  if (issue.message.includes('Fix:')) return [{ path: at || '(root)', message: issue.message }];
  // A check declared without a message of its own: say it in the config's words, not zod's.
  const what =
    issue.code === 'too_small' || issue.code === 'too_big'
      ? limitWords(issue)
      : issue.code === 'not_multiple_of'
        ? `must be a multiple of ${String(issue.divisor)}`
        : issue.code === 'invalid_value'
          ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
          : issue.code === 'invalid_format'
            ? `is not in the expected format (${issue.format})`
            : `is not accepted (${issue.message})`;
  return [{ path: at || '(root)', message: `${what}.${fixFromSchema(node, 'correct the value')}` }];
}

/** Validates parsed JSON against the schema and applies defaults. Throws `ConfigError`. */
export function validateConfig(data: unknown, source: string): ResolvedConfig {
  const result = ConfigSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const schema = configJsonSchema();
    throw new ConfigError(
      source,
      result.error.issues.flatMap((issue) => toProblems(issue, schema)),
    );
  }
  return resolveConfig(result.data);
}

/** Reads, parses and validates one config file. Throws `ConfigError` for any user mistake. */
export function loadConfigFile(file: string): ResolvedConfig {
  let text: Uint8Array;
  try {
    text = fs.readFileSync(file);
  } catch (error) {
    throw new ConfigError(file, [
      {
        path: '(file)',
        message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Fix: check the path and its permissions`,
      },
    ]);
  }
  return validateConfig(parseConfigText(text, file), file);
}

/** Locates and loads the config, as the CLI and the cdktf app entry point both do. */
export function loadConfig(options: LocateOptions = {}): { config: ResolvedConfig; location: ConfigLocation } {
  const location = locateConfig(options);
  return { config: loadConfigFile(location.path), location };
}
