import { App, TerraformStack } from 'cdktf';
import { stackDependencies } from '../src/naming';
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

/** Builds every stack, with the dependencies `cdktf deploy '*'` follows (`stackDependencies`). */
export function buildApp(config: ResolvedConfig, options: BuildOptions): ProjectApp {
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const state = new StateStack(app, config);
  const global = new GlobalStack(app, config);
  const regions = config.regions.map((region) => new RegionStack(app, config, region, global));
  const mesh = new MeshStack(app, config, regions);
  const edge = new EdgeStack(app, config, regions);
  const byName = new Map<string, TerraformStack>([state, global, ...regions, mesh, edge].map((stack) => [stack.node.id, stack]));
  for (const [stack, needs] of stackDependencies(config.primaryRegion, config.secondaryRegions)) {
    for (const dependency of needs) byName.get(stack)!.addDependency(byName.get(dependency)!);
  }
  return { app, state, global, regions, mesh, edge };
}
