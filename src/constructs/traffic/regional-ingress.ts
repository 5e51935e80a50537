import { IResolvable, TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, lbListenerDefaultActionToTerraform, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import {
  ELB_LOG_DELIVERY_PRINCIPAL,
  ELB_NAME_PATTERN,
  elbAccountArns,
  TARGET_GROUP_NAME_PREFIX_PATTERN,
  TARGET_HEALTH_CHECK_DEFAULTS,
  type TargetHealthCheck,
} from '../../planning/elb';
import { Keyed, type KeyedItem } from '../collection';
import { and, conditionalBlocks, differs, equals, isSet, listIf, not, numberText, optional } from '../conditions';
import { CidrRules } from '../network/cidr-rules';
import { RegionalBucket } from '../storage/regional-bucket';
import { requireIntegerInRange, requireKnown } from '../validation';
import { explain } from '../rationale';

/** A modern TLS policy: TLS 1.3, and TLS 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/** Properties of a `RegionalIngress`. */
export interface RegionalIngressProps {
  /** Name of the load balancer (at most 32 characters, unique in the Region). */
  readonly loadBalancerName: string;
  /**
   * Prefix of the target group's name, at most 6 characters: Terraform adds a unique suffix, so a
   * replacement (a new target port) is created before the old group is deleted, never colliding.
   */
  readonly targetGroupNamePrefix: string;
  /** Name of the access-log bucket (globally unique). */
  readonly accessLogBucketName: string;
  /**
   * Days the access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  /** The Region, to pick its log delivery account where it predates the service principal. */
  readonly region: string;
  /** The account ID, for the access log object ARNs. */
  readonly accountId: string;
  /** The VPC of the load balancer's security group and target group. */
  readonly vpcId: string;
  /** The VPC's CIDR: the load balancer may only reach targets inside it. */
  readonly vpcCidr: string;
  /** Subnets of the load balancer: public when internet-facing, private when internal. */
  readonly subnetIds: readonly string[];
  /**
   * An internal load balancer, reached through Global Accelerator (which preserves client IPs).
   * @default false
   */
  readonly internal?: boolean | IResolvable;
  /**
   * `ipv4`, or `dualstack` for IPv6 clients as well (a dual-stack accelerator accepts only
   * dual-stack endpoints): every subnet needs an IPv6 block and an IPv6 route, and the security
   * group admits `::/0` beside `0.0.0.0/0` on the listener ports. Targets stay IPv4.
   * @default "ipv4"
   */
  readonly ipAddressType?: 'ipv4' | 'dualstack';
  /**
   * ACM certificate of this Region: adds an HTTPS listener and turns HTTP into a redirect to it.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /** The port targets listen on. */
  readonly targetPort: number;
  /**
   * The target health check, which also decides whether Global Accelerator and Route 53 send traffic.
   * @default - HTTP "/" every 10 s, timeout 5 s, healthy after 2, unhealthy after 3, "200-399"
   */
  readonly healthCheck?: TargetHealthCheck;
  /**
   * Route 53 DNS failover: the fewest healthy targets below which the load balancer reports itself
   * unhealthy to Route 53 (records with evaluate_target_health), percentage off. Set it where Route 53
   * routes to the load balancer; Global Accelerator does not read it, and AWS advises against a
   * threshold on a load balancer behind an accelerator. The count is of the whole target group, which
   * holds because cross-zone load balancing stays on (the ALB default, not changed here).
   * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health.html
   * @default 1 - the load balancer's default: unhealthy to Route 53 only with no healthy target. It is
   * written out rather than left unset: the attribute is optional and computed, so leaving it out after
   * a Route 53 mode would keep the old threshold on AWS.
   */
  readonly dnsFailoverMinimumHealthyTargets?: number;
  /**
   * Deletion protection of the load balancer. A literal `true` also sets `prevent_destroy`, so
   * Terraform refuses any plan that would replace or delete it (e.g. toggling `internal`).
   * @default true
   */
  readonly deletionProtection?: boolean | IResolvable;
  /**
   * Let Terraform delete the access-log bucket with its logs in it (for tearing the layout down).
   * @default false
   */
  readonly accessLogBucketForceDestroy?: boolean | IResolvable;
  /**
   * The provider (Region) to create the ingress with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A Region's Application Load Balancer: deletion protection, invalid header fields dropped, access
 * logs to a bucket of its own, a security group open only on the listener ports, an HTTP listener
 * (a redirect to HTTPS when a certificate is configured), an HTTPS listener with a modern TLS policy,
 * and one IP target group.
 */
export class RegionalIngress extends Construct {
  /** The Application Load Balancer. */
  readonly loadBalancer: Lb;
  /** The load balancer's security group. */
  readonly securityGroup: SecurityGroup;
  /** The IP target group the service registers in. */
  readonly targetGroup: LbTargetGroup;
  /** The listeners: HTTP, and HTTPS with a certificate. */
  readonly listeners: readonly LbListener[];
  /** The access log bucket. */
  readonly accessLogBucket: RegionalBucket;

  constructor(scope: Construct, id: string, props: RegionalIngressProps) {
    super(scope, id);
    const { provider } = props;
    requireKnown(
      props.loadBalancerName,
      () => ELB_NAME_PATTERN.test(props.loadBalancerName),
      () => `RegionalIngress ${id}: loadBalancerName "${props.loadBalancerName}" must be 1 to 32 letters, digits and hyphens`,
    );
    requireKnown(
      props.targetGroupNamePrefix,
      () => TARGET_GROUP_NAME_PREFIX_PATTERN.test(props.targetGroupNamePrefix),
      () => `RegionalIngress ${id}: targetGroupNamePrefix "${props.targetGroupNamePrefix}" must be 1 to 6 letters, digits and hyphens`,
    );
    const healthCheck: TargetHealthCheck = props.healthCheck ?? TARGET_HEALTH_CHECK_DEFAULTS;
    const problem = (what: string) => () => `RegionalIngress ${id}: healthCheck.${what}`;
    if (props.dnsFailoverMinimumHealthyTargets !== undefined) {
      requireIntegerInRange(
        props.dnsFailoverMinimumHealthyTargets,
        1,
        1_000,
        () => `RegionalIngress ${id}: dnsFailoverMinimumHealthyTargets must be a whole number from 1`,
      );
    }
    requireIntegerInRange(healthCheck.intervalSeconds, 5, 300, problem('intervalSeconds must be 5 to 300'));
    requireIntegerInRange(healthCheck.timeoutSeconds, 2, 120, problem('timeoutSeconds must be 2 to 120'));
    requireKnown(
      [healthCheck.timeoutSeconds, healthCheck.intervalSeconds],
      () => healthCheck.timeoutSeconds < healthCheck.intervalSeconds,
      problem('timeoutSeconds must be below intervalSeconds'),
    );
    requireIntegerInRange(healthCheck.healthyThresholdCount, 2, 10, problem('healthyThresholdCount must be 2 to 10'));
    requireIntegerInRange(healthCheck.unhealthyThresholdCount, 2, 10, problem('unhealthyThresholdCount must be 2 to 10'));
    requireKnown(healthCheck.protocol, () => ['HTTP', 'HTTPS'].includes(healthCheck.protocol), problem('protocol must be HTTP or HTTPS'));
    const deletionProtection = props.deletionProtection ?? true;
    const https = isSet(props.certificateArn);
    const ipAddressType = props.ipAddressType ?? 'ipv4';
    requireKnown(
      ipAddressType,
      () => ['ipv4', 'dualstack'].includes(ipAddressType),
      () => `RegionalIngress ${id}: ipAddressType must be ipv4 or dualstack`,
    );
    const dualStack = differs(ipAddressType, 'ipv4');

    const logPrefix = 'alb';
    const logObjects = `arn:aws:s3:::${props.accessLogBucketName}/${logPrefix}/AWSLogs/${props.accountId}/*`;
    const delivery = (sid: string, type: string, identifier: string): DataAwsIamPolicyDocumentStatement => ({
      sid,
      effect: 'Allow',
      principals: [{ type, identifiers: [identifier] }],
      actions: ['s3:PutObject'],
      resources: [logObjects],
    });
    // Regions launched before August 2022 deliver as their Elastic Load Balancing account.
    // Filtered by Terraform for a token Region, over a local that the HCL module shows by name.
    const allAccounts = Keyed.of(elbAccountArns());
    const elbAccounts = Token.isUnresolved(props.region) ? allAccounts.inLocal(this, 'elb_account_arns') : allAccounts;
    const legacyAccount = elbAccounts.filter((region) => equals(region, props.region), { key: 'region', value: 'account' });
    this.accessLogBucket = new RegionalBucket(this, 'access-log-bucket', {
      provider,
      bucketName: props.accessLogBucketName,
      s3ManagedEncryption: true,
      expireObjectsAfterDays: props.accessLogRetentionDays ?? 90,
      noncurrentVersionExpirationDays: 30,
      forceDestroy: props.accessLogBucketForceDestroy,
      policyStatements: [delivery('LoadBalancerLogDelivery', 'Service', ELB_LOG_DELIVERY_PRINCIPAL)],
      keyedPolicyStatements: {
        keys: legacyAccount,
        statements: (account: KeyedItem<string>) => [delivery('LoadBalancerLogDeliveryLegacyRegion', 'AWS', account.value)],
      },
    });
    explain(
      this.accessLogBucket.bucket,
      'The one bucket that is not KMS-encrypted: load balancers deliver access logs only to buckets whose default encryption is SSE-S3.',
    );

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      provider,
      vpcId: props.vpcId,
      name: `${props.loadBalancerName}-alb`,
      description: 'Load balancer: listener ports in, targets in the VPC out',
      tags: { Name: `${props.loadBalancerName}-alb` },
    });
    explain(this.securityGroup, 'The description is constant: a new description would replace the group while the load balancer uses it.');
    explain(
      this.securityGroup,
      'The listener ports are open to the internet even for an internal load balancer: Global Accelerator preserves client IPs.',
    );
    for (const [port, open] of [
      [80, true],
      [443, https],
    ] as const) {
      const cidrs = listIf(open, ['0.0.0.0/0']);
      if (cidrs.length === 0) continue;
      new CidrRules(this, `ingress-${port}`, {
        direction: 'ingress',
        provider,
        securityGroupId: this.securityGroup.id,
        port,
        cidrs,
        description: `Clients on ${port} from`,
      });
      const ipv6Cidrs = listIf(open === true ? dualStack : and(open, dualStack), ['::/0']);
      if (ipv6Cidrs.length === 0) continue;
      new CidrRules(this, `ingress-${port}-ipv6`, {
        direction: 'ingress',
        addressFamily: 'ipv6',
        provider,
        securityGroupId: this.securityGroup.id,
        port,
        cidrs: ipv6Cidrs,
        description: `Clients on ${port} from`,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'egress-to-targets', {
      provider,
      securityGroupId: this.securityGroup.id,
      description: 'Targets in the VPC',
      ipProtocol: 'tcp',
      fromPort: props.targetPort,
      toPort: props.targetPort,
      cidrIpv4: props.vpcCidr,
    });

    const preventDestroy = deletionProtection === true;
    this.loadBalancer = new Lb(this, 'load-balancer', {
      provider,
      name: props.loadBalancerName,
      loadBalancerType: 'application',
      ipAddressType,
      internal: props.internal ?? false,
      subnets: [...props.subnetIds],
      securityGroups: [this.securityGroup.id],
      enableDeletionProtection: deletionProtection,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'defensive',
      accessLogs: { bucket: this.accessLogBucket.bucketName, prefix: logPrefix, enabled: true },
      dependsOn: [this.accessLogBucket.policy],
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    explain(this.loadBalancer, 'ip_address_type is set even for ipv4: an omitted ip_address_type keeps whatever the load balancer has.');
    explain(
      this.loadBalancer,
      "depends_on the log bucket's policy: the load balancer checks that it may write to the bucket when logging is turned on.",
    );
    explain(
      this.loadBalancer,
      preventDestroy
        ? 'internal and name replace the load balancer: while it is protected, prevent_destroy makes Terraform refuse such a plan instead of failing half-way on the deletion protection.'
        : 'internal and name replace the load balancer: while deletion protection is on, applying such a plan fails half-way, when the API refuses the delete.',
    );

    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      provider,
      namePrefix: props.targetGroupNamePrefix,
      vpcId: props.vpcId,
      targetType: 'ip',
      protocol: 'HTTP',
      port: props.targetPort,
      deregistrationDelay: '30',
      // Target group attributes, changed in place (ModifyTargetGroupAttributes). The provider takes the
      // values as strings: a count, or "off".
      targetGroupHealth: {
        dnsFailover: {
          minimumHealthyTargetsCount: numberText(props.dnsFailoverMinimumHealthyTargets ?? 1),
          minimumHealthyTargetsPercentage: 'off',
        },
      },
      healthCheck: {
        enabled: true,
        protocol: healthCheck.protocol,
        path: healthCheck.path,
        matcher: healthCheck.matcher,
        interval: healthCheck.intervalSeconds,
        timeout: healthCheck.timeoutSeconds,
        healthyThreshold: healthCheck.healthyThresholdCount,
        unhealthyThreshold: healthCheck.unhealthyThresholdCount,
      },
      lifecycle: { createBeforeDestroy: true },
    });
    explain(
      this.targetGroup,
      'A new port replaces the group: the new one is created first (a generated name after the prefix), the listeners (and an ECS service that uses the group) switch to it in place, and only then is the old one (no longer in use) deleted. https://github.com/hashicorp/terraform-provider-aws/issues/636 (ResourceInUse otherwise); ECS updates load_balancer in place: https://github.com/hashicorp/terraform-provider-aws/issues/23596',
    );

    const forward: LbListenerDefaultAction = { type: 'forward', targetGroupArn: this.targetGroup.arn };
    const redirect: LbListenerDefaultAction = { type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } };
    const http = new LbListener(this, 'http', {
      provider,
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [],
    });
    const httpActions = conditionalBlocks(
      http,
      'default_action',
      [
        { when: https, block: redirect },
        { when: not(https), block: forward },
      ],
      lbListenerDefaultActionToTerraform,
    );
    if (httpActions.length > 0) http.putDefaultAction(httpActions);
    const httpsListener = optional(
      https,
      (count) =>
        new LbListener(this, 'https', {
          provider,
          count,
          loadBalancerArn: this.loadBalancer.arn,
          port: 443,
          protocol: 'HTTPS',
          sslPolicy: TLS_POLICY,
          certificateArn: props.certificateArn,
          defaultAction: [forward],
        }),
    );
    this.listeners = httpsListener ? [http, httpsListener] : [http];
  }
}
