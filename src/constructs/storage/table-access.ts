import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';

/**
 * The DynamoDB data-plane actions of an application that reads and writes items: no table
 * management, no streams, no backups. Transactions authorize as the item actions they contain.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */
export const TABLE_READ_WRITE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DeleteItem',
  'dynamodb:DescribeTable',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:UpdateItem',
] as const;

/**
 * What a caller of a table encrypted with a customer-managed key needs on the key, through DynamoDB
 * only. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 */
export const TABLE_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const;

/** Properties of a `TableAccess`. */
export interface TableAccessProps {
  /** The role that gets the permissions (the workload's task role). */
  readonly roleName: string;
  /** The Region of the tables (their replicas there). */
  readonly region: string;
  /** ARNs of the tables in `region`; their indexes are included. */
  readonly tableArns: readonly string[];
  /** ARN of the customer-managed key that encrypts the tables in `region`. */
  readonly kmsKeyArn: string;
  /**
   * The provider to create the policy with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * Least-privilege read and write access to the global tables' replicas in one Region: item actions
 * on the tables and their indexes, and the key only when DynamoDB in that Region asks
 * (`kms:ViaService`). Writes in a Region reach the other Regions by replication, so a role never
 * needs another Region's replica.
 */
export class TableAccess extends Construct {
  /** The inline policy. */
  readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: TableAccessProps) {
    super(scope, id);
    if (props.tableArns.length === 0) throw new Error(`TableAccess ${id}: at least one table is required`);
    const { provider } = props;
    const document = new DataAwsIamPolicyDocument(this, 'permissions', {
      provider,
      statement: [
        {
          sid: 'ReadWriteItems',
          effect: 'Allow',
          actions: [...TABLE_READ_WRITE_ACTIONS],
          resources: props.tableArns.flatMap((arn) => [arn, `${arn}/index/*`]),
        },
        {
          sid: 'TableKeyThroughDynamoDB',
          effect: 'Allow',
          actions: [...TABLE_KEY_ACTIONS],
          resources: [props.kmsKeyArn],
          condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`dynamodb.${props.region}.amazonaws.com`] }],
        },
      ],
    });
    this.policy = new IamRolePolicy(this, 'policy', { provider, name: 'global-tables', role: props.roleName, policy: document.json });
  }
}
