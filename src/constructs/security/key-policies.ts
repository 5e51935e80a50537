import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * Lets CloudWatch Logs in `region` use a key for log groups matching `logGroupArnPatterns` only: the
 * service encrypts with the log group ARN as encryption context.
 */
export function cloudWatchLogsKeyStatement(region: string, logGroupArnPatterns: readonly string[]): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'CloudWatchLogsEncryption',
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    condition: [{ test: 'ArnLike', variable: 'kms:EncryptionContext:aws:logs:arn', values: [...logGroupArnPatterns] }],
  };
}

/**
 * Lets S3 server access log delivery write SSE-KMS objects with a key: only through S3 in `region`,
 * only for buckets of `accountId`.
 */
export function s3AccessLogDeliveryKeyStatement(region: string, accountId: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'S3AccessLogDelivery',
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
    condition: [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
      { test: 'StringEquals', variable: 'kms:ViaService', values: [`s3.${region}.amazonaws.com`] },
    ],
  };
}

/**
 * Lets CloudWatch alarms publish to SNS topics encrypted with a key. Which alarms may publish to
 * which topic is limited by the topic policy.
 */
export function cloudWatchAlarmsKeyStatement(): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'CloudWatchAlarmsToEncryptedTopics',
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  };
}

/** Lets AWS vended log delivery (`delivery.logs.amazonaws.com`) write SSE-KMS objects for `accountId`. */
export function logDeliveryKeyStatement(accountId: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'VendedLogDelivery',
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: ['delivery.logs.amazonaws.com'] }],
    actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
    resources: ['*'],
    condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] }],
  };
}
