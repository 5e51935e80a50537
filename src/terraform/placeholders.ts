/**
 * Stand-in values for other stacks' outputs, so a stack that reads them through
 * `terraform_remote_state` can be planned before those stacks exist. Types come from the provider
 * schema; values are shaped like the real thing (an ARN where an ARN goes, `vpc-...` for a VPC ID),
 * because provider validators check formats.
 */

/** A Terraform (cty) type in its JSON form: `"string"`, `["list", "string"]`, ... */
export type CtyType = string | [string, unknown];

interface SchemaAttribute {
  readonly type?: CtyType;
}
interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
}
/** The part of `terraform providers schema -json` for one provider that placeholders need. */
export interface ProviderSchema {
  readonly resource_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
  readonly data_source_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

export interface PlaceholderContext {
  readonly region: string;
  readonly accountId: string;
}

const ID_PREFIXES: Readonly<Record<string, string>> = {
  aws_vpc: 'vpc-',
  aws_subnet: 'subnet-',
  aws_route_table: 'rtb-',
  aws_security_group: 'sg-',
  aws_internet_gateway: 'igw-',
  aws_nat_gateway: 'nat-',
  aws_vpc_endpoint: 'vpce-',
  aws_ec2_transit_gateway: 'tgw-',
  aws_ec2_transit_gateway_route_table: 'tgw-rtb-',
  aws_ec2_transit_gateway_vpc_attachment: 'tgw-attach-',
  aws_ec2_transit_gateway_peering_attachment: 'tgw-attach-',
};

const SERVICES: ReadonlyArray<[RegExp, string]> = [
  [/^aws_(ec2_|vpc|subnet|route|security_group|internet_gateway|nat_gateway|network_)/, 'ec2'],
  [/^aws_(db_|rds_)/, 'rds'],
  [/^aws_(lb|alb)(_|$)/, 'elasticloadbalancing'],
  [/^aws_cloudwatch_log_/, 'logs'],
];

const UUID = '00000000-0000-4000-8000-000000000000';

function serviceOf(resourceType: string): string {
  return SERVICES.find(([pattern]) => pattern.test(resourceType))?.[1] ?? resourceType.split('_')[1] ?? 'placeholder';
}

function placeholderString(resourceType: string, attribute: string, context: PlaceholderContext): string {
  if (attribute === 'arn' || attribute.endsWith('_arn')) {
    const service = serviceOf(resourceType);
    const region = service === 's3' || service === 'iam' ? '' : context.region;
    const account = service === 's3' ? '' : context.accountId;
    return `arn:aws:${service}:${region}:${account}:${resourceType.replace(/^aws_/, '')}/placeholder`;
  }
  if (attribute === 'key_id' || (resourceType === 'aws_kms_key' && attribute === 'id')) return UUID;
  if (attribute === 'id' || attribute.endsWith('_id')) {
    const prefix = ID_PREFIXES[resourceType];
    return prefix ? `${prefix}0123456789abcdef0` : `${resourceType}-placeholder`;
  }
  return `placeholder-${attribute}`;
}

/** A value of `type` for `attribute` of `resourceType`: lists of one, objects with every attribute. */
function placeholderOfType(type: CtyType, resourceType: string, attribute: string, context: PlaceholderContext): unknown {
  if (type === 'string') return placeholderString(resourceType, attribute, context);
  if (type === 'number') return 1;
  if (type === 'bool') return true;
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === 'list' || kind === 'set') return [placeholderOfType(inner as CtyType, resourceType, attribute, context)];
    if (kind === 'map') return {};
    if (kind === 'object') {
      return Object.fromEntries(
        Object.entries(inner as Record<string, CtyType>).map(([key, keyType]) => [
          key,
          placeholderOfType(keyType, resourceType, key, context),
        ]),
      );
    }
  }
  return placeholderString(resourceType, attribute, context);
}

/** `${aws_vpc.main_1A2B.id}` or `${data.aws_x.y.attr}` -> its parts; anything else -> undefined. */
export function parseReference(expression: unknown): { data: boolean; type: string; name: string; attribute: string } | undefined {
  if (typeof expression !== 'string') return undefined;
  const match = /^\$\{(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(expression);
  return match ? { data: match[1] !== undefined, type: match[2], name: match[3], attribute: match[4] } : undefined;
}

/** A stand-in value and its type for an output whose value is `expression`. */
export function placeholderFor(
  expression: unknown,
  schema: ProviderSchema | undefined,
  context: PlaceholderContext,
): { value: unknown; type: CtyType } {
  const reference = parseReference(expression);
  if (!reference) return { value: 'placeholder', type: 'string' };
  const schemas = reference.data ? schema?.data_source_schemas : schema?.resource_schemas;
  const type = schemas?.[reference.type]?.block.attributes?.[reference.attribute]?.type ?? 'string';
  return { value: placeholderOfType(type, reference.type, reference.attribute, context), type };
}
