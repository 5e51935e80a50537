import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Keyed } from '../collection';
import { requireIntegerInRange, requireKnown } from '../validation';

/** Properties of `CidrRules`. */
export interface CidrRulesProps {
  /** The security group that gets the rules. */
  readonly securityGroupId: string;
  /** `ingress` admits traffic from the CIDRs; `egress` lets traffic out to them. */
  readonly direction: 'ingress' | 'egress';
  /** The TCP port. */
  readonly port: number;
  /** The CIDRs, one rule each (a token list: one rule with `for_each`). */
  readonly cidrs: readonly string[];
  /**
   * The address family of every CIDR in `cidrs`.
   * @default "ipv4"
   */
  readonly addressFamily?: 'ipv4' | 'ipv6';
  /** What the traffic is, for the rule descriptions (e.g. `Database from app tier`); the CIDR follows. */
  readonly description: string;
  /**
   * The provider (Region) of the security group.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** One TCP port opened to or from a list of CIDRs, one rule per CIDR, so adding a CIDR never rewrites the others. */
export class CidrRules extends Construct {
  /** The rules, one per CIDR. */
  readonly rules: ReadonlyArray<VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule>;

  constructor(scope: Construct, id: string, props: CidrRulesProps) {
    super(scope, id);
    requireIntegerInRange(props.port, 1, 65535, () => `CidrRules ${id}: port ${props.port} is not a TCP port`);
    const ipv6 = props.addressFamily === 'ipv6';
    requireKnown(
      props.cidrs,
      () => props.cidrs.every((cidr) => cidr.includes(':') === ipv6),
      () =>
        `CidrRules ${id}: every CIDR must be ${ipv6 ? 'IPv6' : 'IPv4'} (addressFamily "${props.addressFamily ?? 'ipv4'}"), got ${props.cidrs.join(', ')}`,
    );
    const Rule = props.direction === 'ingress' ? VpcSecurityGroupIngressRule : VpcSecurityGroupEgressRule;
    this.rules = Keyed.ofSet(props.cidrs).each(
      (cidr) =>
        new Rule(this, cidr.forEach ? 'rule' : cidr.key.replace(/[./:]/g, '-'), {
          provider: props.provider,
          forEach: cidr.forEach,
          securityGroupId: props.securityGroupId,
          description: `${props.description} ${cidr.key}`,
          ipProtocol: 'tcp',
          fromPort: props.port,
          toPort: props.port,
          ...(ipv6 ? { cidrIpv6: cidr.key } : { cidrIpv4: cidr.key }),
        }),
    ).dependables;
  }
}
