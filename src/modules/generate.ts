import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { AWS_PROVIDER_CONSTRAINT, TERRAFORM_VERSION_CONSTRAINT } from '../../stacks/project-stack';
import { reasonsOf } from '../constructs/rationale';
import { packageRoot } from '../package-root';
import { makeScratchDir, removeScratchDir } from '../scratch';
import type { ModuleDefinition } from './definition';
import { AS_IS, renderBlock, renderBody, renderInlineValue, type Json, type JsonObject } from './hcl';
import { ModuleStack, type LiteralInputs } from './module-stack';
import { renderModuleFiles, requirementsBlock, type BlockData } from './render-module';

/** Where the block data of the provider schema is committed, relative to the package root. */
export const BLOCK_DATA_PATH = 'src/modules/aws-blocks.json';

/** A module stack's Terraform JSON, its construct paths in creation order, and the reasons `explain` recorded. */
export interface SynthesizedModule {
  readonly json: JsonObject;
  readonly constructPaths: readonly string[];
  readonly reasons: ReadonlyMap<string, readonly string[]>;
}

/** The literal inputs of a module's example: its input values, and its providers' Regions. */
function exampleLiterals(definition: ModuleDefinition): LiteralInputs {
  const { example } = definition;
  const secrets = new Map((example.variables ?? []).map((v) => [`\${var.${v.name}}`, v.planValue]));
  const values = Object.fromEntries(
    Object.entries(example.inputs).map(([name, value]) => [name, typeof value === 'string' ? (secrets.get(value) ?? value) : value]),
  );
  const regionOf = (reference: string) => example.providers.find((p) => (p.alias ? `aws.${p.alias}` : 'aws') === reference)?.region;
  const passed = example.passProviders ?? { aws: 'aws' };
  const regions = Object.fromEntries(Object.entries(passed).map(([inner, outer]) => [inner, regionOf(outer)!]));
  return { values, regions };
}

/**
 * Every module stack, synthesized, by module name. With `literal`, each is synthesized with its
 * example's inputs as literal values instead: the construct as the CDKTF stacks use it.
 */
export function synthesizeModules(definitions: readonly ModuleDefinition[], literal = false): Map<string, SynthesizedModule> {
  const outdir = makeScratchDir('active-active-modules-');
  try {
    const app = new App({ outdir, stackTraces: false });
    const stacks = definitions.map((definition) => {
      const stack = new ModuleStack(app, definition.name, literal ? exampleLiterals(definition) : undefined);
      definition.build(stack);
      return stack;
    });
    app.synth();
    return new Map(
      stacks.map((stack) => [
        stack.moduleName,
        {
          json: JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack.moduleName, 'cdk.tf.json'), 'utf8')) as JsonObject,
          constructPaths: stack.node.findAll().map((construct) => construct.node.path),
          reasons: new Map(
            stack.node
              .findAll()
              .map((construct) => [construct.node.path, reasonsOf(construct)] as const)
              .filter(([, reasons]) => reasons.length > 0),
          ),
        },
      ]),
    );
  } finally {
    removeScratchDir(outdir);
  }
}

/** The resource and data source types the modules use: what the block data must cover. */
export function typesUsed(synthesized: ReadonlyMap<string, SynthesizedModule>): { resource: string[]; data: string[] } {
  const collect = (kind: 'resource' | 'data') =>
    [...new Set([...synthesized.values()].flatMap(({ json }) => Object.keys((json[kind] ?? {}) as object)))].sort();
  return { resource: collect('resource'), data: collect('data') };
}

export function readBlockData(root = packageRoot()): BlockData {
  return JSON.parse(fs.readFileSync(path.join(root, BLOCK_DATA_PATH), 'utf8')) as BlockData;
}

function moduleBlockName(name: string): string {
  return name.replace(/-/g, '_');
}

/** A module's `source` in a git repository, pinned to a tag. */
function moduleSource(name: string): string {
  return `git::<repository>//modules/${name}?ref=<tag>`;
}

const SOURCE_NOTE =
  'Replace `<repository>` with the git URL of this repository (e.g. `https://github.com/acme/active-active-cdktf.git`) and `<tag>` with a release tag; from a checkout, a relative path such as `../modules/vpc` works too.';

/**
 * `module "x" { source, providers, inputs }` for an example: the meta-arguments apart, as is usual.
 * The block is named after the module unless `blockName` says otherwise.
 */
export function moduleCall(
  name: string,
  source: string,
  inputs: Readonly<Record<string, Json>>,
  passProviders?: Readonly<Record<string, string>>,
  blockName = moduleBlockName(name),
): string {
  const width = Math.max(0, ...Object.keys(passProviders ?? {}).map((key) => key.length));
  const providers = passProviders
    ? {
        providers: `\${{\n${Object.entries(passProviders)
          .map(([inner, outer]) => `    ${inner.padEnd(width)} = ${outer}`)
          .join('\n')}\n  }}`,
      }
    : {};
  const meta = renderBody({ source, ...providers } as JsonObject, '', new Set(), '  ', AS_IS);
  const body = renderBody(inputs, '', new Set(), '  ', AS_IS);
  return `module ${JSON.stringify(blockName)} {\n${meta}${body ? `\n\n${body}` : ''}\n}`;
}

/** The root module of a module's example, in `<module>/examples/<name>/`, passing `outputs` through. */
export function exampleMain(definition: ModuleDefinition, outputs: readonly string[]): string {
  const { example } = definition;
  const terraform = requirementsBlock();
  const providers = example.providers.map((p) =>
    renderBlock(['provider', 'aws'], { ...(p.alias ? { alias: p.alias } : {}), region: p.region }, '', new Set(), '', AS_IS),
  );
  const variables = (example.variables ?? []).map((v) =>
    renderBlock(
      ['variable', v.name],
      { type: '${string}', description: v.description, ...(v.secret ? { sensitive: true, ephemeral: true } : {}) },
      '',
      new Set(),
      '',
      AS_IS,
    ),
  );
  const call = moduleCall(definition.name, '../..', example.inputs, example.passProviders);
  const passthrough = outputs.map((output) =>
    renderBlock(['output', output], { value: `\${module.${moduleBlockName(definition.name)}.${output}}` }, '', new Set(), '', AS_IS),
  );
  return `${[terraform, ...providers, ...variables, call, ...passthrough].join('\n\n')}\n`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function moduleReadme(definition: ModuleDefinition, json: JsonObject, files: Record<string, string>): string {
  const variables = Object.entries((json.variable ?? {}) as Record<string, JsonObject>);
  const outputs = Object.entries((json.output ?? {}) as Record<string, JsonObject>);
  const resourceTypes = [...new Set(Object.keys((json.resource ?? {}) as object))].sort();
  const example = files['examples/basic/main.tf'];
  const start = example.indexOf(`module "${moduleBlockName(definition.name)}" {`);
  const usage = example.slice(start, example.indexOf('\n}\n', start) + 2);
  const inputRows = variables.map(([name, v]) => [
    `\`${name}\``,
    escapeCell((v.description as string | undefined) ?? ''),
    `\`${escapeCell(v.type as string)}\``,
    v.default === undefined ? 'n/a' : `\`${escapeCell(renderInlineValue(v.default, AS_IS))}\``,
    v.default === undefined ? 'yes' : 'no',
  ]);
  const outputRows = outputs.map(([name, o]) => [`\`${name}\``, escapeCell((o.description as string | undefined) ?? '')]);
  const aliases = definition.providerAliases ?? [];
  return [
    `# ${definition.name}`,
    '',
    definition.description,
    '',
    'Generated from the same construct the CDK for Terraform stacks use; regenerate with `npm run modules`.',
    '',
    '## Usage',
    '',
    '```hcl',
    usage.replace('source = "../.."', `source = "${moduleSource(definition.name)}"`),
    '```',
    '',
    SOURCE_NOTE,
    '',
    `Complete root modules that plan: ${[...examplesOf(definition).keys()].map((dir) => `[${dir}](examples/${dir}/main.tf)`).join(', ')}.`,
    '',
    '## Requirements',
    '',
    table(
      ['name', 'version'],
      [
        ['terraform', `\`${TERRAFORM_VERSION_CONSTRAINT}\``],
        ['hashicorp/aws', `\`${AWS_PROVIDER_CONSTRAINT}\``],
      ],
    ),
    '',
    aliases.length > 0
      ? `Providers: the default \`aws\` and ${aliases.map((a) => `\`aws.${a}\``).join(', ')}, passed in with \`providers = { ... }\`.`
      : 'Providers: the default `aws` provider of the calling module (its Region is the Region of the resources).',
    '',
    '## Inputs',
    '',
    table(['name', 'description', 'type', 'default', 'required'], inputRows),
    '',
    '## Outputs',
    '',
    table(['name', 'description'], outputRows),
    '',
    '## Resources',
    '',
    ...resourceTypes.map((type) => `- \`${type}\``),
    '',
  ].join('\n');
}

/** A module's example with other inputs merged over its own: a variant's example. */
export function withInputs(definition: ModuleDefinition, inputs: Readonly<Record<string, Json>>): ModuleDefinition {
  return { ...definition, example: { ...definition.example, inputs: { ...definition.example.inputs, ...inputs } } };
}

/** A module's examples by directory under `examples/`: `basic`, then one per variant. */
export function examplesOf(definition: ModuleDefinition): Map<string, ModuleDefinition> {
  return new Map([
    ['basic', definition],
    ...Object.entries(definition.variants ?? {}).map(([variant, inputs]) => [variant, withInputs(definition, inputs)] as const),
  ]);
}

/** Every file under `modules/`, by path relative to it. */
export function renderModules(definitions: readonly ModuleDefinition[], blocks: BlockData): Map<string, string> {
  const synthesized = synthesizeModules(definitions);
  const files = new Map<string, string>();
  for (const definition of definitions) {
    const { json, constructPaths, reasons } = synthesized.get(definition.name)!;
    const naming = { mainResources: definition.mainResources, purposes: definition.purposes };
    const rendered: Record<string, string> = {
      ...renderModuleFiles(json, constructPaths, definition.providerAliases ?? [], blocks, { naming, reasons }),
    };
    for (const [dir, example] of examplesOf(definition))
      rendered[`examples/${dir}/main.tf`] = exampleMain(example, Object.keys((json.output ?? {}) as object));
    rendered['README.md'] = moduleReadme(definition, json, rendered);
    for (const [file, content] of Object.entries(rendered)) files.set(`${definition.name}/${file}`, content);
  }
  files.set(
    'README.md',
    [
      '# HCL modules',
      '',
      `Plain Terraform modules for teams that do not run cdktf, generated from the same constructs as the stacks (\`npm run modules\`), so they never drift from them. Call one with \`source = "${moduleSource('<name>')}"\`. ${SOURCE_NOTE}`,
      '',
      table(
        ['module', 'what it creates'],
        definitions.map((d) => [`[${d.name}](${d.name}/README.md)`, d.summary]),
      ),
      '',
      '## How they fit together',
      '',
      "Per Region: `regional-key` → `vpc` → `transit-gateway`; `s3-access-log-bucket` → `s3-replicated-bucket`; `regional-ingress`, then `region-alarms` on it and the Region's database cluster, and `promote-database-runbook` on the cluster, the key and an alerts topic. Once: `state-backend`, `aurora-global-database` (in the writer Region), `global-accelerator` (with a provider in us-west-2). Between Regions: `transit-gateway-peering` per pair, `aurora-secondary-cluster` per secondary Region, `s3-replication` per source bucket. [A complete two-Region configuration](../examples/terraform/two-region/main.tf) wires them all but `region-alarms` and `promote-database-runbook`, which notify an SNS topic of your own.",
      '',
      'Where the modules differ from the list one might expect, and why:',
      '',
      '- `regional-key` and `s3-access-log-bucket` are modules of their own: the VPC flow logs, the buckets and the database need a customer-managed key whose policy admits CloudWatch Logs and S3 log delivery, and the data buckets need a log bucket that admits S3 logging. Without them, every caller would hand-write those policies.',
      "- `global-accelerator` takes every Region's load balancer in one `endpoints` map and creates the endpoint groups itself (the stacks add them from each Region): all endpoint groups live in us-west-2, so one call with one provider is simpler than a module per Region.",
      '- `state-backend` includes the replication of the state bucket, and `global-accelerator` its flow log key: each is only ever used together.',
      '',
    ].join('\n'),
  );
  return files;
}

/**
 * Writes the modules, and removes files the generator no longer produces from the module
 * directories it owns (nothing else in `outDir` is touched).
 */
export function writeModules(outDir: string, files: ReadonlyMap<string, string>): void {
  const owned = new Set([...files.keys()].filter((file) => file.includes('/')).map((file) => file.split('/')[0]));
  for (const extra of staleModuleFiles(outDir, files)) {
    const [top] = extra.split(path.sep);
    if (owned.has(top) && !files.has(extra.split(path.sep).join('/'))) fs.rmSync(path.join(outDir, extra));
  }
  for (const [file, content] of files) {
    fs.mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    fs.writeFileSync(path.join(outDir, file), content);
  }
}

/** Files that differ between `outDir` and what the generator produces (missing, extra, changed). */
export function staleModuleFiles(outDir: string, files: ReadonlyMap<string, string>): string[] {
  const onDisk = fs.existsSync(outDir) ? fs.readdirSync(outDir, { recursive: true, encoding: 'utf8' }) : [];
  const existing = onDisk.filter(
    (file) =>
      fs.statSync(path.join(outDir, file)).isFile() &&
      !file.split(path.sep).includes('.terraform') &&
      !file.endsWith('.terraform.lock.hcl'),
  );
  const differing = [...files]
    .filter(([file, content]) => !fs.existsSync(path.join(outDir, file)) || fs.readFileSync(path.join(outDir, file), 'utf8') !== content)
    .map(([file]) => file);
  const extra = existing.filter((file) => !files.has(file.split(path.sep).join('/')));
  return [...differing, ...extra].sort();
}
