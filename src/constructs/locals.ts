import { TerraformLocal } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * A `local` value named `name` (not a generated ID): one definition for an expression that several
 * resources share, readable in the HCL modules. Returns the reference to it.
 */
export function namedLocal(scope: Construct, name: string, value: unknown): string {
  const local = new TerraformLocal(scope, name, value);
  local.overrideLogicalId(name);
  return local.fqn;
}
