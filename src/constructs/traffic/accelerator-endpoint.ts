import { TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlobalacceleratorEndpointGroup } from '@cdktf/provider-aws/lib/globalaccelerator-endpoint-group';
import { Keyed } from '../collection';
import { requireKnown } from '../validation';

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

/** One endpoint group: a listener's traffic to one Region's load balancer. */
export interface AcceleratorEndpointGroup {
  /** The listener. */
  readonly listenerArn: string;
  /** The Region the load balancer is in. */
  readonly region: string;
  /** ARN of the Region's load balancer. */
  readonly loadBalancerArn: string;
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
}

export interface AcceleratorEndpointProps {
  /**
   * Endpoint groups by a stable key (the listener port, or Region and port), or a token for such a
   * map of objects with `listener_arn`, `region`, `load_balancer_arn`, `traffic_dial_percentage` and
   * `weight`.
   */
  readonly groups: Readonly<Record<string, AcceleratorEndpointGroup>> | string;
  readonly healthCheck: AcceleratorHealthCheck;
  /** The provider of us-west-2, where the Global Accelerator API lives. */
  readonly provider?: TerraformProvider;
}

/**
 * Regions' places behind the accelerator: endpoint groups, each with a Region's load balancer
 * (client IPs preserved) and the health check that takes the Region out of rotation when it fails.
 */
export class AcceleratorEndpoint extends Construct {
  readonly endpointGroups: readonly GlobalacceleratorEndpointGroup[];

  constructor(scope: Construct, id: string, props: AcceleratorEndpointProps) {
    super(scope, id);
    const { healthCheck } = props;
    const check = (value: unknown, ok: () => boolean, problem: string) => requireKnown(value, ok, () => `AcceleratorEndpoint ${id}: ${problem}`);
    check(healthCheck.intervalSeconds, () => [10, 30].includes(healthCheck.intervalSeconds), 'healthCheck.intervalSeconds must be 10 or 30');
    check(
      healthCheck.thresholdCount,
      () => Number.isInteger(healthCheck.thresholdCount) && healthCheck.thresholdCount >= 1 && healthCheck.thresholdCount <= 10,
      'healthCheck.thresholdCount must be 1 to 10',
    );
    if (typeof props.groups !== 'string') {
      for (const group of Object.values(props.groups)) {
        const dial = group.trafficDialPercentage ?? 100;
        const weight = group.weight ?? 128;
        check(dial, () => dial >= 0 && dial <= 100, 'trafficDialPercentage must be 0 to 100');
        check(weight, () => Number.isInteger(weight) && weight >= 0 && weight <= 255, 'weight must be 0 to 255');
      }
    }
    const path = Token.isUnresolved(healthCheck.protocol)
      ? Token.asString(`\${${healthCheck.protocol} == "TCP" ? null : ${healthCheck.path}}`)
      : healthCheck.protocol === 'TCP'
        ? undefined
        : healthCheck.path;

    this.endpointGroups = Keyed.of(props.groups).each(
      (group) =>
        new GlobalacceleratorEndpointGroup(this, group.id('endpoint-group-{key}'), {
          provider: props.provider,
          forEach: group.forEach,
          listenerArn: group.get('listenerArn'),
          endpointGroupRegion: group.get('region'),
          healthCheckProtocol: healthCheck.protocol,
          healthCheckPath: path,
          healthCheckPort: healthCheck.port,
          healthCheckIntervalSeconds: healthCheck.intervalSeconds,
          thresholdCount: healthCheck.thresholdCount,
          trafficDialPercentage: Token.asNumber(group.get('trafficDialPercentage') ?? 100),
          endpointConfiguration: [
            { endpointId: group.get('loadBalancerArn'), weight: Token.asNumber(group.get('weight') ?? 128), clientIpPreservationEnabled: true },
          ],
        }),
    ).dependables;
  }
}
