import { IResolvable, Token } from 'cdktf';

/**
 * Whether a database resource carries `lifecycle.prevent_destroy`: as asked, or else exactly when
 * deletion protection is the literal `true`. A Terraform expression for deletion protection (an HCL
 * module's input) leaves it off, because `lifecycle` arguments cannot take expressions.
 */
export function preventsDestroy(deletionProtection: boolean | IResolvable | undefined, preventDestroy: boolean | undefined): boolean {
  if (preventDestroy !== undefined) return preventDestroy;
  const protection = deletionProtection ?? true;
  return !Token.isUnresolved(protection) && protection === true;
}
