import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { isDualStack } from '../src/config/traffic-schema';
import { GlobalDatabase } from '../src/constructs/database/global-database';
import { CustomerManagedKey } from '../src/constructs/security/customer-managed-key';
import { logDeliveryKeyStatement } from '../src/constructs/security/key-policies';
import { Accelerator, GLOBAL_ACCELERATOR_REGION } from '../src/constructs/traffic/accelerator';
import { AliasRecords } from '../src/constructs/traffic/alias-records';
import { StackNames } from '../src/naming';
import { ProjectStack } from './project-stack';

/**
 * Deletion protection of the global cluster and every member: as configured, and off while the layout
 * is being decommissioned (which also drops their `prevent_destroy`).
 */
export function databaseDeletionProtection(config: ResolvedConfig): boolean {
  return config.database.deletionProtection && !config.decommission;
}

/**
 * Resources that exist once for the whole layout (the Aurora global cluster, Global Accelerator),
 * managed from the primary Region.
 */
export class GlobalStack extends ProjectStack {
  readonly database: GlobalDatabase;
  /** The accelerator, in `global-accelerator` mode. */
  readonly accelerator?: Accelerator;

  constructor(scope: Construct, config: ResolvedConfig) {
    super(scope, StackNames.global, config, config.primaryRegion);
    this.useRemoteState();
    const { naming } = this;

    this.database = new GlobalDatabase(this, 'database', {
      globalClusterIdentifier: naming.globalDatabase(),
      engine: config.database.engine,
      engineVersion: config.database.engineVersion,
      deletionProtection: databaseDeletionProtection(config),
    });
    this.addOutputs({
      'database-global-writer-endpoint': [this.database.writerEndpoint, 'Writer endpoint of the global database: follows the primary through switchovers'],
      'database-global-cluster-id': [this.database.globalClusterIdentifier, 'Global cluster identifier'],
      'database-engine-version-actual': [this.database.engineVersionActual, 'Engine version the database runs: set database.engineVersion to it if AWS upgraded it'],
    });

    const { traffic } = config;
    if (traffic.mode !== 'global-accelerator') return;
    const key = new CustomerManagedKey(this, 'global-key', {
      alias: naming.globalKeyAlias(),
      description: `Encrypts the logs of ${config.name}'s global resources`,
      accountRootArn: naming.accountRootArn(),
      statements: [logDeliveryKeyStatement(config.accountId)],
    });
    this.accelerator = new Accelerator(this, 'accelerator', {
      name: naming.accelerator(),
      ipAddressType: traffic.accelerator.ipAddressType,
      clientAffinity: traffic.accelerator.clientAffinity,
      listenerPorts: traffic.accelerator.listenerPorts,
      flowLogs: {
        bucketName: naming.acceleratorFlowLogBucket(config.primaryRegion),
        kmsKeyArn: key.keyArn,
        retentionDays: traffic.accelerator.flowLogRetentionDays,
        accountId: config.accountId,
      },
      provider: this.providerFor(GLOBAL_ACCELERATOR_REGION),
    });
    if (traffic.route53) {
      new AliasRecords(this, 'dns', {
        hostedZoneId: traffic.route53.hostedZoneId,
        recordName: traffic.route53.recordName,
        // The accelerator's dns_name resolves to its IPv4 addresses only; a dual-stack accelerator has a
        // second name with A and AAAA records for all four addresses.
        // https://docs.aws.amazon.com/global-accelerator/latest/dg/dns-addressing-custom-domains.dns-addressing.html
        target: {
          dnsName: isDualStack(traffic) ? this.accelerator.accelerator.dualStackDnsName : this.accelerator.dnsName,
          hostedZoneId: this.accelerator.hostedZoneId,
        },
        evaluateTargetHealth: false,
        ipv6: isDualStack(traffic),
      });
    }
    this.addOutputs({
      'accelerator-dns-name': [this.accelerator.dnsName, 'DNS name of the accelerator'],
      'accelerator-ip-sets': [this.accelerator.accelerator.ipSets, 'Static anycast addresses of the accelerator'],
    });
  }
}
