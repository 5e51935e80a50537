import { IResolvable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { policyDocument, type KeyedStatements } from '../security/policy-statements';
import { requireIntegerInRange } from '../validation';
import { explain } from '../rationale';

/** Properties of a `RegionalBucket`. */
export interface RegionalBucketProps {
  /** The globally unique bucket name. */
  readonly bucketName: string;
  /**
   * ARN of the customer-managed KMS key that encrypts every object (SSE-KMS, bucket key on).
   * @default - none: `s3ManagedEncryption` must be set instead
   */
  readonly kmsKeyArn?: string;
  /**
   * Encrypt with S3-managed keys (SSE-S3, AES256) instead of a KMS key. Only for log destinations
   * that cannot write SSE-KMS objects: Application Load Balancer access logs.
   * @default false
   */
  readonly s3ManagedEncryption?: boolean;
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
   * Days before current object versions expire (for buckets of logs, not of data).
   * @default - objects do not expire
   */
  readonly expireObjectsAfterDays?: number;
  /**
   * Where S3 server access logs of this bucket go (a bucket in the same Region and account).
   * @default - no access logging
   */
  readonly accessLogs?: {
    /** Name of the bucket the logs go to. */
    readonly targetBucket: string;
    /** Key prefix of the logs in that bucket. */
    readonly targetPrefix: string;
  };
  /**
   * Let `terraform destroy` delete a bucket that still holds objects.
   * @default false
   */
  readonly forceDestroy?: boolean | IResolvable;
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
   * Further bucket policy statements per key of a collection (`dynamic` blocks for a token map).
   * @default - none
   */
  readonly keyedPolicyStatements?: KeyedStatements;
  /**
   * The provider (Region) to create the bucket with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

function checkDays(id: string, field: string, value: number): number {
  requireIntegerInRange(value, 1, 36500, () => `RegionalBucket ${id}: ${field} must be a positive integer, got ${value}`);
  return value;
}

/**
 * An S3 bucket hardened for data that matters: versioned, SSE-KMS with a customer-managed key and
 * bucket keys (SSE-S3 only where a log service requires it), every public access blocked, ACLs disabled (`BucketOwnerEnforced`), TLS 1.2+ only,
 * and lifecycle rules that bound the cost of old versions and abandoned uploads.
 */
export class RegionalBucket extends Construct {
  /** The bucket. */
  readonly bucket: S3Bucket;
  /** The bucket policy: log delivery checks its permissions when a log destination is set. */
  readonly policy: S3BucketPolicy;
  /** Replication needs versioning in place first: depend on this resource. */
  readonly versioning: S3BucketVersioningA;
  /** The bucket's name. */
  readonly bucketName: string;
  /** The bucket's ARN. */
  readonly bucketArn: string;
  /**
   * The bucket name as the versioning resource reports it: a reference that only resolves once
   * versioning is on, for consumers in other stacks, where `depends_on` cannot reach.
   */
  readonly versionedBucketName: string;

  constructor(scope: Construct, id: string, props: RegionalBucketProps) {
    super(scope, id);
    const provider = props.provider;
    if ((props.kmsKeyArn === undefined) === !props.s3ManagedEncryption) {
      throw new Error(`RegionalBucket ${id}: set exactly one of kmsKeyArn and s3ManagedEncryption`);
    }
    const noncurrentDays = checkDays(id, 'noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays ?? 90);
    const abortDays = checkDays(id, 'abortIncompleteMultipartUploadDays', props.abortIncompleteMultipartUploadDays ?? 7);
    const expireDays =
      props.expireObjectsAfterDays === undefined ? undefined : checkDays(id, 'expireObjectsAfterDays', props.expireObjectsAfterDays);

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
    this.versionedBucketName = this.versioning.bucket;

    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket: this.bucket.id,
      rule: [
        props.kmsKeyArn === undefined
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true },
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
    const statements = [
      denyEverything('DenyInsecureTransport', 'Bool', 'aws:SecureTransport', 'false'),
      denyEverything('DenyOutdatedTls', 'NumericLessThan', 's3:TlsVersion', '1.2'),
      ...(props.policyStatements ?? []),
    ];
    const policy = policyDocument(this, 'policy', statements, props.keyedPolicyStatements, provider);
    this.policy = new S3BucketPolicy(this, 'bucket-policy', {
      provider,
      bucket: this.bucket.id,
      policy: policy.json,
      dependsOn: [publicAccessBlock],
    });
    explain(
      this.policy,
      'depends_on the public access block: S3 answers concurrent configuration writes to one bucket with OperationAborted.',
    );

    const lifecycle = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
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
          expiration: expireDays === undefined ? [{ expiredObjectDeleteMarker: true }] : undefined,
        },
        ...(expireDays === undefined
          ? []
          : [{ id: 'expire-objects', status: 'Enabled', filter: [{}], expiration: [{ days: expireDays }] }]),
      ],
      dependsOn: [this.versioning],
    });
    explain(lifecycle, 'A rule cannot both expire current versions and clean up delete markers: expiring objects is a rule of its own.');
    explain(lifecycle, 'depends_on the versioning: rules on noncurrent versions only make sense once versioning is on.');

    if (props.accessLogs) {
      new S3BucketLoggingA(this, 'access-logging', {
        provider,
        bucket: this.bucket.id,
        targetBucket: props.accessLogs.targetBucket,
        targetPrefix: props.accessLogs.targetPrefix,
      });
    }
  }
}
