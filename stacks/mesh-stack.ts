import { Construct } from 'constructs';
import type { ResolvedConfig } from '../src/config';
import { StackNames } from '../src/naming';
import { ProjectStack } from './project-stack';

/** Links between Regions: resources that need two Regions' providers at once. */
export class MeshStack extends ProjectStack {
  constructor(scope: Construct, config: ResolvedConfig) {
    super(scope, StackNames.mesh, config, config.primaryRegion);
    this.useRemoteState();
  }
}
