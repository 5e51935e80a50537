import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedConfig, ResolvedRegion } from '../src/config';
import { CustomerManagedKey } from '../src/constructs/security/customer-managed-key';
import { StackNames } from '../src/naming';
import { ProjectStack } from './project-stack';

/** Everything that lives in one Region: its own state object, so one Region's outage never blocks another's plans. */
export class RegionStack extends ProjectStack {
  /** The Region's general purpose customer-managed key. */
  readonly key: CustomerManagedKey;

  constructor(scope: Construct, config: ResolvedConfig, readonly region: ResolvedRegion) {
    super(scope, StackNames.region(region.region), config, region.region);
    this.useRemoteState();

    this.key = new CustomerManagedKey(this, 'regional-key', {
      alias: this.naming.regionalKeyAlias(),
      description: `Encrypts the data of ${config.name} in ${region.region}`,
      accountRootArn: this.naming.accountRootArn(),
    });
    new TerraformOutput(this, 'kms-key-arn', {
      value: this.key.keyArn,
      description: `Customer-managed KMS key of ${region.region}`,
    });
  }
}
