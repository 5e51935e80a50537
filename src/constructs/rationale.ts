import type { IConstruct } from 'constructs';

const METADATA_TYPE = 'active-active:rationale';

/**
 * Records why a resource is configured the way it is (an `ignore_changes`, an open default network
 * ACL, a log group created ahead of the service). The HCL modules carry it as a `#` comment above
 * the resource; the synthesized JSON stacks are unaffected.
 */
export function explain(resource: IConstruct, reason: string): void {
  resource.node.addMetadata(METADATA_TYPE, reason);
}

/** The reasons `explain` recorded for a construct, in the order they were given. */
export function reasonsOf(construct: IConstruct): string[] {
  return construct.node.metadata.filter((entry) => entry.type === METADATA_TYPE).map((entry) => String(entry.data));
}
