import * as fs from 'node:fs';
import * as path from 'node:path';
import { dividedRoundingUp, numberText, plus, times } from '../src/constructs/conditions';
import { MODULES } from '../src/modules/catalog';
import type { ModuleDefinition } from '../src/modules/definition';
import { exampleMain, readBlockData, renderModules, synthesizeModules, withInputs, writeModules } from '../src/modules/generate';
import { promoteDatabaseDefinition } from '../src/planning/runbooks/promote-database';
import { checkRootModules, formatReport, type HarnessReport } from '../src/terraform/harness';
import type { TerraformJson } from '../src/terraform/offline';
import { tempDir } from './helpers';

const MODULE = MODULES.find((m) => m.name === 'promote-database-runbook')!;
/** A timeout whose poll count needs rounding up (7 minutes = 14 polls of 30 s) and another retention. */
const SHORT = withInputs(MODULE, { timeout_minutes: 7, log_retention_days: 30 });

describe('Terraform arithmetic of the conditions vocabulary', () => {
  test('known numbers are computed here', () => {
    expect(plus(30, 300)).toBe(330);
    expect(dividedRoundingUp(7 * 60, 30)).toBe(14);
    expect(dividedRoundingUp(421, 30)).toBe(15);
    expect(numberText(45)).toBe('45');
    expect(times(45, 60)).toBe(2700);
  });
});

describe('promote-database-runbook module', () => {
  const synthesized: TerraformJson = synthesizeModules([MODULE]).get(MODULE.name)!.json;
  const machine = () => Object.values(synthesized.resource.aws_sfn_state_machine as Record<string, TerraformJson>)[0];

  test('the definition computes the poll count, hard timeout and message from the timeout input in Terraform', () => {
    const definition = machine().definition as string;
    expect(definition).toContain('"TimeoutSeconds":${(var.timeout_minutes * 60) + 300}');
    expect(definition).toContain('"NumericGreaterThanEquals":${ceil((var.timeout_minutes * 60) / 30)}');
    expect(definition).toContain('after ${var.timeout_minutes} minutes');
    // No encoded float of a number token reached the text.
    expect(definition).not.toMatch(/e\+\d{3}/);
  });

  test('the role may do what the stacks allow it: the same statements', () => {
    const permissions = Object.values(synthesized.data.aws_iam_policy_document as Record<string, TerraformJson>).find(
      (d) => Array.isArray(d.statement) && (d.statement as TerraformJson[]).some((s) => s.sid === 'PromoteThisRegionsCluster'),
    )!;
    const sids = (permissions.statement as TerraformJson[]).map((s) => s.sid);
    expect(sids).toEqual([
      'DescribeTheGlobalCluster',
      'PromoteThisRegionsCluster',
      'NotifyTheAlertsTopic',
      'EncryptNotifications',
      'UseTheStateMachineKey',
      'DeliverExecutionLogs',
    ]);
    const promote = (permissions.statement as TerraformJson[]).find((s) => s.sid === 'PromoteThisRegionsCluster')!;
    expect(promote.resources).toEqual([
      'arn:aws:rds::${var.account_id}:global-cluster:${var.global_cluster_identifier}',
      '${var.member_cluster_arn_pattern}',
    ]);
  });

  test('a known timeout is still checked when the definition is built', () => {
    const options = { region: 'us-west-2', globalClusterIdentifier: 'g', clusterArn: 'arn', topicArn: 'topic' };
    expect(() => promoteDatabaseDefinition({ ...options, timeoutMinutes: 0 })).toThrow(/timeoutMinutes must be a whole number/);
  });
});

describe('promote-database-runbook under Terraform', () => {
  let tree: string;
  let plansDir: string;
  let report: HarnessReport;
  const cases: Array<[string, ModuleDefinition]> = [
    ['basic', MODULE],
    ['short', SHORT],
  ];

  beforeAll(async () => {
    tree = tempDir('aa-runbook-module-');
    plansDir = path.join(tree, 'plans');
    fs.mkdirSync(plansDir);
    writeModules(path.join(tree, 'modules'), renderModules([MODULE], readBlockData()));
    for (const [name, definition] of cases) {
      const dir = path.join(tree, 'modules', MODULE.name, 'examples', `case-${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'main.tf'), exampleMain(definition, []));
      const [{ json }] = [...synthesizeModules([{ ...definition, name: `twin-${name}` }], true).values()];
      fs.mkdirSync(path.join(tree, 'twins', name), { recursive: true });
      fs.writeFileSync(
        path.join(tree, 'twins', name, 'main.tf.json'),
        JSON.stringify({ ...json, terraform: { ...(json.terraform as object), backend: undefined } }),
      );
    }
    report = await checkRootModules(
      tree,
      cases.flatMap(([name]) => [
        { name: `${name} module`, dir: `modules/${MODULE.name}/examples/case-${name}`, providerAliases: [], settle: true },
        { name: `${name} construct`, dir: `twins/${name}`, providerAliases: [] },
      ]),
      { planJsonDir: plansDir },
    );
  }, 900_000);

  afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

  const planned = (name: string) => {
    const plan = JSON.parse(fs.readFileSync(path.join(plansDir, `${name}.json`), 'utf8')) as TerraformJson;
    return (plan.resource_changes as Array<{ mode: string; type: string; change: { after: Record<string, unknown> } }>).filter(
      (c) => c.mode === 'managed',
    );
  };
  const definitionOf = (name: string) =>
    JSON.parse(planned(name).find((c) => c.type === 'aws_sfn_state_machine')!.change.after.definition as string) as TerraformJson;

  test.each(cases.map(([name]) => name))('%s: the module and the construct plan, with the same state machine definition', (name) => {
    for (const root of [`${name} module`, `${name} construct`]) {
      if (!report.results.find((r) => r.stack === root)?.ok) throw new Error(formatReport(report));
    }
    expect(definitionOf(`${name} module`)).toEqual(definitionOf(`${name} construct`));
    expect(report.results.find((r) => r.stack === `${name} module`)!.settled?.rounds ?? 'did not settle').toEqual(expect.any(Number));
  });

  test('the short timeout polls 14 times and stops an execution after 720 seconds', () => {
    const definition = definitionOf('short module');
    expect(definition.TimeoutSeconds).toBe(7 * 60 + 300);
    const promoted = (definition.States as TerraformJson)['Promoted?'] as { Choices: Array<Record<string, unknown>> };
    expect(promoted.Choices[1].NumericGreaterThanEquals).toBe(14);
    expect(definitionOf('basic module').TimeoutSeconds).toBe(45 * 60 + 300);
  });

  test.each(cases.map(([name]) => name))('%s: every planned resource equals the construct', (name) => {
    const canonical = (value: unknown) =>
      JSON.stringify(value, (_key, x: unknown) =>
        x && typeof x === 'object' && !Array.isArray(x)
          ? Object.fromEntries(
              Object.keys(x)
                .sort()
                .map((k) => [k, (x as Record<string, unknown>)[k]]),
            )
          : x,
      );
    const byType = (root: string) =>
      planned(root)
        .map((c) => `${c.type} ${canonical(c.change.after)}`)
        .sort();
    expect(byType(`${name} module`)).toEqual(byType(`${name} construct`));
  });
});
