import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { GlobalacceleratorAccelerator } from '@cdktf/provider-aws/lib/globalaccelerator-accelerator';
import { GlobalacceleratorListener } from '@cdktf/provider-aws/lib/globalaccelerator-listener';
import { RegionalBucket } from '../storage/regional-bucket';

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
  /** Flow logs: a bucket of their own, encrypted with `kmsKeyArn`, whose key policy lets log delivery use it. */
  readonly flowLogs: {
    readonly bucketName: string;
    readonly kmsKeyArn: string;
    readonly retentionDays: number;
    readonly accountId: string;
    /** Provider of the bucket's Region. */
    readonly provider?: TerraformProvider;
  };
  /**
   * The provider of us-west-2, where the Global Accelerator API lives.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** Flow logs of Global Accelerator are delivered from its API Region. */
export const GLOBAL_ACCELERATOR_REGION = 'us-west-2';

/**
 * A standard accelerator: two static anycast IPv4 addresses (and IPv6 with dual stack) at AWS edge
 * locations, with flow logs on and one TCP listener per port. Endpoint groups, one per Region and
 * listener, join it from the Region stacks.
 */
export class Accelerator extends Construct {
  readonly accelerator: GlobalacceleratorAccelerator;
  /** Listener ARN by port. */
  readonly listenerArns: ReadonlyMap<number, string>;
  readonly flowLogBucket: RegionalBucket;
  readonly dnsName: string;
  readonly hostedZoneId: string;

  constructor(scope: Construct, id: string, props: AcceleratorProps) {
    super(scope, id);
    const ports = props.listenerPorts;
    if (ports.length === 0 || new Set(ports).size !== ports.length || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      throw new Error(`Accelerator ${id}: listenerPorts must be distinct TCP ports, at least one`);
    }
    const prefix = 'global-accelerator';
    const { flowLogs } = props;
    this.flowLogBucket = new RegionalBucket(this, 'flow-log-bucket', {
      provider: flowLogs.provider,
      bucketName: flowLogs.bucketName,
      kmsKeyArn: flowLogs.kmsKeyArn,
      expireObjectsAfterDays: flowLogs.retentionDays,
      noncurrentVersionExpirationDays: 30,
      policyStatements: [
        {
          sid: 'FlowLogDeliveryCheck',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
          actions: ['s3:GetBucketAcl', 's3:ListBucket'],
          resources: [`arn:aws:s3:::${flowLogs.bucketName}`],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [flowLogs.accountId] }],
        },
        {
          sid: 'FlowLogDelivery',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
          actions: ['s3:PutObject'],
          resources: [`arn:aws:s3:::${flowLogs.bucketName}/${prefix}/AWSLogs/${flowLogs.accountId}/*`],
          condition: [
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [flowLogs.accountId] },
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:logs:${GLOBAL_ACCELERATOR_REGION}:${flowLogs.accountId}:*`] },
          ],
        },
      ],
    });

    this.accelerator = new GlobalacceleratorAccelerator(this, 'accelerator', {
      provider: props.provider,
      name: props.name,
      ipAddressType: props.ipAddressType ?? 'IPV4',
      enabled: true,
      attributes: { flowLogsEnabled: true, flowLogsS3Bucket: this.flowLogBucket.bucketName, flowLogsS3Prefix: `${prefix}/` },
      // Delivery checks its bucket permissions when flow logs are turned on.
      dependsOn: [this.flowLogBucket.policy],
    });
    this.dnsName = this.accelerator.dnsName;
    this.hostedZoneId = this.accelerator.hostedZoneId;

    this.listenerArns = new Map(
      ports.map((port) => [
        port,
        new GlobalacceleratorListener(this, `listener-${port}`, {
          provider: props.provider,
          acceleratorArn: this.accelerator.arn,
          protocol: 'TCP',
          clientAffinity: props.clientAffinity ?? 'NONE',
          portRange: [{ fromPort: port, toPort: port }],
        }).arn,
      ]),
    );
  }
}
