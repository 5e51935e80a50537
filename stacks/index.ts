import { App } from 'cdktf';
import type { ResolvedConfig } from '../src/config';
import { EdgeStack } from './edge-stack';
import { GlobalStack } from './global-stack';
import { MeshStack } from './mesh-stack';
import { RegionStack } from './region-stack';
import { StateStack } from './state-stack';

/** Where and how `buildApp` synthesizes. */
export interface BuildOptions {
  /** Where `app.synth()` writes (`cdktf.out`, or a temporary directory that replaces it). */
  readonly outdir: string;
  /** The state stack's local state file, relative to the directory Terraform runs the stack in. */
  readonly stateFilePath: string;
}

/** The app and its stacks. */
export interface ProjectApp {
  /** The CDKTF app. */
  readonly app: App;
  /** The state backend stack. */
  readonly state: StateStack;
  /** The stack of resources that exist once (the global database). */
  readonly global: GlobalStack;
  /** One stack per Region, in configuration order. */
  readonly regions: readonly RegionStack[];
  /** The links between Regions: peerings and bucket replication. */
  readonly mesh: MeshStack;
  /** The accelerator and DNS in front of the Regions. */
  readonly edge: EdgeStack;
}

/**
 * Builds every stack and the order `cdktf deploy '*'` follows: state, global, the primary Region,
 * the other Regions (the Aurora primary must exist before secondaries join), then the mesh and the
 * edge (the accelerator or the latency records, which need every Region's load balancer).
 */
export function buildApp(config: ResolvedConfig, options: BuildOptions): ProjectApp {
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const state = new StateStack(app, config, { stateFilePath: options.stateFilePath });
  const global = new GlobalStack(app, config);
  global.addDependency(state);

  const regions = config.regions.map((region) => new RegionStack(app, config, region, global));
  const primary = regions.find((stack) => stack.region.primary)!;
  for (const stack of regions) {
    stack.addDependency(global);
    if (stack !== primary) stack.addDependency(primary);
  }

  const mesh = new MeshStack(app, config, regions);
  regions.forEach((stack) => mesh.addDependency(stack));
  const edge = new EdgeStack(app, config, regions);
  regions.forEach((stack) => edge.addDependency(stack));
  return { app, state, global, regions, mesh, edge };
}
