import { TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlobalacceleratorEndpointGroup } from '@cdktf/provider-aws/lib/globalaccelerator-endpoint-group';
import { Keyed } from '../collection';
import { requireKnown } from '../validation';

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

/** Properties of an `AcceleratorEndpoint`. */
export interface AcceleratorEndpointProps {
  /**
   * Endpoint groups by a stable key (the listener port, or Region and port), or a token for such a
   * map of objects with `listener_arn`, `region`, `load_balancer_arn`, `traffic_dial_percentage` and
   * `weight`.
   */
  readonly groups: Readonly<Record<string, AcceleratorEndpointGroup>>;
  /**
   * The provider of us-west-2, where the Global Accelerator API lives.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Regions' places behind the accelerator: endpoint groups, each with a Region's load balancer
 * (client IPs preserved). No health settings: for load balancer endpoints Global Accelerator uses
 * the load balancer's own target health, and the endpoint group's health settings apply only to EC2
 * instance and Elastic IP endpoints
 * (https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups-health-check-options.html).
 * A Region fails over when its target group's health check finds no healthy target.
 */
export class AcceleratorEndpoint extends Construct {
  /** The endpoint groups, for `depends_on`. */
  readonly endpointGroups: readonly GlobalacceleratorEndpointGroup[];

  constructor(scope: Construct, id: string, props: AcceleratorEndpointProps) {
    super(scope, id);
    const check = (value: unknown, ok: () => boolean, problem: string) =>
      requireKnown(value, ok, () => `AcceleratorEndpoint ${id}: ${problem}`);
    if (!Token.isUnresolved(props.groups)) {
      for (const group of Object.values(props.groups)) {
        const dial = group.trafficDialPercentage ?? 100;
        const weight = group.weight ?? 128;
        check(dial, () => dial >= 0 && dial <= 100, 'trafficDialPercentage must be 0 to 100');
        check(weight, () => Number.isInteger(weight) && weight >= 0 && weight <= 255, 'weight must be 0 to 255');
      }
    }
    this.endpointGroups = Keyed.of(props.groups).each(
      (group) =>
        new GlobalacceleratorEndpointGroup(this, group.id('endpoint-group-{key}'), {
          provider: props.provider,
          forEach: group.forEach,
          listenerArn: group.get('listenerArn'),
          endpointGroupRegion: group.get('region'),
          trafficDialPercentage: Token.asNumber(group.get('trafficDialPercentage') ?? 100),
          endpointConfiguration: [
            {
              endpointId: group.get('loadBalancerArn'),
              weight: Token.asNumber(group.get('weight') ?? 128),
              clientIpPreservationEnabled: true,
            },
          ],
        }),
    ).dependables;
  }
}
