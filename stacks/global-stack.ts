import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { StackNames } from '../src/naming';
import { ProjectStack } from './project-stack';

/**
 * Resources that exist once for the whole layout (the Aurora global cluster, Global Accelerator),
 * managed from the primary Region.
 */
export class GlobalStack extends ProjectStack {
  constructor(scope: Construct, config: ResolvedConfig) {
    super(scope, StackNames.global, config, config.primaryRegion);
    this.useRemoteState();
  }
}
