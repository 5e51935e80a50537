import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { requireIntegerInRange, requireKnown } from '../validation';

/** Properties of a `CustomerManagedKey`. */
export interface CustomerManagedKeyProps {
  /** Alias name, starting with `alias/`. */
  readonly alias: string;
  /** What the key protects; shown in the KMS console. */
  readonly description: string;
  /**
   * ARN of the account root principal. The key policy delegates administration and use of the key
   * to IAM policies of this account, as the AWS default key policy does, without a wildcard principal.
   */
  readonly accountRootArn: string;
  /**
   * Further key policy statements, for AWS services that must use the key on the account's behalf.
   * @default - none
   */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * Waiting period before a scheduled deletion takes effect, 7 to 30 days.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Refuse any plan that destroys the key (`lifecycle.prevent_destroy`).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * The provider (Region) to create the key with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** A symmetric customer-managed KMS key with automatic rotation, an alias and an explicit key policy. */
export class CustomerManagedKey extends Construct {
  /** The KMS key. */
  readonly key: KmsKey;
  /** The key's alias. */
  readonly alias: KmsAlias;
  /** The key ARN, for resource policies and encryption settings. */
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    requireKnown(
      props.alias,
      () => props.alias.startsWith('alias/') && !props.alias.startsWith('alias/aws/'),
      () => `CustomerManagedKey ${id}: alias "${props.alias}" must start with "alias/" and not "alias/aws/"`,
    );
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    requireIntegerInRange(
      deletionWindowInDays,
      7,
      30,
      () => `CustomerManagedKey ${id}: deletionWindowInDays must be an integer from 7 to 30`,
    );

    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider: props.provider,
      statement: [
        {
          sid: 'AccountIamPolicies',
          effect: 'Allow',
          principals: [{ type: 'AWS', identifiers: [props.accountRootArn] }],
          actions: ['kms:*'],
          resources: ['*'],
        },
        ...(props.statements ?? []),
      ],
    });

    this.key = new KmsKey(this, 'key', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: policy.json,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.alias = new KmsAlias(this, 'alias', {
      provider: props.provider,
      name: props.alias,
      targetKeyId: this.key.keyId,
    });
    this.keyArn = this.key.arn;
  }
}
