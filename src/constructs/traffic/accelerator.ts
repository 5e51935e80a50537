import { IResolvable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { GlobalacceleratorAccelerator } from '@cdktf/provider-aws/lib/globalaccelerator-accelerator';
import { GlobalacceleratorListener } from '@cdktf/provider-aws/lib/globalaccelerator-listener';
import { Keyed } from '../collection';
import { RegionalBucket } from '../storage/regional-bucket';
import { requireKnown } from '../validation';
import { explain } from '../rationale';

/** Properties of an `Accelerator`. */
export interface AcceleratorProps {
  /** Name of the accelerator. */
  readonly name: string;
  /**
   * `IPV4`, or `DUAL_STACK` for IPv6 addresses as well.
   * @default "IPV4"
   */
  readonly ipAddressType?: 'IPV4' | 'DUAL_STACK';
  /**
   * `NONE`, or `SOURCE_IP` to keep a client on one Region while it is healthy.
   * @default "NONE"
   */
  readonly clientAffinity?: 'NONE' | 'SOURCE_IP';
  /** TCP ports to listen on; each goes to the same port of the endpoints. */
  readonly listenerPorts: readonly number[];
  /**
   * Flow logs: a bucket of their own in the provider's Region (us-west-2), encrypted with
   * `kmsKeyArn` (a key of the same Region whose policy lets log delivery use it).
   */
  readonly flowLogs: {
    /** Name of the flow log bucket (globally unique). */
    readonly bucketName: string;
    /** ARN of the key that encrypts the bucket. */
    readonly kmsKeyArn: string;
    /** Days the flow logs are kept. */
    readonly retentionDays: number;
    /** The account ID, for the log delivery permissions. */
    readonly accountId: string;
    /**
     * Let Terraform delete the bucket with its logs in it (for tearing the layout down).
     * @default false
     */
    readonly forceDestroy?: boolean | IResolvable;
  };
  /**
   * The provider of us-west-2, where the Global Accelerator API lives.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** The Region of the Global Accelerator API; its flow logs are delivered from there too. */
export const GLOBAL_ACCELERATOR_REGION = 'us-west-2';

/**
 * Where flow logs go in their bucket. No trailing slash: Global Accelerator adds one, so "x/" would
 * give keys "x//AWSLogs/..." (https://docs.aws.amazon.com/global-accelerator/latest/api/API_AcceleratorAttributes.html).
 * Keys: <prefix>/AWSLogs/<account>/globalaccelerator/<region>/yyyy/mm/dd/<file>
 * (https://docs.aws.amazon.com/global-accelerator/latest/dg/monitoring-global-accelerator.flow-logs.html).
 */
export const FLOW_LOG_PREFIX = 'global-accelerator';

/**
 * A standard accelerator: two static anycast IPv4 addresses (and IPv6 with dual stack) at AWS edge
 * locations, with flow logs on and one TCP listener per port. Endpoint groups, one per Region and
 * listener, join it from the Region stacks.
 */
export class Accelerator extends Construct {
  /** The accelerator. */
  readonly accelerator: GlobalacceleratorAccelerator;
  /** Listener ARN by port (a token for a map with `for_each`). */
  readonly listenerArns: Readonly<Record<string, string>>;
  /** The flow log bucket. */
  readonly flowLogBucket: RegionalBucket;
  /** The accelerator's DNS name. */
  readonly dnsName: string;
  /** The hosted zone of the accelerator, for alias records. */
  readonly hostedZoneId: string;

  constructor(scope: Construct, id: string, props: AcceleratorProps) {
    super(scope, id);
    const ports = props.listenerPorts;
    requireKnown(
      ports,
      () => ports.length > 0 && new Set(ports).size === ports.length && ports.every((p) => Number.isInteger(p) && p >= 1 && p <= 65535),
      () => `Accelerator ${id}: listenerPorts must be distinct TCP ports, at least one`,
    );
    const ipAddressType = props.ipAddressType ?? 'IPV4';
    const clientAffinity = props.clientAffinity ?? 'NONE';
    requireKnown(
      ipAddressType,
      () => ['IPV4', 'DUAL_STACK'].includes(ipAddressType),
      () => `Accelerator ${id}: ipAddressType must be IPV4 or DUAL_STACK`,
    );
    requireKnown(
      clientAffinity,
      () => ['NONE', 'SOURCE_IP'].includes(clientAffinity),
      () => `Accelerator ${id}: clientAffinity must be NONE or SOURCE_IP`,
    );
    const { flowLogs } = props;
    const deliverySource = `arn:aws:logs:${GLOBAL_ACCELERATOR_REGION}:${flowLogs.accountId}:*`;
    this.flowLogBucket = new RegionalBucket(this, 'flow-log-bucket', {
      provider: props.provider,
      bucketName: flowLogs.bucketName,
      kmsKeyArn: flowLogs.kmsKeyArn,
      expireObjectsAfterDays: flowLogs.retentionDays,
      noncurrentVersionExpirationDays: 30,
      forceDestroy: flowLogs.forceDestroy,
      policyStatements: [
        {
          sid: 'FlowLogDeliveryCheck',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
          actions: ['s3:GetBucketAcl', 's3:ListBucket'],
          resources: [`arn:aws:s3:::${flowLogs.bucketName}`],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [flowLogs.accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [deliverySource] },
          ],
        },
        {
          sid: 'FlowLogDelivery',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
          actions: ['s3:PutObject'],
          resources: [`arn:aws:s3:::${flowLogs.bucketName}/${FLOW_LOG_PREFIX}/AWSLogs/${flowLogs.accountId}/*`],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [flowLogs.accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [deliverySource] },
          ],
        },
      ],
    });
    explain(
      this.flowLogBucket.policy,
      'Global Accelerator delivers as a vended log of us-west-2: log delivery presents aws:SourceArn arn:aws:logs:<source Region>:<account>:* for vended logs sent to S3 (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html).',
    );

    this.accelerator = new GlobalacceleratorAccelerator(this, 'accelerator', {
      provider: props.provider,
      name: props.name,
      ipAddressType,
      enabled: true,
      attributes: { flowLogsEnabled: true, flowLogsS3Bucket: this.flowLogBucket.bucketName, flowLogsS3Prefix: FLOW_LOG_PREFIX },
      dependsOn: [this.flowLogBucket.policy],
    });
    explain(
      this.accelerator,
      "depends_on the flow log bucket's policy: delivery checks its bucket permissions when flow logs are turned on.",
    );
    this.dnsName = this.accelerator.dnsName;
    this.hostedZoneId = this.accelerator.hostedZoneId;

    this.listenerArns = Keyed.ofPorts(ports)
      .each(
        (port) =>
          new GlobalacceleratorListener(this, port.id('listener-{key}'), {
            provider: props.provider,
            forEach: port.forEach,
            acceleratorArn: this.accelerator.arn,
            protocol: 'TCP',
            clientAffinity,
            portRange: [{ fromPort: port.value, toPort: port.value }],
          }),
      )
      .byKeyOf('arn');
  }
}
