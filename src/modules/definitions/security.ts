import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { CustomerManagedKey } from '../../constructs/security/customer-managed-key';
import {
  cloudWatchAlarmsKeyStatement,
  cloudWatchLogsKeyStatement,
  s3AccessLogDeliveryKeyStatement,
} from '../../constructs/security/key-policies';
import { example } from '../example-config';
import type { ModuleDefinition } from '../definition';
import { inputs } from '../inputs';

const region = example.regions[0];

export const regionalKeyModule: ModuleDefinition = {
  name: 'regional-key',
  mainResources: ['aws_kms_key', 'aws_kms_alias'],
  summary: "A Region's customer-managed KMS key: rotation on, an alias, and a key policy for CloudWatch Logs, S3 access logs and alarms.",
  description:
    'The general-purpose customer-managed key of one Region, as the stacks create it: automatic rotation, a 30-day deletion window, an alias, and an explicit key policy that delegates to IAM in the account (no wildcard principal) and lets exactly three services use it: CloudWatch Logs for the given log groups, S3 server access log delivery in this Region for this account, and CloudWatch alarms publishing to encrypted SNS topics.',
  build(stack) {
    const input = inputs(stack);
    // Named as in the other modules that create a key, which take the same value.
    const alias = input.kmsAlias('kms_key_alias', 'Alias of the key, e.g. "alias/acme-shop".');
    const accountId = input.accountId();
    const patterns = stack.input('log_group_arn_patterns', {
      type: 'list(string)',
      description:
        'ARN patterns of the log groups CloudWatch Logs may encrypt with the key, e.g. "arn:aws:logs:us-east-1:111122223333:log-group:/acme-shop/*".',
      validation: [
        { condition: '${length(var.log_group_arn_patterns) > 0}', errorMessage: 'log_group_arn_patterns needs at least one pattern.' },
      ],
    });
    const current = new DataAwsRegion(stack, 'current', {});
    const key = new CustomerManagedKey(stack, 'key', {
      alias: alias.stringValue,
      description: `Encrypts the data of ${alias.stringValue} in ${current.id}`,
      accountRootArn: `arn:aws:iam::${accountId.stringValue}:root`,
      statements: [
        cloudWatchLogsKeyStatement(current.id, patterns.listValue),
        s3AccessLogDeliveryKeyStatement(current.id, accountId.stringValue),
        cloudWatchAlarmsKeyStatement(),
      ],
    });
    stack.output('key_arn', key.keyArn, 'ARN of the key.');
    stack.output('alias_arn', key.alias.arn, 'ARN of the alias.');
  },
  example: {
    providers: [{ region: region.region }],
    inputs: {
      kms_key_alias: 'alias/acme-shop',
      account_id: example.accountId,
      log_group_arn_patterns: [`arn:aws:logs:${region.region}:${example.accountId}:log-group:/acme-shop/*`],
    },
  },
};
