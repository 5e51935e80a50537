import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfigFile, parseConfigText, validateConfig } from '../src/config';
import { parsePlanJson } from '../src/report/plan-summary';
import { plural } from '../src/text';
import { exampleInput, tempDir } from './helpers';

/** The problems `check` rejects its input with, as `path: message` lines (empty when accepted). */
function problemsFrom(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

const configProblems = (text: string | Uint8Array) => problemsFrom(() => parseConfigText(text, 'test.json'));
const problemsOf = (input: unknown) => problemsFrom(() => validateConfig(input, 'test.json'));

function planProblem(text: string | Uint8Array): string {
  try {
    parsePlanJson(text, 'plan.json');
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

const example = JSON.stringify(exampleInput(), null, 2);

describe('input-2 keys JSON.parse would accept silently', () => {
  test('input-2 a "__proto__" key is rejected with its line and column, even where it would supply required fields', () => {
    const { name, accountId, ...rest } = exampleInput();
    const text = `${JSON.stringify(rest).slice(0, -1)},"__proto__": ${JSON.stringify({ name, accountId })}}`;
    const column = text.indexOf('"__proto__"') + 1;
    expect(configProblems(text)).toEqual([`line 1, column ${column}: the key "__proto__" is not allowed. Fix: remove it`]);
    expect(configProblems('{\n  "tags": {\n    "__proto__": {}\n  }\n}')).toEqual([
      'line 3, column 5: the key "__proto__" is not allowed. Fix: remove it',
    ]);
  });

  test('input-2 a duplicate key is rejected with both positions', () => {
    const text = example.replace('"name": "acme-shop",', '"name": "acme-shop",\n  "name": "other-shop",');
    expect(configProblems(text)).toEqual([
      'line 4, column 3: duplicate key "name" (first at line 3, column 3). Fix: keep only one of them',
    ]);
    expect(configProblems('{"tags": {"a": "1", "b": "2", "a": "3"}}')).toEqual([
      'line 1, column 31: duplicate key "a" (first at line 1, column 11). Fix: keep only one of them',
    ]);
  });

  test('input-2 plan files get the same checks', () => {
    expect(planProblem('{"format_version": "1.2", "format_version": "1.2"}')).toMatch(
      /^plan\.json, line 1, column 27: duplicate key "format_version" \(first at line 1, column 2\)\. Fix: pass the output of "terraform show -json <planfile>"$/,
    );
    expect(planProblem('{"__proto__": {"format_version": "1.2", "planned_values": {}}}')).toMatch(
      /^plan\.json, line 1, column 2: the key "__proto__" is not allowed\./,
    );
  });
});

describe('input-4 nesting too deep for the call stack', () => {
  test.each([100_000, 3_000])('input-4 a config nested %i levels deep is a one-line problem', (depth) => {
    const text = `{"tags": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
    expect(configProblems(text)).toEqual([
      'line 1, column 265: nested more than 256 levels deep. Fix: keep objects and arrays at most 256 levels deep',
    ]);
    expect(planProblem(`{"a": ${'{"b": '.repeat(depth)}1${'}'.repeat(depth)}}`)).toMatch(
      /^plan\.json, line 1, column \d+: nested more than 256 levels deep\./,
    );
  });

  test('input-4 brackets inside strings do not count', () => {
    expect(configProblems(`{"tags": {"a": "${'['.repeat(5000)}"}}`)).toEqual([]);
  });
});

describe('input-7 encodings and numbers', () => {
  const utf8 = Buffer.from(example, 'utf8');

  test('input-7 a UTF-8 byte order mark is accepted', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'bom.json');
      fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]));
      expect(loadConfigFile(file).name).toBe('acme-shop');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each<[string, Buffer, string]>([
    [
      'UTF-16 LE with a byte order mark',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(example, 'utf16le')]),
      'the file is UTF-16 encoded',
    ],
    ['UTF-16 BE with a byte order mark', Buffer.from([0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]), 'the file is UTF-16 encoded'],
    ['UTF-16 without a byte order mark', Buffer.from(example, 'utf16le'), 'the file holds NUL characters, as UTF-16 and binary files do'],
    ['Latin-1', Buffer.from('{"name": "caf\xe9"}', 'latin1'), 'the file is not UTF-8 encoded'],
  ])('input-7 %s is named, with the fix', (_label, bytes, problem) => {
    const [line] = configProblems(bytes);
    expect(line).toMatch(new RegExp(`^line 1, column \\d+: ${problem}\\. Fix: save the file as UTF-8`));
    expect(planProblem(bytes)).toContain(problem);
  });

  test('input-7 a number too large for a double is out of range, not "null"', () => {
    expect(configProblems('{\n  "x": 1e400\n}')).toEqual([
      `line 2, column 8: the number 1e400 is out of range. Fix: use a number between -${Number.MAX_VALUE} and ${Number.MAX_VALUE}`,
    ]);
    expect(configProblems('{"x": -2e308}')[0]).toMatch(/the number -2e308 is out of range/);
  });
});

describe('input-3 Aurora backup and maintenance windows', () => {
  const databaseProblems = (database: Record<string, unknown>) => problemsOf({ ...exampleInput(), database });

  test.each<[string, Record<string, string>]>([
    ['the defaults', {}],
    ['windows of exactly 30 minutes', { backupWindow: '03:00-03:30', maintenanceWindow: 'sun:03:30-sun:04:00' }],
    ['a backup window over midnight', { backupWindow: '23:30-00:30', maintenanceWindow: 'wed:02:00-wed:03:00' }],
    ['a maintenance window over the end of the week', { backupWindow: '03:00-04:00', maintenanceWindow: 'sun:23:30-mon:00:30' }],
    [
      'a maintenance window over several days that misses every backup',
      { backupWindow: '12:00-12:30', maintenanceWindow: 'mon:13:00-tue:11:30' },
    ],
  ])('input-3 accepts %s', (_label, database) => {
    expect(databaseProblems(database)).toEqual([]);
  });

  test.each<[string, Record<string, string>, string]>([
    [
      'a 15-minute backup window',
      { backupWindow: '03:00-03:15' },
      'database.backupWindow: "03:00-03:15" is shorter than the 30 minutes RDS requires. Fix: make it at least 30 minutes long, e.g. "03:00-03:30"',
    ],
    [
      'an empty backup window',
      { backupWindow: '03:00-03:00' },
      'database.backupWindow: "03:00-03:00" is shorter than the 30 minutes RDS requires.',
    ],
    [
      'a 29-minute maintenance window over the end of the week',
      { maintenanceWindow: 'sun:23:45-mon:00:14' },
      'database.maintenanceWindow: "sun:23:45-mon:00:14" is shorter than the 30 minutes RDS requires.',
    ],
    [
      'a maintenance window inside the backup window',
      { backupWindow: '03:00-04:00', maintenanceWindow: 'tue:03:15-tue:03:45' },
      'database.maintenanceWindow: "tue:03:15-tue:03:45" overlaps the daily backup window "03:00-04:00" (database.backupWindow) on tue, and RDS refuses windows that conflict. Fix:',
    ],
    [
      'a backup window over midnight that meets a Monday maintenance window',
      { backupWindow: '23:30-00:30', maintenanceWindow: 'mon:00:00-mon:01:00' },
      'overlaps the daily backup window "23:30-00:30" (database.backupWindow) on sun',
    ],
    [
      'a week-wrapping maintenance window that meets the backup window',
      { backupWindow: '00:00-00:30', maintenanceWindow: 'sun:23:30-mon:00:15' },
      'overlaps the daily backup window "00:00-00:30" (database.backupWindow) on mon',
    ],
  ])('input-3 rejects %s', (_label, database, expected) => {
    const problems = databaseProblems(database);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  test('input-3 a window in the wrong format gets only its format error', () => {
    expect(databaseProblems({ backupWindow: '3:00-4:00' })).toEqual([
      'database.backupWindow: must be "hh:mm-hh:mm" in UTC. Fix: use e.g. "03:00-04:00"',
    ]);
  });
});

describe("input-7 messages say what is wrong in the config's words, once", () => {
  test('input-7 an empty tag key gets one problem with a fix, at a readable path', () => {
    expect(problemsOf({ ...exampleInput(), tags: { '': 'x' } })).toEqual([
      'tags[""]: tag keys must not be empty. Fix: name the tag, e.g. "Environment"',
    ]);
  });

  test('input-7 a bad project name does not also report the bucket names made from it', () => {
    const problems = problemsOf({ ...exampleInput(), name: 'ACME', storage: { buckets: [{ name: 'assets' }] } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^name: /);
  });

  test('input-7 a VPC of the wrong size does not also report subnets that cannot exist', () => {
    const problems = problemsOf({
      ...exampleInput(),
      regions: [
        { region: 'us-east-1', cidr: '10.10.0.0/28', primary: true },
        { region: 'us-west-2', cidr: '10.20.0.0/16' },
      ],
    });
    expect(problems).toEqual([expect.stringMatching(/^regions\[0\]\.cidr: "10\.10\.0\.0\/28" is a \/28; a VPC takes a \/16 to \/20\./)]);
  });

  test('input-7 a port out of range is reported once, not again as a port the load balancers do not listen on', () => {
    expect(problemsOf({ ...exampleInput(), traffic: { accelerator: { listenerPorts: [70000] } } })).toEqual([
      'traffic.accelerator.listenerPorts[0]: is not a port. Fix: use 1 to 65535',
    ]);
    expect(problemsOf({ ...exampleInput(), traffic: { accelerator: { listenerPorts: [0] } } })).toEqual([
      expect.stringMatching(/^traffic\.accelerator\.listenerPorts\[0\]: is not a port\./),
    ]);
  });

  test("input-7 type errors use plain words, not zod's", () => {
    const [whole] = problemsOf({ ...exampleInput(), database: { backupRetentionDays: 1.5 } });
    expect(whole).toMatch(/^database\.backupRetentionDays: expected a whole number, got number 1\.5\. Fix: use a whole number; it is: /);
    const [record] = problemsOf({ ...exampleInput(), tags: ['a'] });
    expect(record).toMatch(/^tags: expected an object of names and values, got an array\. Fix: use an object of names and values; it is: /);
  });

  test('input-7 no zod wording is left in any message of a thoroughly broken config', () => {
    const broken = {
      ...exampleInput(),
      regions: [
        { region: 'us-east-1', cidr: '10.10.0.0/16', primary: true, azs: [] },
        { region: 'us-west-2', cidr: '10.20.0.0/16', trafficDial: 1.5 },
      ],
      tags: { '': 'x', ok: 5 },
      network: { interfaceEndpoints: 'logs', subnetNewBits: { public: 2.5 } },
      workload: { memory: 'lots', cpu: -1 },
      traffic: { accelerator: { listenerPorts: [70000] } },
    };
    const problems = problemsOf(broken);
    expect(problems.length).toBeGreaterThan(5);
    for (const problem of problems) {
      expect(problem).toMatch(/Fix: /);
      expect(problem).not.toMatch(/\b(an int|a record|Too small|Too big|Invalid input|expected int|received)\b/);
    }
  });

  test('input-7 counts use the singular for one', () => {
    expect(plural(1, 'stack')).toBe('1 stack');
    expect(plural(0, 'stack')).toBe('0 stacks');
    expect(plural(2, 'resource')).toBe('2 resources');
  });
});

describe('input-8 no NAT and no endpoints', () => {
  // A private ECR image of each Region: the only kind tasks without NAT can pull (see the workload checks).
  const network = (extra: Record<string, unknown>) =>
    problemsOf({
      ...exampleInput(),
      network: { natGateways: 'none', ...extra },
      workload: { image: '111122223333.dkr.ecr.{region}.amazonaws.com/shop/web:1.0' },
    });

  test('input-8 natGateways "none" with an empty interfaceEndpoints is refused with the fix', () => {
    expect(network({ interfaceEndpoints: [] })).toEqual([
      expect.stringMatching(
        /^network\.interfaceEndpoints: is empty while natGateways is "none": the private subnets then reach no AWS API, .*Fix: leave interfaceEndpoints out for the default \(ecr\.api, ecr\.dkr, logs, sts, kms, secretsmanager\)/,
      ),
    ]);
  });

  test('input-8 "none" with the default or a listed endpoint, and an empty list with NAT, are accepted', () => {
    expect(network({})).toEqual([]);
    expect(network({ interfaceEndpoints: ['ecr.api', 'ecr.dkr', 'logs'] })).toEqual([]);
    expect(problemsOf({ ...exampleInput(), network: { natGateways: 'single', interfaceEndpoints: [] } })).toEqual([]);
  });
});
