import { parseReference, placeholderFor, type CtyType, type PlaceholderContext, type ProviderSchema } from './placeholders';

/** A synthesized `cdk.tf.json`, loosely typed: the harness only rewrites a few well-known parts. */
export type TerraformJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The arguments of one block of Terraform JSON. */
type Block = Record<string, unknown>;

/** The parts of a synthesized stack the harness reads, typed. */
interface StackView {
  terraform?: { backend?: Record<string, Block> };
  provider?: { aws?: Block | Block[] };
  data?: Record<string, Record<string, Block>>;
  resource?: Record<string, Record<string, Block>>;
  output?: Record<string, Block>;
  variable?: Record<string, { type?: string; default?: unknown }>;
}

/** How many resources a synthesized stack declares (each planned once on a fresh plan). */
export function resourceCount(stack: TerraformJson): number {
  return Object.values((stack.resource ?? {}) as Record<string, object>).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
}

/** Provider settings that let `plan` run without AWS: fake keys, and no call to STS or IMDS. */
export const OFFLINE_PROVIDER_SETTINGS = Object.freeze({
  access_key: 'mock-access-key',
  secret_key: 'mock-secret-key',
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: 'true',
});

/** A `terraform_remote_state` data source of a stack, and the state object it reads. */
export interface RemoteStateSource {
  /** The data source's name. */
  readonly name: string;
  /** The S3 object key it reads: which stack's state. */
  readonly key: string;
}

/** The S3 backend key of a stack (which state object it writes), if it has an S3 backend. */
export function backendKey(stack: TerraformJson): string | undefined {
  const key = (stack as StackView).terraform?.backend?.s3?.key;
  return typeof key === 'string' ? key : undefined;
}

function providerList(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value as Record<string, unknown>[];
  return value && typeof value === 'object' ? [value as Record<string, unknown>] : [];
}

export function remoteStateSources(stack: TerraformJson): RemoteStateSource[] {
  const sources = (stack as StackView).data?.terraform_remote_state ?? {};
  return Object.entries(sources).map(([name, source]) => {
    const key = (source.config as Block | undefined)?.key;
    if (source.backend !== 's3' || typeof key !== 'string') {
      throw new Error(`remote state "${name}" does not read an S3 backend key; the harness cannot stand in for it`);
    }
    return { name, key };
  });
}

/**
 * The copy of a stack that plans offline: no backend (state stays local), AWS providers with mock
 * credentials and without `allowed_account_ids` (checking it needs STS), and every remote state
 * read from a local stand-in state file (`standIns`: data source name -> file path).
 */
export function offlineCopy(stack: TerraformJson, standIns: Readonly<Record<string, string>>): TerraformJson {
  const copy = structuredClone(stack) as StackView;
  if (copy.terraform) delete copy.terraform.backend;
  const aws = providerList(copy.provider?.aws).map((provider) => {
    const rest = { ...provider };
    delete rest.allowed_account_ids;
    return { ...rest, ...OFFLINE_PROVIDER_SETTINGS };
  });
  if (copy.provider && aws.length > 0) copy.provider.aws = aws;

  const sources = copy.data?.terraform_remote_state ?? {};
  for (const name of Object.keys(sources)) {
    const file = standIns[name];
    if (!file) throw new Error(`no stand-in state for remote state "${name}"`);
    sources[name] = { ...sources[name], backend: 'local', config: { path: file } };
  }
  return copy;
}

/** A stand-in for an input variable a stack requires, by its type: what an operator would pass. */
const STAND_IN_VARIABLE_VALUES: Readonly<Record<string, string>> = {
  string: 'Stand-in-value-42',
  number: '1',
  bool: 'true',
};

/**
 * `TF_VAR_*` settings for every variable of the stack that has no default (a secret such as the
 * database master password), so the offline plan runs as it would with the operator's values.
 */
export function standInVariables(stack: TerraformJson): Record<string, string> {
  const variables = (stack as StackView).variable ?? {};
  return Object.fromEntries(
    Object.entries(variables)
      .filter(([, variable]) => variable.default === undefined)
      .map(([name, variable]) => {
        const value = STAND_IN_VARIABLE_VALUES[variable.type ?? 'string'];
        if (value === undefined) throw new Error(`variable "${name}" has type ${variable.type}, which the harness cannot stand in for`);
        return [`TF_VAR_${name}`, value];
      }),
  );
}

/** Where the resources of a stack run: the Region and account of the provider each one uses. */
export function providerContexts(stack: TerraformJson): (providerRef: string | undefined) => PlaceholderContext {
  const byRef = new Map<string, PlaceholderContext>();
  for (const provider of providerList((stack as StackView).provider?.aws)) {
    const ref = typeof provider.alias === 'string' ? `aws.${provider.alias}` : 'aws';
    const accounts = provider.allowed_account_ids as string[] | undefined;
    byRef.set(ref, { region: String(provider.region), accountId: accounts?.[0] ?? '123456789012' });
  }
  const fallback = byRef.get('aws') ?? byRef.values().next().value ?? { region: 'us-east-1', accountId: '123456789012' };
  return (ref) => (ref && byRef.get(ref)) || fallback;
}

/**
 * A Terraform state file (format 4) holding a stand-in for every output of `producer`, for the
 * stacks that read it through remote state: the value `known` gives it (the producer's prior or
 * settled state), else a placeholder.
 */
export function standInState(
  producer: TerraformJson,
  producerName: string,
  schema: ProviderSchema | undefined,
  known: Readonly<Record<string, { value: unknown; type: CtyType }>> = {},
): object {
  const contextOf = providerContexts(producer);
  const outputs: Record<string, { value: unknown; type: CtyType; sensitive?: boolean }> = {};
  const view = producer as StackView;
  for (const [name, output] of Object.entries(view.output ?? {})) {
    const ref = parseReference(output.value);
    const resource = ref ? view[ref.data ? 'data' : 'resource']?.[ref.type]?.[ref.name] : undefined;
    const placeholder = placeholderFor(
      output.value,
      schema,
      contextOf(typeof resource?.provider === 'string' ? resource.provider : undefined),
    );
    const value = known[name] ? { value: known[name].value, type: known[name].type } : placeholder;
    outputs[name] = output.sensitive ? { ...value, sensitive: true } : value;
  }
  return {
    version: 4,
    terraform_version: '1.11.0',
    serial: 1,
    lineage: `stand-in-${producerName}`,
    outputs,
    resources: [],
    check_results: null,
  };
}
