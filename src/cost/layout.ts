import type { TerraformJson } from '../terraform/offline';

/** A managed resource as the estimate sees it: where it is, and its arguments as configured or planned. */
export interface PricedResource {
  readonly stack: string;
  /** `type.name`. */
  readonly address: string;
  readonly type: string;
  /** The Region of the resource's provider. */
  readonly region: string;
  /** Arguments in Terraform's own spelling; nested blocks may be an object or a list of objects. */
  readonly values: Readonly<Record<string, unknown>>;
  /** The addresses (`type.name`) an argument refers to, in the same stack. */
  refersTo(argument: string): readonly string[];
}

/** Every priced resource of a set of stacks, findable by stack and address. */
export class Layout {
  private readonly index = new Map<string, PricedResource>();
  constructor(readonly resources: readonly PricedResource[]) {
    for (const resource of resources) this.index.set(`${resource.stack} ${resource.address}`, resource);
  }

  /** The resource `address` of `stack`. */
  find(stack: string, address: string): PricedResource | undefined {
    return this.index.get(`${stack} ${address}`);
  }

  /** The first resource that `resource`'s `argument` refers to. */
  referenced(resource: PricedResource, argument: string): PricedResource | undefined {
    return resource
      .refersTo(argument)
      .map((address) => this.find(resource.stack, address))
      .find((found) => found !== undefined);
  }
}

const REFERENCE = /\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)[.}]/g;

/** The resources of synthesized stacks (`cdk.tf.json` each), with their providers' Regions. */
export function layoutOfSynthesized(stacks: ReadonlyMap<string, TerraformJson>): Layout {
  const resources: PricedResource[] = [];
  for (const [stack, json] of stacks) {
    const providers = (json.provider as { aws?: Array<{ alias?: string; region?: string }> } | undefined)?.aws ?? [];
    const regionOf = (provider: unknown) => {
      const alias = typeof provider === 'string' ? provider.replace(/^aws\.?/, '') : '';
      return providers.find((p) => (p.alias ?? '') === alias)?.region ?? 'unknown';
    };
    for (const [type, byName] of Object.entries((json.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [name, body] of Object.entries(byName)) {
        resources.push({
          stack,
          address: `${type}.${name}`,
          type,
          region: regionOf(body.provider),
          values: body,
          refersTo: (argument) => [...JSON.stringify(body[argument] ?? null).matchAll(REFERENCE)].map((m) => `${m[1]}.${m[2]}`),
        });
      }
    }
  }
  return new Layout(resources);
}

/** The parts of `terraform show -json <planfile>` a cost comparison reads. */
export interface PlanValues {
  readonly resource_changes?: ReadonlyArray<{
    readonly address: string;
    readonly mode: string;
    readonly type: string;
    readonly change: { readonly actions?: readonly string[]; readonly before?: unknown; readonly after?: unknown };
  }>;
  readonly configuration?: {
    readonly provider_config?: Readonly<
      Record<string, { readonly expressions?: { readonly region?: { readonly constant_value?: unknown } } }>
    >;
    readonly root_module?: {
      readonly resources?: ReadonlyArray<{
        readonly address: string;
        readonly provider_config_key?: string;
        readonly expressions?: Readonly<Record<string, unknown>>;
      }>;
    };
  };
}

/** Every `references` list inside an argument's configuration expression. */
function referencesIn(expression: unknown): string[] {
  if (Array.isArray(expression)) return expression.flatMap(referencesIn);
  if (expression === null || typeof expression !== 'object') return [];
  const own = (expression as { references?: unknown }).references;
  const here = Array.isArray(own) ? own.filter((r): r is string => typeof r === 'string') : [];
  return [...here, ...Object.entries(expression).flatMap(([key, value]) => (key === 'references' ? [] : referencesIn(value)))];
}

/**
 * The resources of one stack's plan on one side of it: `before` (as deployed) or `after` (as planned).
 * Regions come from the providers' configuration (`region` is a constant in every generated provider).
 */
export function layoutOfPlan(stack: string, plan: PlanValues, side: 'before' | 'after'): Layout {
  const providers = plan.configuration?.provider_config ?? {};
  const configured = new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r]));
  const resources: PricedResource[] = [];
  for (const change of plan.resource_changes ?? []) {
    const values = change.change[side];
    if (change.mode !== 'managed' || values === null || typeof values !== 'object') continue;
    const config = configured.get(change.address);
    const region = providers[config?.provider_config_key ?? 'aws']?.expressions?.region?.constant_value;
    resources.push({
      stack,
      address: change.address,
      type: change.type,
      region: typeof region === 'string' ? region : 'unknown',
      values: values as Record<string, unknown>,
      refersTo: (argument) =>
        referencesIn(config?.expressions?.[argument])
          .map((reference) => reference.split('.').slice(0, 2).join('.'))
          .filter((address, i, all) => address.startsWith('aws_') && all.indexOf(address) === i),
    });
  }
  return new Layout(resources);
}
