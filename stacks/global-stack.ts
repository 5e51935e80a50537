import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { GlobalDatabase } from '../src/constructs/database/global-database';
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
 * Resources that exist once for the whole layout and belong to the primary Region: the Aurora
 * global cluster. Its only provider is the primary Region's (the accelerator is in the edge stack).
 */
export class GlobalStack extends ProjectStack {
  /** The Aurora global cluster. */
  readonly database: GlobalDatabase;

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
      'database-global-writer-endpoint': [
        this.database.writerEndpoint,
        'Writer endpoint of the global database: follows the primary through switchovers',
      ],
      'database-global-cluster-id': [this.database.globalClusterIdentifier, 'Global cluster identifier'],
      'database-engine-version-actual': [
        this.database.engineVersionActual,
        'Engine version the database runs: set database.engineVersion to it if AWS upgraded it',
      ],
    });
  }
}
