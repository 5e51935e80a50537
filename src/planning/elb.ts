/**
 * The Elastic Load Balancing account of each Region launched before August 2022: load balancers
 * there deliver access logs as that account. Regions launched later deliver as the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com`.
 */
const ELB_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-southeast-3': '589379963580',
  'ap-south-1': '718504428378',
  'ap-northeast-3': '383597477331',
  'ap-northeast-2': '600734575887',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  'ca-central-1': '985666609251',
  'eu-central-1': '054676820928',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-south-1': '635631232127',
  'eu-west-3': '009996457667',
  'eu-north-1': '897822967062',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
};

/** Names of load balancers and target groups: 1 to 32 letters, digits and inner hyphens. */
export const ELB_NAME_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

export const ELB_LOG_DELIVERY_PRINCIPAL = 'logdelivery.elasticloadbalancing.amazonaws.com';

const accountArn = (account: string) => `arn:aws:iam::${account}:root`;

/** The ELB account ARN of each Region that predates the service principal, for access log delivery. */
export function elbAccountArns(): Record<string, string> {
  return Object.fromEntries(Object.entries(ELB_ACCOUNTS).map(([region, account]) => [region, accountArn(account)]));
}

/** The Region's ELB account ARN for access log delivery, where the Region predates the service principal. */
export function elbAccountArn(region: string): string | undefined {
  return Object.hasOwn(ELB_ACCOUNTS, region) ? accountArn(ELB_ACCOUNTS[region]) : undefined;
}

/**
 * A target group `name_prefix`: letters, digits and hyphens, at most 6 characters (the provider adds a
 * unique suffix). https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group#name_prefix
 */
export const TARGET_GROUP_NAME_PREFIX_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,5}$/;

/** A target group's health check: numbers within the Application Load Balancer limits. */
export interface TargetHealthCheck {
  /** `HTTP`, or `HTTPS` when the targets serve TLS. */
  readonly protocol: string;
  /** Path requested on each target. */
  readonly path: string;
  /** HTTP codes that mean healthy, e.g. "200-399". */
  readonly matcher: string;
  /** Seconds between checks, 5 to 300. */
  readonly intervalSeconds: number;
  /** Seconds without an answer that fail a check, 2 to 120, below the interval. */
  readonly timeoutSeconds: number;
  /** Passed checks in a row that make a target healthy, 2 to 10. */
  readonly healthyThresholdCount: number;
  /** Failed checks in a row that make a target unhealthy, 2 to 10. */
  readonly unhealthyThresholdCount: number;
}

/**
 * The target health check by default: 10 s x 3 failed checks mark a target unhealthy in 30 s.
 * Limits (interval 5-300 s, timeout 2-120 s, thresholds 2-10, matcher 200-499):
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
export const TARGET_HEALTH_CHECK_DEFAULTS = {
  protocol: 'HTTP',
  path: '/',
  matcher: '200-399',
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 3,
} as const satisfies TargetHealthCheck;
