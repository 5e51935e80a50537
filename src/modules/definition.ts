import type { Json } from './hcl';
import type { ModuleStack } from './module-stack';

/** A provider configuration of a module's example. */
export interface ExampleProvider {
  /** `undefined` for the default `aws` provider. */
  readonly alias?: string;
  readonly region: string;
}

/** A variable of an example root module, for a secret that must not be written in its files. */
export interface ExampleVariable {
  readonly name: string;
  readonly description: string;
  /** Marks the variable sensitive and ephemeral (kept out of plan and state). */
  readonly secret: boolean;
  /** The value the checks plan the example with. */
  readonly planValue: string;
}

export interface ModuleExample {
  /** Variables the example root module declares (secrets), referenced as `${var.<name>}` in `inputs`. */
  readonly variables?: readonly ExampleVariable[];
  /** Provider configurations of the example root module. */
  readonly providers: readonly ExampleProvider[];
  /** The module's `providers` map, e.g. `{ "aws.replica": "aws.us_west_2" }`; omitted for the default provider only. */
  readonly passProviders?: Readonly<Record<string, string>>;
  /** Input values: literal JSON values, or `${var.<name>}` for one of `variables`. */
  readonly inputs: Readonly<Record<string, Json>>;
}

/** One generated HCL module: its construct, inputs and outputs, and an example that plans. */
export interface ModuleDefinition {
  /** Directory name under `modules/`. */
  readonly name: string;
  /** One line for the modules index. */
  readonly summary: string;
  /** What the module creates and why, for its README. */
  readonly description: string;
  /**
   * Resource types of the module's main resources, the only ones named `this` (as in
   * terraform-aws-modules: `aws_vpc.this`, but `aws_eip.nat`).
   */
  readonly mainResources: readonly string[];
  /**
   * Purpose names of other resources by construct path below the module stack, where the construct ids
   * do not say it well (e.g. `{ 'vpc/flow-logs': 'flow_log' }`).
   * @default - purposes from the construct paths
   */
  readonly purposes?: Readonly<Record<string, string>>;
  /** Configuration aliases the caller passes (for modules that span Regions). */
  readonly providerAliases?: readonly string[];
  /** Declares inputs, instantiates the construct with them, declares outputs. */
  build(stack: ModuleStack): void;
  readonly example: ModuleExample;
  /**
   * Further input sets, merged over the example's, that the tests plan as a module and as the
   * construct, to prove the conditional parts (count, for_each, dynamic blocks) equal too.
   * @default - the example only
   */
  readonly variants?: Readonly<Record<string, Readonly<Record<string, Json>>>>;
}
