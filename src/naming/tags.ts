/**
 * The tags the generator writes, and the room they leave for the configured ones.
 *
 * Every AWS resource the generator creates carries the provider's `default_tags` (`Project`,
 * `ManagedBy`, `Stack`, then the configured `tags`); some constructs add resource-level tags on top
 * (`Name` on EC2 resources, `Tier` on subnets, `Side` on Transit Gateway peerings). All of them count
 * against the per-resource tag limit, so the configured tags may only fill what the most-tagged
 * resource leaves free. A test synthesizes the examples and checks these constants against the
 * resources, so a construct that adds a tag fails it until the constants follow.
 */

/**
 * Tags AWS allows per resource (EC2, S3, IAM, KMS, ECS, CloudWatch Logs, ...); `aws:` tags do not count.
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions
 */
export const AWS_MAX_TAGS_PER_RESOURCE = 50;

/** Keys of the provider `default_tags` that every resource gets. */
export const DEFAULT_TAG_KEYS = ['Project', 'ManagedBy', 'Stack'] as const;

/** Keys that constructs set on individual resources. */
export const RESOURCE_TAG_KEYS = ['Name', 'Tier', 'Side'] as const;

/**
 * The most resource-level tags any one resource carries: `Name` and `Tier` on a subnet, `Name` and
 * `Side` on a Transit Gateway peering attachment or accepter.
 */
export const MAX_RESOURCE_TAGS = 2;

/** Configured tags that fit beside the generated ones on the most-tagged resource. */
export const MAX_USER_TAGS = AWS_MAX_TAGS_PER_RESOURCE - DEFAULT_TAG_KEYS.length - MAX_RESOURCE_TAGS;

/** Tag keys the generator owns: a configured tag must not replace or shadow them. */
export const GENERATED_TAG_KEYS: readonly string[] = [...DEFAULT_TAG_KEYS, ...RESOURCE_TAG_KEYS];
