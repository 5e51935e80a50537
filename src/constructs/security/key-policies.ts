import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * Lets CloudWatch Logs in `region` use a key for log groups matching `logGroupArnPattern` only: the
 * service encrypts with the log group ARN as encryption context.
 */
export function cloudWatchLogsKeyStatement(region: string, logGroupArnPattern: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'CloudWatchLogsEncryption',
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn', values: [logGroupArnPattern] }],
  };
}
