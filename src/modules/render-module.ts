import { AWS_PROVIDER_CONSTRAINT, TERRAFORM_VERSION_CONSTRAINT } from '../../stacks/project-stack';
import { AS_IS, renderBlock, renderString, renderValue, type BlockPaths, type Json, type JsonObject, type RenderContext } from './hcl';

/** Nested block paths per resource and data source type, from the provider schema. */
export interface BlockData {
  readonly resource: Readonly<Record<string, readonly string[]>>;
  readonly data: Readonly<Record<string, readonly string[]>>;
}

interface Item {
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly oldName: string;
  readonly path: string;
  readonly body: JsonObject;
  newName: string;
}

/** `replica-bucket/bucket` -> `replica_bucket`: words joined by `_`, a word repeated next to itself once. */
function sanitize(name: string): string {
  const words = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .filter((word, i, all) => word !== all[i - 1]);
  const cleaned = words.join('_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `r_${cleaned}`;
}

/** The words a resource type says of itself: `aws_route_table` -> route, table. */
function typeWordsOf(type: string): Set<string> {
  return new Set(type.split('_').slice(1));
}

/** Whether a name says more than its type does (`nat` of `aws_eip`; not `key` of `aws_kms_key`). */
function saysMoreThanType(name: string, type: string): boolean {
  const typeWords = typeWordsOf(type);
  return name.split('_').some((word) => !typeWords.has(word));
}

/** `private_route_table` of `aws_route_table` -> `private`: trailing words the type already says go. */
function withoutTypeWords(name: string, type: string): string {
  const typeWords = typeWordsOf(type);
  const words = name.split('_');
  while (words.length > 1 && typeWords.has(words[words.length - 1])) words.pop();
  return words.join('_');
}

/** A construct path's segments below the module stack. */
function belowStack(path: string, stackName: string): string[] {
  return path.split('/').filter((segment, i) => !(i === 0 && segment === stackName));
}

/** Data sources that read the caller's context, named `current` as terraform-aws-modules names them. */
const CONTEXT_DATA_SOURCES = new Set(['aws_region', 'aws_caller_identity', 'aws_partition']);

/**
 * What a resource is for, from its construct path: the shortest end of the path that says more than
 * the type does (`nat-eip` of `aws_eip` -> `nat`, `monitoring-role/role` of `aws_iam_role` ->
 * `monitoring`), or a purpose the definition gives the construct the resource is in.
 */
function purposeName(segments: readonly string[], type: string, purposes: Readonly<Record<string, string>>): string {
  for (let end = segments.length; end > 0; end--) {
    const purpose = purposes[segments.slice(0, end).join('/')];
    if (purpose !== undefined) return purpose;
  }
  let last = segments.length - 1;
  while (last > 0 && !saysMoreThanType(sanitize(segments[last]), type)) last--;
  for (let start = last; start >= 0; start--) {
    const name = withoutTypeWords(sanitize(segments.slice(start, last + 1).join('_')), type);
    if (saysMoreThanType(name, type)) return name;
  }
  return withoutTypeWords(sanitize(segments.join('_')), type);
}

/** How a module names its resources. */
export interface NamingRules {
  /**
   * Resource types of the module's main resources: the only ones named `this` (when alone of their type).
   * @default - none
   */
  readonly mainResources?: readonly string[];
  /**
   * Purpose names by construct path below the module stack (e.g. `vpc/flow-logs`: `flow_log`), for a
   * lone resource at or under a construct whose id does not say it well.
   * @default - the purpose the construct paths give
   */
  readonly purposes?: Readonly<Record<string, string>>;
}

/**
 * Stable, readable resource names from construct paths. A lone resource of its type is `this` when it
 * is one of the module's main resources, `current` when it reads the caller's context, and named by
 * its purpose otherwise. In a group of one type, below the path the group has in common, each gets the
 * shortest distinguishing start of its path (`ingress-80/...` and `ingress-443/...` are `ingress_80`
 * and `ingress_443`), without the words the type already says.
 */
function assignNames(items: Item[], stackName: string, rules: NamingRules): void {
  const byType = new Map<string, Item[]>();
  for (const item of items) {
    const key = `${item.kind}.${item.type}`;
    byType.set(key, [...(byType.get(key) ?? []), item]);
  }
  const main = new Set(rules.mainResources ?? []);
  const segmentsOf = (item: Item) => belowStack(item.path, stackName);
  for (const group of byType.values()) {
    if (group.length === 1) {
      const [item] = group;
      if (item.kind === 'resource' && main.has(item.type)) item.newName = 'this';
      else if (item.kind === 'data' && CONTEXT_DATA_SOURCES.has(item.type)) item.newName = 'current';
      else item.newName = purposeName(segmentsOf(item), item.type, rules.purposes ?? {});
      continue;
    }
    const segments = group.map(segmentsOf);
    let common = 0;
    while (segments.every((parts) => parts.length > common + 1 && parts[common] === segments[0][common])) common++;
    const unique = (names: string[]) => new Set(names).size === names.length;
    for (let depth = 1; ; depth++) {
      const names = segments.map((parts) => sanitize(parts.slice(common, common + depth).join('_')));
      if (unique(names) || depth >= Math.max(...segments.map((p) => p.length))) {
        const short = names.map((name, i) => withoutTypeWords(name, group[i].type));
        // A name that only repeats the type (`aws_kms_key.key` beside `aws_kms_key.replica`) says
        // nothing: it is the main one of the group, `this` where the type is a main resource.
        const { type } = group[0];
        const chosen = (unique(short) ? short : names).map((name) =>
          saysMoreThanType(name, type) ? name : main.has(type) ? 'this' : 'primary',
        );
        group.forEach((item, i) => (item.newName = unique(chosen) ? chosen[i] : names[i]));
        break;
      }
    }
  }
}

/**
 * `terraform { required_version, required_providers }`: for a module, with the provider aliases it
 * expects as `configuration_aliases`; for a root module, without.
 */
export function requirementsBlock(providerAliases: readonly string[] = []): string {
  const aliases = providerAliases.map((alias) => `aws.${alias}`);
  const aws: JsonObject = {
    source: 'hashicorp/aws',
    version: AWS_PROVIDER_CONSTRAINT,
    ...(aliases.length > 0 ? { configuration_aliases: `\${[${aliases.join(', ')}]}` } : {}),
  };
  return renderBlock(
    ['terraform'],
    { required_version: TERRAFORM_VERSION_CONSTRAINT, required_providers: { aws } },
    '',
    new Set(['required_providers']),
    '',
    AS_IS,
  );
}

export interface ModuleFiles {
  readonly 'versions.tf': string;
  readonly 'variables.tf': string;
  readonly 'main.tf': string;
  readonly 'outputs.tf': string;
}

function header(comment: string): string {
  return `# ${comment}\n# Generated by "active-active modules" from the project's constructs: edit those, not this file.\n\n`;
}

/** Acronyms as a section title writes them. */
const ACRONYMS = new Set(['vpc', 'kms', 'iam', 's3', 'nat', 'ipv6', 'dns', 'tls', 'rds', 'alb', 'sns', 'acm']);

/** `access-log-bucket` -> `Access log bucket`. */
function title(id: string): string {
  const words = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase() : word.toLowerCase()));
  return words.map((word, i) => (i === 0 ? word[0].toUpperCase() + word.slice(1) : word)).join(' ');
}

const RULE = '#'.repeat(80);

/** A terraform-aws-modules style banner: a section title between two rules. */
function banner(text: string): string {
  return `${RULE}\n# ${text}\n${RULE}`;
}

/** `text` as `#` comment lines of at most `width` columns (a longer word stands alone). */
function commentLines(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > 1 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

/**
 * The section a resource belongs to: the construct below the stack that holds it, or the part of that
 * construct holding it when that part holds more than one resource (`vpc/flow-logs`); none for a
 * resource of the stack itself (a data source the module reads its context from).
 */
function sectionsOf(paths: readonly string[], stackName: string): string[] {
  const below = paths.map((p) => belowStack(p, stackName));
  const count = (prefix: string) => below.filter((parts) => parts.join('/').startsWith(`${prefix}/`)).length;
  return below.map((parts) => {
    if (parts.length < 2) return '';
    const part = parts.slice(0, 2).join('/');
    return parts.length > 2 && count(part) > 1 ? part : parts[0];
  });
}

/** How the module files are rendered beyond the synthesized JSON. */
export interface ModuleRenderOptions {
  /** @default - no main resources, purposes from the construct paths */
  readonly naming?: NamingRules;
  /**
   * Design reasons by construct path (what `explain` recorded), written as comments above the resource.
   * @default - none
   */
  readonly reasons?: ReadonlyMap<string, readonly string[]>;
}

/**
 * The module's files, rendered from the synthesized JSON of its module stack: the stack's own data
 * sources first, then resources in the order their constructs were created (`constructPaths`, the
 * stack first), those of one section together under its banner.
 */
export function renderModuleFiles(
  json: JsonObject,
  constructPaths: readonly string[],
  providerAliases: readonly string[],
  blocks: BlockData,
  options: ModuleRenderOptions = {},
): ModuleFiles {
  const stackName = constructPaths[0];
  const position = new Map(constructPaths.map((constructPath, index) => [constructPath, index]));
  const items: Item[] = [];
  for (const kind of ['resource', 'data'] as const) {
    const byType = (json[kind] ?? {}) as { [type: string]: { [name: string]: JsonObject } };
    for (const [type, byName] of Object.entries(byType)) {
      for (const [oldName, body] of Object.entries(byName)) {
        const path = ((body['//'] as JsonObject | undefined)?.metadata as JsonObject | undefined)?.path;
        items.push({ kind, type, oldName, path: typeof path === 'string' ? path : oldName, body, newName: oldName });
      }
    }
  }
  assignNames(items, stackName, options.naming ?? {});

  const renames = new Map(
    items.map((item) => [
      `${item.kind === 'data' ? 'data.' : ''}${item.type}.${item.oldName}`,
      `${item.kind === 'data' ? 'data.' : ''}${item.type}.${item.newName}`,
    ]),
  );
  const reference = /\b(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;
  const context: RenderContext = {
    rewrite: (expression) => expression.replace(reference, (whole) => renames.get(whole) ?? whole),
    blocks: (kind, type) => {
      const paths = blocks[kind][type];
      if (!paths) throw new Error(`no block data for ${kind} ${type}: run "npm run aws-blocks" to add it`);
      return new Set(paths);
    },
  };

  // The default provider is implied; only aliases are worth spelling out.
  for (const item of items) if (item.body.provider === 'aws') delete item.body.provider;

  const created = items.sort((a, b) => (position.get(a.path) ?? Infinity) - (position.get(b.path) ?? Infinity));
  const createdSections = sectionsOf(
    created.map((item) => item.path),
    stackName,
  );
  // One banner per section: a construct's resources stay together even when a part of it with a
  // section of its own was created between them, and the stack's own data sources come first.
  const rank = new Map<string, number>();
  createdSections.forEach((section, i) => {
    if (!rank.has(section)) rank.set(section, section === '' ? -1 : i);
  });
  const ordered = created
    .map((item, i) => ({ item, section: createdSections[i] }))
    .sort((a, b) => rank.get(a.section)! - rank.get(b.section)!);
  const main = ordered.map(({ item, section }, i) => {
    const blockPaths: BlockPaths = context.blocks(item.kind, item.type);
    const reasons = (options.reasons?.get(item.path) ?? []).map((reason) => `${commentLines(reason)}\n`).join('#\n');
    const block = `${reasons}${renderBlock([item.kind, item.type, item.newName], item.body, '', blockPaths, '', context)}`;
    return section && section !== ordered[i - 1]?.section ? `${banner(title(section.split('/').pop()!))}\n\n${block}` : block;
  });
  const locals = json.locals as JsonObject | undefined;
  if (locals) main.unshift(renderBlock(['locals'], locals, '', new Set(), '', context));

  const variables = Object.entries((json.variable ?? {}) as { [name: string]: JsonObject }).map(([name, variable]) => {
    const { type, validation, ...rest } = variable;
    const body: JsonObject = { ...(type ? { type: `\${${type as string}}` } : {}), ...rest };
    const rendered = renderBlock(['variable', name], body, '', new Set(), '', context);
    const checks = ((validation ?? []) as JsonObject[]).map(
      (v) =>
        `  validation {\n    condition     = ${renderString(v.condition as string, context)}\n    error_message = ${renderValue(v.error_message, '    ', context)}\n  }`,
    );
    return checks.length === 0 ? rendered : `${rendered.slice(0, -1)}\n${checks.join('\n\n')}\n}`;
  });

  const outputs = Object.entries((json.output ?? {}) as { [name: string]: JsonObject }).map(([name, output]) =>
    renderBlock(
      ['output', name],
      {
        description: output.description,
        value: output.value,
        ...(output.sensitive ? { sensitive: output.sensitive } : {}),
        ...(output.depends_on ? { depends_on: output.depends_on } : {}),
      },
      '',
      new Set(),
      '',
      context,
    ),
  );

  return {
    'versions.tf': `${header('Terraform and provider requirements.')}${requirementsBlock(providerAliases)}\n`,
    'variables.tf': `${header('Inputs.')}${variables.join('\n\n')}\n`,
    'main.tf': `${header('Resources.')}${main.join('\n\n')}\n`,
    'outputs.tf': `${header('Outputs.')}${outputs.join('\n\n')}\n`,
  };
}

export type { Json };
