/**
 * Stand-in values for what only AWS knows: IDs, ARNs, addresses and DNS names that a plan leaves
 * unknown. They let a stack that reads other stacks' outputs be planned before those stacks exist,
 * and let a prior state hold a value for every attribute a real apply would have filled in. Types
 * come from the provider schema; values are shaped like the real thing (an ARN where an ARN goes,
 * `vpc-...` for a VPC ID, a CIDR block where `cidrsubnet` will read one), because provider
 * validators and Terraform functions check formats. Each value is derived from a seed (the
 * resource's address), so two resources never share an ID and a rerun gives the same values.
 */
import { createHash } from 'node:crypto';

/** A Terraform (cty) type in its JSON form: `"string"`, `["list", "string"]`, ... */
export type CtyType = string | [string, unknown];

interface SchemaAttribute {
  readonly type?: CtyType;
}
/** A block of the provider schema: its attributes and nested blocks. */
export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, { readonly nesting_mode?: string; readonly block: SchemaBlock }>>;
}
/** The part of `terraform providers schema -json` for one provider that placeholders need. */
export interface ProviderSchema {
  readonly resource_schemas?: Readonly<Record<string, { readonly version?: number; readonly block: SchemaBlock }>>;
  readonly data_source_schemas?: Readonly<Record<string, { readonly block: SchemaBlock }>>;
}

export interface PlaceholderContext {
  readonly region: string;
  readonly accountId: string;
}

/** Where a placeholder goes: it shapes the value and makes it unique. */
export interface PlaceholderSite {
  readonly resourceType: string;
  readonly attribute: string;
  /** Distinguishes values of the same attribute of different resources, e.g. the resource address. */
  readonly seed: string;
  readonly context: PlaceholderContext;
}

const ID_PREFIXES: Readonly<Record<string, string>> = {
  aws_vpc: 'vpc-',
  aws_subnet: 'subnet-',
  aws_route_table: 'rtb-',
  aws_security_group: 'sg-',
  aws_internet_gateway: 'igw-',
  aws_egress_only_internet_gateway: 'eigw-',
  aws_nat_gateway: 'nat-',
  aws_eip: 'eipalloc-',
  aws_vpc_endpoint: 'vpce-',
  aws_flow_log: 'fl-',
  aws_network_acl: 'acl-',
  aws_ec2_transit_gateway: 'tgw-',
  aws_ec2_transit_gateway_route_table: 'tgw-rtb-',
  aws_ec2_transit_gateway_vpc_attachment: 'tgw-attach-',
  aws_ec2_transit_gateway_peering_attachment: 'tgw-attach-',
  aws_ec2_transit_gateway_peering_attachment_accepter: 'tgw-attach-',
  aws_vpc_security_group_ingress_rule: 'sgr-',
  aws_vpc_security_group_egress_rule: 'sgr-',
};

const SERVICES: ReadonlyArray<[RegExp, string]> = [
  [/^aws_(ec2_|vpc|subnet|route|security_group|internet_gateway|egress_only|nat_gateway|network_|eip|flow_log)/, 'ec2'],
  [/^aws_(db_|rds_)/, 'rds'],
  [/^aws_(lb|alb)(_|$)/, 'elasticloadbalancing'],
  [/^aws_cloudwatch_log_/, 'logs'],
  [/^aws_cloudwatch_metric_alarm/, 'cloudwatch'],
  [/^aws_sfn_/, 'states'],
  [/^aws_route53_/, 'route53'],
];

function serviceOf(resourceType: string): string {
  return SERVICES.find(([pattern]) => pattern.test(resourceType))?.[1] ?? resourceType.split('_')[1] ?? 'placeholder';
}

/** `length` hex digits derived from the site: the same site always gets the same digits. */
function digits(site: PlaceholderSite, length: number): string {
  return createHash('sha256').update(`${site.seed}\0${site.attribute}`).digest('hex').slice(0, length);
}

function uuid(site: PlaceholderSite): string {
  const hex = digits(site, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function placeholderString(site: PlaceholderSite, style: 'output' | 'computed'): string {
  const { resourceType, attribute, context } = site;
  if (attribute === 'arn' || attribute.endsWith('_arn')) {
    const service = serviceOf(resourceType);
    const region = service === 's3' || service === 'iam' || service === 'route53' ? '' : context.region;
    const account = service === 's3' ? '' : context.accountId;
    return `arn:aws:${service}:${region}:${account}:${resourceType.replace(/^aws_/, '')}/${digits(site, 17)}`;
  }
  if (attribute === 'key_id' || (resourceType === 'aws_kms_key' && attribute === 'id')) return uuid(site);
  if (attribute === 'ipv6_cidr_block') return `2600:1f18:${digits(site, 4)}:${digits(site, 2)}00::/56`;
  if (attribute === 'cidr_block' || attribute.endsWith('_cidr_block')) return `10.${parseInt(digits(site, 2), 16)}.0.0/16`;
  if (/(^|_)ip(_address)?$|^ip_address$/.test(attribute)) return `192.0.2.${(parseInt(digits(site, 2), 16) % 254) + 1}`;
  if (attribute === 'dns_name' || attribute === 'endpoint' || attribute.endsWith('_endpoint') || attribute === 'domain_name') {
    return `placeholder-${digits(site, 8)}.${context.region}.amazonaws.com`;
  }
  if (attribute === 'hosted_zone_id' || attribute === 'zone_id') return `Z${digits(site, 13).toUpperCase()}`;
  if (attribute === 'owner_id' || attribute === 'account_id') return context.accountId;
  if (attribute === 'id' || attribute.endsWith('_id')) {
    const prefix = ID_PREFIXES[resourceType];
    return prefix ? `${prefix}${digits(site, 17)}` : `${resourceType.replace(/^aws_/, '')}-${digits(site, 12)}`;
  }
  return style === 'computed' ? '' : `placeholder-${attribute}-${digits(site, 8)}`;
}

/**
 * A value of `type` for `site`, in one of two styles:
 * - `output`, a stand-in for another stack's output that a consumer may index: collections hold one
 *   element, every string is shaped;
 * - `computed`, what AWS fills into an attribute the configuration leaves unset: collections are
 *   empty (rules managed elsewhere, members AWS lists), numbers zero, and a string that names
 *   nothing AWS creates is empty, as AWS leaves an unused setting (`fifo_throughput_scope` of a
 *   standard topic); IDs, ARNs, addresses and names keep their shapes.
 */
export function placeholderOfType(type: CtyType, site: PlaceholderSite, style: 'output' | 'computed' = 'output'): unknown {
  if (type === 'string') return placeholderString(site, style);
  if (type === 'number') return style === 'computed' ? 0 : 1;
  if (type === 'bool') return false;
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === 'list' || kind === 'set') return style === 'computed' ? [] : [placeholderOfType(inner as CtyType, site, style)];
    if (kind === 'map') return {};
    if (kind === 'object') {
      return Object.fromEntries(
        Object.entries(inner as Record<string, CtyType>).map(([key, keyType]) => [
          key,
          placeholderOfType(keyType, { ...site, attribute: key }, style),
        ]),
      );
    }
  }
  return placeholderString(site, style);
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
  const seed = `${reference.data ? 'data.' : ''}${reference.type}.${reference.name}`;
  return { value: placeholderOfType(type, { resourceType: reference.type, attribute: reference.attribute, seed, context }), type };
}
