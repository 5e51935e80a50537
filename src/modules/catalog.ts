import type { ModuleDefinition } from './definition';
import { auroraGlobalDatabaseModule, auroraSecondaryClusterModule } from './definitions/database';
import { vpcModule } from './definitions/network';
import { promoteDatabaseRunbookModule, regionAlarmsModule } from './definitions/resilience';
import { regionalKeyModule } from './definitions/security';
import { stateBackendModule } from './definitions/state-backend';
import { globalTableModule } from './definitions/tables';
import { s3AccessLogBucketModule, s3ReplicatedBucketModule, s3ReplicationModule } from './definitions/storage';
import { globalAcceleratorModule, regionalIngressModule } from './definitions/traffic';
import { transitGatewayModule, transitGatewayPeeringModule, vpcPeeringModule } from './definitions/transit';

/** Every generated module, in the order of the modules index. */
export const MODULES: readonly ModuleDefinition[] = [
  stateBackendModule,
  regionalKeyModule,
  vpcModule,
  transitGatewayModule,
  transitGatewayPeeringModule,
  vpcPeeringModule,
  s3AccessLogBucketModule,
  s3ReplicatedBucketModule,
  s3ReplicationModule,
  globalTableModule,
  auroraGlobalDatabaseModule,
  auroraSecondaryClusterModule,
  regionalIngressModule,
  regionAlarmsModule,
  promoteDatabaseRunbookModule,
  globalAcceleratorModule,
];
