import { IResolvable, TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener, lbListenerDefaultActionToTerraform, type LbListenerDefaultAction } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { ELB_LOG_DELIVERY_PRINCIPAL, ELB_NAME_PATTERN, elbAccountArn, elbAccountArns } from '../../planning/elb';
import { Keyed } from '../collection';
import { and, choose, conditionalBlocks, differs, isSet, not, onlyWhen, optional } from '../conditions';
import { namedLocal } from '../locals';
import { CidrRules } from '../network/cidr-rules';
import { RegionalBucket } from '../storage/regional-bucket';
import { requireKnown } from '../validation';

/** A modern TLS policy: TLS 1.3, and TLS 1.2 with forward-secret ciphers only. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface RegionalIngressProps {
  /** Name of the load balancer (at most 32 characters, unique in the Region). */
  readonly loadBalancerName: string;
  /** Name of the target group (at most 32 characters). */
  readonly targetGroupName: string;
  /** Name of the access-log bucket (globally unique). */
  readonly accessLogBucketName: string;
  /**
   * Days the access logs are kept.
   * @default 90
   */
  readonly accessLogRetentionDays?: number;
  readonly region: string;
  readonly accountId: string;
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
  readonly ipAddressType?: 'ipv4' | 'dualstack' | (string & {});
  /**
   * ACM certificate of this Region: adds an HTTPS listener and turns HTTP into a redirect to it.
   * @default - HTTP only
   */
  readonly certificateArn?: string;
  /** The port targets listen on. */
  readonly targetPort: number;
  /**
   * Path of the target health check.
   * @default "/"
   */
  readonly healthCheckPath?: string;
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
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroup: LbTargetGroup;
  readonly listeners: readonly LbListener[];
  readonly accessLogBucket: RegionalBucket;

  constructor(scope: Construct, id: string, props: RegionalIngressProps) {
    super(scope, id);
    const { provider } = props;
    for (const [field, value] of [['loadBalancerName', props.loadBalancerName], ['targetGroupName', props.targetGroupName]] as const) {
      requireKnown(
        value,
        () => ELB_NAME_PATTERN.test(value),
        () => `RegionalIngress ${id}: ${field} "${value}" must be 1 to 32 letters, digits and hyphens`,
      );
    }
    const https = isSet(props.certificateArn);
    const ipAddressType = props.ipAddressType ?? 'ipv4';
    requireKnown(ipAddressType, () => ['ipv4', 'dualstack'].includes(ipAddressType), () => `RegionalIngress ${id}: ipAddressType must be ipv4 or dualstack`);
    const dualStack = differs(ipAddressType, 'ipv4');

    // The one bucket that is not KMS-encrypted: load balancers deliver access logs only to buckets
    // whose default encryption is SSE-S3.
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
    const legacyAccount: Keyed<string> = Token.isUnresolved(props.region)
      ? Keyed.of(`\${{ for region, account in ${namedLocal(this, 'elb_account_arns', elbAccountArns())} : region => account if region == ${props.region} }}`)
      : Keyed.of(elbAccountArn(props.region) ? { [props.region]: elbAccountArn(props.region)! } : {});
    this.accessLogBucket = new RegionalBucket(this, 'access-log-bucket', {
      provider,
      bucketName: props.accessLogBucketName,
      s3ManagedEncryption: true,
      expireObjectsAfterDays: props.accessLogRetentionDays ?? 90,
      noncurrentVersionExpirationDays: 30,
      policyStatements: [delivery('LoadBalancerLogDelivery', 'Service', ELB_LOG_DELIVERY_PRINCIPAL)],
      keyedPolicyStatements: {
        keys: legacyAccount,
        statements: (account) => [delivery('LoadBalancerLogDeliveryLegacyRegion', 'AWS', account.value)],
      },
    });

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      provider,
      vpcId: props.vpcId,
      name: `${props.loadBalancerName}-alb`,
      description: `Load balancer: ${choose(https, '80 and 443', '80')} in, targets in the VPC out`,
      tags: { Name: `${props.loadBalancerName}-alb` },
    });
    for (const [port, open] of [[80, true], [443, https]] as const) {
      // Global Accelerator preserves client IPs, so even an internal load balancer sees the internet.
      const cidrs = onlyWhen(open, ['0.0.0.0/0']);
      if (cidrs.length === 0) continue;
      new CidrRules(this, `ingress-${port}`, {
        direction: 'ingress',
        provider,
        securityGroupId: this.securityGroup.id,
        port,
        cidrs,
        description: `Clients on ${port} from`,
      });
      const ipv6Cidrs = onlyWhen(open === true ? dualStack : and(open, dualStack), ['::/0']);
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

    this.loadBalancer = new Lb(this, 'load-balancer', {
      provider,
      name: props.loadBalancerName,
      loadBalancerType: 'application',
      // Set even for ipv4: an omitted ip_address_type keeps whatever the load balancer has.
      ipAddressType,
      internal: props.internal ?? false,
      subnets: [...props.subnetIds],
      securityGroups: [this.securityGroup.id],
      enableDeletionProtection: true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'defensive',
      accessLogs: { bucket: this.accessLogBucket.bucketName, prefix: logPrefix, enabled: true },
      // The load balancer checks that it may write to the bucket when logging is turned on.
      dependsOn: [this.accessLogBucket.policy],
    });

    this.targetGroup = new LbTargetGroup(this, 'target-group', {
      provider,
      name: props.targetGroupName,
      vpcId: props.vpcId,
      targetType: 'ip',
      protocol: 'HTTP',
      port: props.targetPort,
      deregistrationDelay: '30',
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath ?? '/',
        matcher: '200-399',
        interval: 15,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
    });

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
