import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';

/** Properties of an `AlertsTopic`. */
export interface AlertsTopicProps {
  /** The topic name. */
  readonly topicName: string;
  /** ARN of the customer-managed key that encrypts messages; its policy must let CloudWatch use it. */
  readonly kmsKeyArn: string;
  /** The Region, for the alarm source-ARN condition. */
  readonly region: string;
  /** The account whose alarms may publish. */
  readonly accountId: string;
  /**
   * Email addresses to subscribe (each confirms by email).
   * @default - no subscriptions
   */
  readonly emails?: readonly string[];
  /**
   * The provider (Region) to create the topic with.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * A Region's alerts topic: KMS-encrypted, writable by this account's CloudWatch alarms in this Region,
 * reachable over TLS only.
 */
export class AlertsTopic extends Construct {
  /** The SNS topic. */
  readonly topic: SnsTopic;
  /** The topic's ARN, for alarm actions. */
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlertsTopicProps) {
    super(scope, id);
    const { provider } = props;
    this.topic = new SnsTopic(this, 'topic', { provider, name: props.topicName, kmsMasterKeyId: props.kmsKeyArn });
    this.topicArn = this.topic.arn;

    const policy = new DataAwsIamPolicyDocument(this, 'policy', {
      provider,
      statement: [
        {
          sid: 'CloudWatchAlarmsPublish',
          effect: 'Allow',
          principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [
            { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:cloudwatch:${props.region}:${props.accountId}:alarm:*`] },
            { test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.accountId] },
          ],
        },
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['sns:Publish'],
          resources: [this.topic.arn],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
    });
    new SnsTopicPolicy(this, 'topic-policy', { provider, arn: this.topic.arn, policy: policy.json });

    for (const email of props.emails ?? []) {
      new SnsTopicSubscription(this, `email-${email}`, { provider, topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    }
  }
}
