import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';

export interface SecureBucketProps {
  /** The globally unique bucket name. */
  readonly bucketName: string;
  /** ARN of the customer-managed KMS key that encrypts every object (SSE-KMS, bucket key on). */
  readonly kmsKeyArn: string;
  /**
   * Days before noncurrent object versions expire.
   * @default 90
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Days before incomplete multipart uploads are aborted.
   * @default 7
   */
  readonly abortIncompleteMultipartUploadDays?: number;
  /**
   * Let `terraform destroy` delete a bucket that still holds objects.
   * @default false
   */
  readonly forceDestroy?: boolean;
  /**
   * Refuse any plan that destroys the bucket (`lifecycle.prevent_destroy`).
   * @default false
   */
  readonly preventDestroy?: boolean;
  /**
   * Further bucket policy statements, for AWS services that deliver into the bucket.
   * @default - none; the policy only denies insecure transport
   */
  readonly policyStatements?: DataAwsIamPolicyDocumentStatement[];
  /**
   * The provider (Region) to create the bucket with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

function checkDays(id: string, field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`SecureBucket ${id}: ${field} must be a positive integer, got ${value}`);
  }
  return value;
}

/**
 * An S3 bucket hardened for data that matters: versioned, SSE-KMS with a customer-managed key and
 * bucket keys, every public access blocked, ACLs disabled (`BucketOwnerEnforced`), TLS 1.2+ only,
 * and lifecycle rules that bound the cost of old versions and abandoned uploads.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  /** Replication needs versioning in place first: depend on this resource. */
  readonly versioning: S3BucketVersioningA;
  readonly bucketName: string;
  readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const provider = props.provider;
    const noncurrentDays = checkDays(id, 'noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays ?? 90);
    const abortDays = checkDays(id, 'abortIncompleteMultipartUploadDays', props.abortIncompleteMultipartUploadDays ?? 7);

    this.bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.bucketName = this.bucket.id;
    this.bucketArn = this.bucket.arn;

    const publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      provider,
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });

    new S3BucketOwnershipControls(this, 'ownership', {
      provider,
      bucket: this.bucket.id,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });

    this.versioning = new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket: this.bucket.id,
      versioningConfiguration: { status: 'Enabled' },
    });

    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket: this.bucket.id,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn },
          bucketKeyEnabled: true,
        },
      ],
    });

    const denyEverything = (sid: string, test: string, variable: string, value: string): DataAwsIamPolicyDocumentStatement => ({
      sid,
      effect: 'Deny',
      principals: [{ type: '*', identifiers: ['*'] }],
      actions: ['s3:*'],
      resources: [this.bucket.arn, `${this.bucket.arn}/*`],
      condition: [{ test, variable, values: [value] }],
    });
    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider,
      statement: [
        denyEverything('DenyInsecureTransport', 'Bool', 'aws:SecureTransport', 'false'),
        denyEverything('DenyOutdatedTls', 'NumericLessThan', 's3:TlsVersion', '1.2'),
        ...(props.policyStatements ?? []),
      ],
    });
    new S3BucketPolicy(this, 'bucket-policy', {
      provider,
      bucket: this.bucket.id,
      policy: policy.json,
      // S3 answers concurrent configuration writes to one bucket with OperationAborted.
      dependsOn: [publicAccessBlock],
    });

    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket: this.bucket.id,
      rule: [
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: abortDays }],
        },
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays }],
          expiration: [{ expiredObjectDeleteMarker: true }],
        },
      ],
      // Lifecycle rules on noncurrent versions only make sense once versioning is on.
      dependsOn: [this.versioning],
    });
  }
}
