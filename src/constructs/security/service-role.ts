import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
  DataAwsIamPolicyDocumentStatementCondition,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, type KeyedStatements } from './policy-statements';

/** Properties of a `ServiceRole`. */
export interface ServiceRoleProps {
  /** The role name (IAM names are global: include the Region for regional roles). */
  readonly roleName: string;
  /** What the role is for. */
  readonly description: string;
  /** The service principal that may assume the role, e.g. `s3.amazonaws.com`. */
  readonly servicePrincipal: string;
  /**
   * Conditions on the assumption, such as `aws:SourceAccount` against the confused deputy problem.
   * @default - none
   */
  readonly trustConditions?: DataAwsIamPolicyDocumentStatementCondition[];
  /**
   * The role's permissions: one inline policy with exactly these statements.
   * @default - no permissions (for roles whose users attach their own)
   */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Further statements per key of a collection, after `statements` (`dynamic` blocks for a token map).
   * @default - none
   */
  readonly keyedStatements?: KeyedStatements;
  /**
   * The provider to create the role with (IAM is global; any Region's provider works).
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** An IAM role that one AWS service assumes, with one inline least-privilege policy. */
export class ServiceRole extends Construct {
  /** The IAM role. */
  readonly role: IamRole;
  /** The role's ARN. */
  readonly roleArn: string;
  /**
   * The role's inline permissions, when it has any. A service that checks the role's rights when a
   * resource is created (Step Functions and FIS check log delivery) must wait for it: `dependsOn`.
   */
  readonly policy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const { provider } = props;
    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      provider,
      statement: [
        {
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: [props.servicePrincipal] }],
          actions: ['sts:AssumeRole'],
          condition: props.trustConditions,
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      description: props.description,
      assumeRolePolicy: trust.json,
    });
    this.roleArn = this.role.arn;
    const statements = props.statements ?? [];
    if (statements.length > 0 || props.keyedStatements) {
      const permissions = policyDocument(this, 'permissions', statements, props.keyedStatements, provider);
      this.policy = new IamRolePolicy(this, 'policy', { provider, name: 'permissions', role: this.role.id, policy: permissions.json });
    }
  }
}
