import { TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlobalacceleratorAccelerator } from '@cdktf/provider-aws/lib/globalaccelerator-accelerator';
import { GlobalacceleratorListener } from '@cdktf/provider-aws/lib/globalaccelerator-listener';
import { Keyed } from '../collection';
import { RegionalBucket } from '../storage/regional-bucket';
import { requireKnown } from '../validation';

export interface AcceleratorProps {
  /** Name of the accelerator. */
  readonly name: string;
  /**
   * `IPV4`, or `DUAL_STACK` for IPv6 addresses as well.
   * @default "IPV4"
   */
  readonly ipAddressType?: 'IPV4' | 'DUAL_STACK' | (string & {});
  /**
   * `NONE`, or `SOURCE_IP` to keep a client on one Region while it is healthy.
   * @default "NONE"
   */
  readonly clientAffinity?: 'NONE' | 'SOURCE_IP' | (string & {});
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
  /** Listener ARN by port (a token for a map with `for_each`). */
  readonly listenerArns: Readonly<Record<string, string>> | string;
  readonly flowLogBucket: RegionalBucket;
  readonly dnsName: string;
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
    requireKnown(ipAddressType, () => ['IPV4', 'DUAL_STACK'].includes(ipAddressType), () => `Accelerator ${id}: ipAddressType must be IPV4 or DUAL_STACK`);
    requireKnown(clientAffinity, () => ['NONE', 'SOURCE_IP'].includes(clientAffinity), () => `Accelerator ${id}: clientAffinity must be NONE or SOURCE_IP`);
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
      ipAddressType,
      enabled: true,
      attributes: { flowLogsEnabled: true, flowLogsS3Bucket: this.flowLogBucket.bucketName, flowLogsS3Prefix: `${prefix}/` },
      // Delivery checks its bucket permissions when flow logs are turned on.
      dependsOn: [this.flowLogBucket.policy],
    });
    this.dnsName = this.accelerator.dnsName;
    this.hostedZoneId = this.accelerator.hostedZoneId;

    // for_each needs string keys: the ports as strings, each to its number.
    const byPort: Keyed<number> = Token.isUnresolved(ports)
      ? Keyed.of(`\${{ for port in ${Token.asString(ports)} : tostring(port) => port }}`)
      : Keyed.of(Object.fromEntries(ports.map((port) => [String(port), port])));
    this.listenerArns = byPort
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
