import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export interface CidrIngressProps {
  /** The security group that gets the rules. */
  readonly securityGroupId: string;
  /** The TCP port to open. */
  readonly port: number;
  /** Source CIDRs, one rule each. */
  readonly cidrs: readonly string[];
  /** What the traffic is, for the rule descriptions (e.g. `Database from app tier`). */
  readonly description: string;
  /**
   * The provider (Region) of the security group.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** One TCP port opened to a list of CIDRs, one rule per CIDR, so adding a CIDR never rewrites the others. */
export class CidrIngress extends Construct {
  readonly rules: readonly VpcSecurityGroupIngressRule[];

  constructor(scope: Construct, id: string, props: CidrIngressProps) {
    super(scope, id);
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
      throw new Error(`CidrIngress ${id}: port ${props.port} is not a TCP port`);
    }
    this.rules = props.cidrs.map(
      (cidr) =>
        new VpcSecurityGroupIngressRule(this, cidr.replace(/[./]/g, '-'), {
          provider: props.provider,
          securityGroupId: props.securityGroupId,
          description: `${props.description} ${cidr}`,
          ipProtocol: 'tcp',
          fromPort: props.port,
          toPort: props.port,
          cidrIpv4: cidr,
        }),
    );
  }
}
