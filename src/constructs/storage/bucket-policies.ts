import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * Lets S3 server access logging write into a log bucket, for source buckets of one account whose
 * ARNs match the patterns (the confused-deputy conditions AWS recommends).
 */
export function s3AccessLogDeliveryStatement(
  logBucketArn: string,
  accountId: string,
  sourceBucketArnPatterns: readonly string[],
): DataAwsIamPolicyDocumentStatement {
  return {
    sid: 'S3ServerAccessLogDelivery',
    effect: 'Allow',
    principals: [{ type: 'Service', identifiers: ['logging.s3.amazonaws.com'] }],
    actions: ['s3:PutObject'],
    resources: [`${logBucketArn}/*`],
    condition: [
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: [...sourceBucketArnPatterns] },
    ],
  };
}
