import {
  DataAwsIamPolicyDocument,
  dataAwsIamPolicyDocumentStatementToTerraform,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { Keyed, KeyedItem } from '../collection';

/** Statements repeated for every key of a collection, e.g. one pair per replication destination. */
export interface KeyedStatements<T = unknown> {
  /** The collection. */
  readonly keys: Keyed<T>;
  /**
   * The statements of one key. (A method, so that statements over any collection fit a
   * `KeyedStatements` prop.)
   */
  statements(item: KeyedItem<T>): DataAwsIamPolicyDocumentStatement[];
}

/**
 * A policy document of `statements`, then `keyed` statements for every key of a collection:
 * literal statements when the keys are known, `dynamic` statement blocks for a token map.
 */
export function policyDocument(
  scope: Construct,
  id: string,
  statements: DataAwsIamPolicyDocumentStatement[],
  keyed?: KeyedStatements,
  provider?: TerraformProvider,
): DataAwsIamPolicyDocument {
  const document = new DataAwsIamPolicyDocument(scope, id, { provider, statement: statements });
  if (keyed) {
    document.putStatement([
      ...statements,
      ...keyed.keys.blocks(document, 'statement', dataAwsIamPolicyDocumentStatementToTerraform, (item) => keyed.statements(item)),
    ]);
  }
  return document;
}
