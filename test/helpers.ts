import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfigFile, validateConfig, type ConfigInput, type ResolvedConfig } from '../src/config';
import { synthesizeInPlace } from '../src/synth/synthesize';
import type { TerraformJson } from '../src/terraform/offline';
import { temporaryDirs } from './temp-dirs';

export const ROOT = path.resolve(__dirname, '..');

/** Eleven supported Regions, the most a layout may have (one primary, ten secondaries). */
export const ELEVEN_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'eu-north-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
];

export function example(name: string): ResolvedConfig {
  return loadConfigFile(path.join(ROOT, 'examples', `${name}.json`));
}

/** The two-Region example as raw input, to derive variations from. */
export function exampleInput(name = 'two-region'): ConfigInput {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', `${name}.json`), 'utf8')) as ConfigInput;
}

export function configFrom(input: unknown): ResolvedConfig {
  return validateConfig(input, 'test.json');
}

/** Validates `input` and returns its problems as `path: message` lines (empty when valid). */
export function configProblems(input: unknown): string[] {
  try {
    validateConfig(input, 'test.json');
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

/** A new temporary directory, removed after the test file at the latest. */
export function tempDir(prefix = 'aa-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirs.add(dir);
  return dir;
}

export interface Synthesized {
  readonly outdir: string;
  readonly stacks: ReadonlyMap<string, TerraformJson>;
  readonly order: readonly string[];
}

/** Synthesizes a config into a fresh temporary directory and reads every stack back. */
export function synth(config: ResolvedConfig): Synthesized {
  const project = tempDir();
  const outdir = path.join(project, 'cdktf.out');
  const { stacks: order } = synthesizeInPlace(config, { outdir, projectDir: project });
  const stacks = new Map<string, TerraformJson>();
  for (const name of order) {
    stacks.set(name, JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')));
  }
  return { outdir, stacks, order };
}

/** The resources of one type in a stack, by name. */
export function resources(stack: TerraformJson | undefined, type: string): Record<string, TerraformJson> {
  return (stack?.resource?.[type] ?? {}) as Record<string, TerraformJson>;
}

export function dataSources(stack: TerraformJson | undefined, type: string): Record<string, TerraformJson> {
  return (stack?.data?.[type] ?? {}) as Record<string, TerraformJson>;
}

/** Follows `${data.aws_iam_policy_document.<name>.json}` to the policy document's statements. */
export function policyStatements(stack: TerraformJson, reference: string): TerraformJson[] {
  const match = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference);
  if (!match) throw new Error(`not a policy document reference: ${reference}`);
  return dataSources(stack, 'aws_iam_policy_document')[match[1]].statement as TerraformJson[];
}

/** `${aws_s3_bucket.x.id}` -> `x`: the resource name a reference points at. */
export function referencedName(reference: string, type: string): string {
  const match = new RegExp(`^\\$\\{${type}\\.([^.]+)\\.[a-z_]+\\}$`).exec(reference);
  if (!match) throw new Error(`${reference} does not reference a ${type}`);
  return match[1];
}

/** The resource of `type` created at construct path `constructPath` (as cdktf records it), with its name. */
export function resourceAt(stack: TerraformJson, type: string, constructPath: string): { name: string; body: TerraformJson } {
  const found = Object.entries(resources(stack, type)).find(([, body]) => body['//']?.metadata?.path === constructPath);
  if (!found) throw new Error(`no ${type} at ${constructPath}`);
  return { name: found[0], body: found[1] };
}

/** `${type.name.attribute}` for a resource. */
export function ref(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}

/** The examples the invariant tests run over: 2, 3 and 5 Regions. */
export function exampleLayouts(): Array<[string, ResolvedConfig]> {
  return [
    ['two Regions', example('two-region')],
    ['three Regions', example('three-region')],
    ['five Regions', example('five-region')],
  ];
}

/**
 * Follows a cdktf cross-stack reference (`${data.terraform_remote_state.cross-stack-reference-input-<stack>.outputs.<output>}`)
 * to the stack it reads and the expression the output holds there.
 */
export function crossStack(result: Synthesized, reference: string): { stack: string; value: string } {
  const match = /cross-stack-reference-input-([a-z0-9-]+)\.outputs\.([A-Za-z0-9_-]+)\}/.exec(reference);
  if (!match) throw new Error(`not a cross-stack reference: ${reference}`);
  return { stack: match[1], value: result.stacks.get(match[1])!.output[match[2]].value };
}
