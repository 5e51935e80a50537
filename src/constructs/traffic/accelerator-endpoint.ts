import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { GlobalacceleratorEndpointGroup } from '@cdktf/provider-aws/lib/globalaccelerator-endpoint-group';

export interface AcceleratorHealthCheck {
  readonly protocol: 'HTTP' | 'HTTPS' | 'TCP';
  /** Path, for HTTP and HTTPS. */
  readonly path: string;
  readonly port: number;
  /** 10 or 30 seconds: the only intervals Global Accelerator offers. */
  readonly intervalSeconds: 10 | 30;
  /** 1 to 10 consecutive results. */
  readonly thresholdCount: number;
}

export interface AcceleratorEndpointProps {
  /** The Region the endpoints are in. */
  readonly region: string;
  /** Listener ARN by port: one endpoint group per listener. */
  readonly listenerArns: ReadonlyMap<number, string>;
  /** ARN of the Region's load balancer. */
  readonly loadBalancerArn: string;
  readonly healthCheck: AcceleratorHealthCheck;
  /**
   * Share of the traffic Global Accelerator would send this Region that it does send.
   * @default 100
   */
  readonly trafficDialPercentage?: number;
  /**
   * Weight of the load balancer in its group, 0 to 255.
   * @default 128
   */
  readonly weight?: number;
  /** The provider of us-west-2, where the Global Accelerator API lives. */
  readonly provider?: TerraformProvider;
}

/**
 * A Region's place behind the accelerator: for each listener an endpoint group in this Region with
 * the Region's load balancer (client IPs preserved) and the health check that takes the Region out of
 * rotation when it fails.
 */
export class AcceleratorEndpoint extends Construct {
  readonly endpointGroups: readonly GlobalacceleratorEndpointGroup[];

  constructor(scope: Construct, id: string, props: AcceleratorEndpointProps) {
    super(scope, id);
    const { healthCheck } = props;
    const dial = props.trafficDialPercentage ?? 100;
    const weight = props.weight ?? 128;
    const problems = [
      ![10, 30].includes(healthCheck.intervalSeconds) && 'healthCheck.intervalSeconds must be 10 or 30',
      !(Number.isInteger(healthCheck.thresholdCount) && healthCheck.thresholdCount >= 1 && healthCheck.thresholdCount <= 10) &&
        'healthCheck.thresholdCount must be 1 to 10',
      !(dial >= 0 && dial <= 100) && 'trafficDialPercentage must be 0 to 100',
      !(Number.isInteger(weight) && weight >= 0 && weight <= 255) && 'weight must be 0 to 255',
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`AcceleratorEndpoint ${id}: ${problems.join('; ')}`);

    this.endpointGroups = [...props.listenerArns].map(
      ([port, listenerArn]) =>
        new GlobalacceleratorEndpointGroup(this, `endpoint-group-${port}`, {
          provider: props.provider,
          listenerArn,
          endpointGroupRegion: props.region,
          healthCheckProtocol: healthCheck.protocol,
          healthCheckPath: healthCheck.protocol === 'TCP' ? undefined : healthCheck.path,
          healthCheckPort: healthCheck.port,
          healthCheckIntervalSeconds: healthCheck.intervalSeconds,
          thresholdCount: healthCheck.thresholdCount,
          trafficDialPercentage: dial,
          endpointConfiguration: [{ endpointId: props.loadBalancerArn, weight, clientIpPreservationEnabled: true }],
        }),
    );
  }
}
