/**
 * A Terraform state as if a saved plan had been applied: the plan's known values as they are, and
 * for each value only AWS would know (an ID, an ARN, an address) a placeholder in AWS's format. Fed
 * back to `terraform plan`, it answers offline what a change would do to running infrastructure.
 * State format: https://developer.hashicorp.com/terraform/internals/json-format (plan side) and the
 * version 4 state file Terraform 1.x writes.
 */
import { placeholderOfType, type CtyType, type PlaceholderContext, type ProviderSchema, type SchemaBlock } from './placeholders';

type Json = unknown;
type JsonObject = Record<string, Json>;

interface OutputChange {
  readonly actions: readonly string[];
  readonly before?: Json;
  readonly after?: Json;
  readonly after_unknown?: Json;
}

/** The parts of `terraform show -json <planfile>` a prior state is built from. */
export interface PlanDocument {
  readonly terraform_version?: string;
  readonly planned_values?: {
    readonly outputs?: Readonly<Record<string, { sensitive?: boolean; value?: Json }>>;
    root_module?: PlannedModule;
  };
  readonly resource_changes?: readonly PlannedChange[];
  readonly output_changes?: Readonly<Record<string, OutputChange>>;
  readonly configuration?: {
    readonly root_module?: ConfiguredModule;
    readonly provider_config?: Readonly<Record<string, { expressions?: { region?: { constant_value?: Json } } }>>;
  };
}

interface PlannedModule {
  readonly resources?: ReadonlyArray<{ address: string; schema_version?: number }>;
  readonly child_modules?: readonly PlannedModule[];
}

/** An expression of the configuration: a constant, what it refers to, or nested blocks' expressions. */
interface Expression {
  readonly constant_value?: Json;
  readonly references?: readonly string[];
}

interface ConfiguredModule {
  readonly resources?: ReadonlyArray<{ address: string; provider_config_key?: string; expressions?: Readonly<Record<string, Json>> }>;
  readonly module_calls?: Readonly<Record<string, { module?: ConfiguredModule }>>;
  readonly outputs?: Readonly<Record<string, { expression?: Expression }>>;
}

export interface PlannedChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly after?: Json;
    readonly after_unknown?: Json;
    readonly after_sensitive?: Json;
  };
}

/** One step of an attribute path, as the state file writes it. */
type PathStep = { type: 'get_attr'; value: string } | { type: 'index'; value: { value: string | number; type: 'string' | 'number' } };

export interface StateInstance {
  readonly index_key?: string | number;
  readonly schema_version: number;
  readonly attributes: JsonObject;
  readonly sensitive_attributes: PathStep[][];
}

export interface StateResource {
  readonly module?: string;
  readonly mode: 'managed';
  readonly type: string;
  readonly name: string;
  readonly provider: string;
  readonly instances: StateInstance[];
}

/** A Terraform state file, format version 4. */
export interface TerraformState {
  readonly version: 4;
  readonly terraform_version: string;
  readonly serial: number;
  readonly lineage: string;
  readonly outputs: Record<string, { value: Json; type: CtyType; sensitive?: boolean }>;
  readonly resources: StateResource[];
  readonly check_results: null;
}

export interface PriorStateOptions {
  /** The AWS provider's schema: the types of unknown values. */
  readonly schema: ProviderSchema;
  /** Region and account of a provider configuration (`aws`, `aws.us-west-2`): ARNs name them. */
  readonly contextOf: (providerConfigKey: string) => PlaceholderContext;
  /**
   * The state the plan was made against: a value the plan leaves unknown keeps the value it had
   * there, so an ID stays the ID everything else already refers to.
   * @default - every unknown value gets a fresh placeholder
   */
  readonly previous?: TerraformState;
  /** The state's lineage. @default 'prior-state' */
  readonly lineage?: string;
}

/** An account ID for ARNs where the configuration names none. */
const PLACEHOLDER_ACCOUNT = '123456789012';

/** Region and account of each provider configuration, read from the plan's own configuration. */
export function contextFromPlan(plan: PlanDocument): (providerConfigKey: string) => PlaceholderContext {
  const configs = plan.configuration?.provider_config ?? {};
  return (key) => {
    const region = (configs[key] ?? configs.aws)?.expressions?.region?.constant_value;
    return { region: typeof region === 'string' ? region : 'us-east-1', accountId: PLACEHOLDER_ACCOUNT };
  };
}

/** Whether a plan changes nothing: every resource and output a no-op (data sources may be read). */
export function planChangesNothing(plan: PlanDocument): boolean {
  const quiet = (actions: readonly string[]) => actions.every((action) => action === 'no-op' || action === 'read');
  // An output of a module call has no type a plan shows; the state can only guess it from the value
  // (a tuple for a list), so Terraform may call the same value an update: the value is what matters.
  const sameValue = (change: OutputChange) =>
    change.after_unknown !== true && JSON.stringify(change.before) === JSON.stringify(change.after);
  return (
    (plan.resource_changes ?? []).every((change) => quiet(change.change.actions)) &&
    Object.values(plan.output_changes ?? {}).every((change) => quiet(change.actions) || sameValue(change))
  );
}

/** The addresses a plan would change, with Terraform's actions, for messages. */
export function plannedChanges(plan: PlanDocument): Array<{ address: string; actions: readonly string[] }> {
  return (plan.resource_changes ?? [])
    .filter((change) => change.mode === 'managed' && !change.change.actions.every((action) => action === 'no-op'))
    .map((change) => ({ address: change.address, actions: change.change.actions }));
}

function isObject(value: Json): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** What the schema says is at a place inside a resource: a value of a type, a block, or a list of blocks. */
type SchemaNode = { type: CtyType } | { block: SchemaBlock } | { blocks: SchemaBlock } | undefined;

/** The schema node at `path` inside a resource, or undefined where the schema says nothing. */
function nodeAt(block: SchemaBlock | undefined, path: readonly (string | number)[]): SchemaNode {
  let node: SchemaNode = block && { block };
  for (const step of path) {
    if (node === undefined) return undefined;
    if ('block' in node) {
      const attribute: { type?: CtyType } | undefined = typeof step === 'string' ? node.block.attributes?.[step] : undefined;
      const nested: { nesting_mode?: string; block: SchemaBlock } | undefined =
        typeof step === 'string' ? node.block.block_types?.[step] : undefined;
      if (attribute?.type !== undefined) node = { type: attribute.type };
      else if (nested)
        node = nested.nesting_mode === 'single' || nested.nesting_mode === 'group' ? { block: nested.block } : { blocks: nested.block };
      else node = undefined;
    } else if ('blocks' in node) {
      node = { block: node.blocks };
    } else if (Array.isArray(node.type)) {
      const [kind, inner] = node.type;
      if (kind === 'object') node = typeof step === 'string' ? { type: (inner as Record<string, CtyType>)[step] } : undefined;
      else if (kind === 'tuple') node = typeof step === 'number' ? { type: (inner as CtyType[])[step] } : undefined;
      else node = { type: inner as CtyType };
      if (node?.type === undefined) node = undefined;
    } else {
      node = undefined;
    }
  }
  return node;
}

/** Whether `value` can stand where the schema puts `node`: a string for a string, a list for a list or set. */
function fits(value: Json, node: SchemaNode): boolean {
  if (node === undefined || !('type' in node)) return false;
  const kind = Array.isArray(node.type) ? node.type[0] : node.type;
  if (kind === 'string') return typeof value === 'string';
  if (kind === 'number') return typeof value === 'number';
  if (kind === 'bool') return typeof value === 'boolean';
  if (kind === 'list' || kind === 'set' || kind === 'tuple') return Array.isArray(value);
  return isObject(value);
}

/** Reads the value at `path` of `root`, or undefined. */
function valueAt(root: Json, path: readonly (string | number)[]): Json {
  let current = root;
  for (const step of path) {
    if (Array.isArray(current) && typeof step === 'number') current = current[step];
    else if (isObject(current) && typeof step === 'string') current = current[step];
    else return undefined;
  }
  return current;
}

interface FillContext {
  readonly resourceType: string;
  readonly seed: string;
  readonly block: SchemaBlock | undefined;
  readonly context: PlaceholderContext;
  readonly previous: JsonObject | undefined;
  /** The value the configuration's expression at `path` refers to, when it is one attribute of another resource. */
  readonly referenced: (path: readonly (string | number)[]) => Json;
}

/**
 * A value for an unknown at `path`: the attribute it refers to, else what the previous state held
 * there, else a placeholder of the schema's type.
 */
function unknownValue(fill: FillContext, path: readonly (string | number)[]): Json {
  const node = nodeAt(fill.block, path);
  const referenced = fill.referenced(path);
  if (referenced !== undefined && referenced !== null && fits(referenced, node)) return referenced;
  const kept = valueAt(fill.previous, path);
  if (kept !== undefined && kept !== null) return kept;
  const attribute = [...path].reverse().find((step): step is string => typeof step === 'string') ?? 'value';
  const site = { resourceType: fill.resourceType, attribute, seed: `${fill.seed}.${path.join('.')}`, context: fill.context };
  if (node === undefined) return placeholderOfType('string', site, 'computed');
  // Blocks AWS fills in: none, as a resource whose rules are managed elsewhere has.
  if ('blocks' in node) return [];
  if ('block' in node) return {};
  return placeholderOfType(node.type, site, 'computed');
}

/** `known` with every place `unknown` marks filled in. */
function fillUnknowns(known: Json, unknown: Json, fill: FillContext, path: (string | number)[] = []): Json {
  if (unknown === true) return unknownValue(fill, path);
  if (Array.isArray(unknown)) {
    const list = Array.isArray(known) ? known : [];
    const length = Math.max(list.length, unknown.length);
    return Array.from({ length }, (_, i) => fillUnknowns(list[i], unknown[i], fill, [...path, i]));
  }
  if (isObject(unknown)) {
    const object: JsonObject = isObject(known) ? { ...known } : {};
    for (const [key, marker] of Object.entries(unknown)) object[key] = fillUnknowns(object[key], marker, fill, [...path, key]);
    return object;
  }
  return known === undefined ? null : known;
}

/** The paths `after_sensitive` marks, in the state file's form. */
function sensitivePaths(marks: Json, path: PathStep[] = []): PathStep[][] {
  if (marks === true) return [path];
  if (Array.isArray(marks)) {
    return marks.flatMap((mark, i) => sensitivePaths(mark, [...path, { type: 'index', value: { value: i, type: 'number' } }]));
  }
  if (isObject(marks))
    return Object.entries(marks).flatMap(([key, mark]) => sensitivePaths(mark, [...path, { type: 'get_attr', value: key }]));
  return [];
}

/** The cty type of a JSON value, as a state file records an output's type. */
export function typeOfValue(value: Json): CtyType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(typeOfValue)];
  if (isObject(value)) return ['object', Object.fromEntries(Object.entries(value).map(([key, v]) => [key, typeOfValue(v)]))];
  return 'string';
}

interface ConfiguredResource {
  readonly providerConfigKey?: string;
  readonly expressions?: Readonly<Record<string, Json>>;
}

/** Each resource's configuration by address (without instance keys), through every module call. */
function configuredResources(module: ConfiguredModule | undefined, prefix = ''): Map<string, ConfiguredResource> {
  const resources = new Map<string, ConfiguredResource>();
  for (const resource of module?.resources ?? []) {
    resources.set(`${prefix}${resource.address}`, { providerConfigKey: resource.provider_config_key, expressions: resource.expressions });
  }
  for (const [name, call] of Object.entries(module?.module_calls ?? {})) {
    for (const [address, configured] of configuredResources(call.module, `${prefix}module.${name}.`)) resources.set(address, configured);
  }
  return resources;
}

/**
 * `aws_kms_key.this.arn` when `expression` is nothing but that reference. Terraform JSON keeps the
 * template (`"${aws_kms_key.this.arn}"`), which tells a reference from a string around it; HCL gives
 * only the references, so a lone attribute and its resource count as one, and the next plan corrects
 * a guess that was a template.
 */
export function soleReference(expression: Expression | undefined): string | undefined {
  const [first, ...rest] = expression?.references ?? [];
  if (first === undefined || !/^[a-z0-9_]+\.[A-Za-z0-9_-]+(\[[^\]]+\])?\.[a-z0-9_]+$/.test(first)) return undefined;
  if (expression?.constant_value !== undefined) return expression.constant_value === `\${${first}}` ? first : undefined;
  return rest.every((other) => first.startsWith(`${other}.`) || first.startsWith(`${other}[`)) ? first : undefined;
}

/** The expression at `path` of a resource's configured expressions, where blocks nest as lists. */
function expressionAt(expressions: Readonly<Record<string, Json>> | undefined, path: readonly (string | number)[]): Expression | undefined {
  let node: Json = expressions;
  for (const step of path) {
    if (typeof step === 'number' ? Array.isArray(node) : isObject(node)) node = (node as Record<string | number, Json>)[step];
    else return undefined;
  }
  return isObject(node) ? node : undefined;
}

function schemaVersions(module: PlannedModule | undefined, into = new Map<string, number>()): Map<string, number> {
  for (const resource of module?.resources ?? []) into.set(resource.address, resource.schema_version ?? 0);
  for (const child of module?.child_modules ?? []) schemaVersions(child, into);
  return into;
}

/** `module.a["x"].aws_vpc.this[0]` -> `module.a.aws_vpc.this`: the configuration's address of an instance. */
function configAddress(change: PlannedChange): string {
  const modules = (change.module_address ?? '').replace(/\[[^\]]*\]/g, '');
  return `${modules ? `${modules}.` : ''}${change.type}.${change.name}`;
}

/**
 * The provider configuration a resource uses, as the state names it. A key inside a module
 * (`vpc:aws`, `vpc:aws.replica`) names the module's own configuration; modules get theirs from the
 * root, and Terraform keeps a resource on the provider its configuration names, so the local name
 * serves.
 */
function providerAddress(providerName: string, key: string | undefined): string {
  const local = (key ?? 'aws').replace(/^.*:/, '');
  const alias = /^[^.]+\.(.+)$/.exec(local)?.[1];
  return `provider["${providerName}"]${alias ? `.${alias}` : ''}`;
}

function previousInstances(previous: TerraformState | undefined): Map<string, JsonObject> {
  const byAddress = new Map<string, JsonObject>();
  for (const resource of previous?.resources ?? []) {
    for (const instance of resource.instances) {
      const index = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      byAddress.set(`${resource.module ? `${resource.module}.` : ''}${resource.type}.${resource.name}${index}`, instance.attributes);
    }
  }
  return byAddress;
}

/**
 * The state `plan` leaves behind once applied: every managed resource the plan keeps or creates,
 * with its planned values, unknown values filled in, sensitivity as planned, and the plan's outputs.
 */
export function priorStateFromPlan(plan: PlanDocument, options: PriorStateOptions): TerraformState {
  const configured = configuredResources(plan.configuration?.root_module);
  const versions = schemaVersions(plan.planned_values?.root_module);
  const before = previousInstances(options.previous);
  const changes = new Map(
    (plan.resource_changes ?? [])
      .filter((change) => change.mode === 'managed' && isObject(change.change.after ?? null))
      .map((change) => [change.address, change]),
  );

  // Attributes are filled on first use, so a reference finds its target filled in already.
  const filled = new Map<string, JsonObject>();
  const filling = new Set<string>();
  const attributesOf = (address: string): JsonObject | undefined => {
    const change = changes.get(address);
    if (!change || filling.has(address)) return filled.get(address);
    if (!filled.has(address)) {
      filling.add(address);
      const resource = configured.get(configAddress(change));
      const scope = change.module_address ? `${change.module_address}.` : '';
      const fill: FillContext = {
        resourceType: change.type,
        seed: change.address,
        block: options.schema.resource_schemas?.[change.type]?.block,
        context: options.contextOf((resource?.providerConfigKey ?? 'aws').replace(/^.*:/, '')),
        previous: before.get(change.address),
        referenced: (path) => {
          const reference = soleReference(expressionAt(resource?.expressions, path));
          const [, target, attribute] = reference ? (/^(.+)\.([a-z0-9_]+)$/.exec(reference) ?? []) : [];
          return target ? attributesOf(`${scope}${target}`)?.[attribute] : undefined;
        },
      };
      filled.set(address, fillUnknowns(change.change.after, change.change.after_unknown ?? {}, fill) as JsonObject);
      filling.delete(address);
    }
    return filled.get(address);
  };

  const resources = new Map<string, StateResource>();
  for (const change of changes.values()) {
    const group = `${change.module_address ?? ''} ${change.type}.${change.name}`;
    let resource = resources.get(group);
    if (!resource) {
      resource = {
        ...(change.module_address ? { module: change.module_address } : {}),
        mode: 'managed',
        type: change.type,
        name: change.name,
        provider: providerAddress(change.provider_name, configured.get(configAddress(change))?.providerConfigKey),
        instances: [],
      };
      resources.set(group, resource);
    }
    resource.instances.push({
      ...(change.index === undefined ? {} : { index_key: change.index }),
      schema_version: versions.get(change.address) ?? options.schema.resource_schemas?.[change.type]?.version ?? 0,
      attributes: attributesOf(change.address)!,
      sensitive_attributes: sensitivePaths(change.change.after_sensitive ?? false),
    });
  }

  // An output that is one attribute takes that attribute's value and type: a set stays a set, an empty list keeps its element type.
  const configuredOutputs = plan.configuration?.root_module?.outputs ?? {};
  const outputs: TerraformState['outputs'] = {};
  for (const [name, output] of Object.entries(plan.planned_values?.outputs ?? {})) {
    // A state file holds no output whose value is null.
    if ('value' in output && output.value === null) continue;
    const reference = soleReference(configuredOutputs[name]?.expression);
    const [, target, type, attribute] = reference ? (/^(([a-z0-9_]+)\.[^.]+)\.([a-z0-9_]+)$/.exec(reference) ?? []) : [];
    const schemaType = type ? options.schema.resource_schemas?.[type]?.block.attributes?.[attribute]?.type : undefined;
    const value = output.value ?? (target ? attributesOf(target)?.[attribute] : undefined) ?? options.previous?.outputs[name]?.value ?? '';
    outputs[name] = { value, type: schemaType ?? typeOfValue(value), ...(output.sensitive ? { sensitive: true } : {}) };
  }

  return {
    version: 4,
    terraform_version: plan.terraform_version ?? '1.11.0',
    serial: (options.previous?.serial ?? 0) + 1,
    lineage: options.lineage ?? options.previous?.lineage ?? 'prior-state',
    outputs,
    resources: [...resources.values()],
    check_results: null,
  };
}
