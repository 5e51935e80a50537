import {
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  Token,
  propertyAccess,
  type IResolvable,
  type TerraformResource,
  type TerraformVariableValidationConfig,
} from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { pinVersions } from '../../stacks/project-stack';
import type { Json } from './hcl';

export interface InputOptions {
  /** A Terraform type expression: `string`, `number`, `list(string)`, `map(string)`, `object({...})`. */
  readonly type: string;
  readonly description: string;
  /** Without a default, the input is required. */
  readonly default?: unknown;
  readonly validation?: readonly TerraformVariableValidationConfig[];
  readonly sensitive?: boolean;
  /**
   * Whether `null` is an accepted value (for optional inputs that default to `null`).
   * @default false
   */
  readonly nullable?: boolean;
  /** Ephemeral inputs (Terraform 1.10+) never reach the plan or the state. */
  readonly ephemeral?: boolean;
}

/**
 * Literal values for a module stack's inputs and Regions for its providers: the stack then
 * synthesizes the construct exactly as the CDKTF stacks do (no variables, no `for_each`), to compare
 * with the module it generates.
 */
export interface LiteralInputs {
  readonly values: Readonly<Record<string, Json>>;
  /** Region of the default provider (key `aws`) and of each alias (key `aws.<alias>`). */
  readonly regions: Readonly<Record<string, string>>;
}

/** A module input: a variable's value, or a literal one in a literal module stack. */
export class ModuleInput {
  constructor(
    private readonly variable: TerraformVariable | undefined,
    private readonly literal: unknown,
  ) {}

  get stringValue(): string {
    return this.variable ? this.variable.stringValue : (this.literal as string);
  }

  get numberValue(): number {
    return this.variable ? this.variable.numberValue : (this.literal as number);
  }

  get listValue(): string[] {
    return this.variable ? this.variable.listValue : (this.literal as string[]);
  }

  get booleanValue(): boolean | IResolvable {
    return this.variable ? this.variable.booleanValue : (this.literal as boolean);
  }

  /** The value itself: an object or map input's literal value, or the variable's token. */
  get value(): unknown {
    const value: unknown = this.variable ? this.variable.value : this.literal;
    return value;
  }

  /** Whether the value is known at synthesis (a literal module stack). */
  get known(): boolean {
    return this.variable === undefined;
  }

  /** An attribute of an object input: `var.<name>.<key>`, or the literal one. */
  attribute<T = string>(key: string): T {
    if (!this.variable) return (this.literal as Record<string, T>)[key];
    return Token.asAny(propertyAccess(this.variable.value, [key])) as T;
  }
}

/**
 * The stack a module is synthesized from: the construct under test of its inputs (variables) and
 * outputs. Providers are placeholders that become the module's provider requirements.
 */
export class ModuleStack extends TerraformStack {
  private readonly defaultProvider: AwsProvider;

  constructor(
    scope: Construct,
    readonly moduleName: string,
    private readonly literal?: LiteralInputs,
  ) {
    super(scope, moduleName);
    pinVersions(this);
    this.defaultProvider = new AwsProvider(this, 'aws', { region: literal?.regions.aws });
  }

  /** The default `aws` provider, or a configuration alias the caller passes in. */
  provider(alias?: string): AwsProvider {
    return alias ? new AwsProvider(this, `aws-${alias}`, { alias, region: this.literal?.regions[`aws.${alias}`] }) : this.defaultProvider;
  }

  input(name: string, options: InputOptions): ModuleInput {
    if (this.literal) {
      const value = name in this.literal.values ? this.literal.values[name] : options.default;
      // null means "not set": the constructs' optional props are undefined then.
      return new ModuleInput(undefined, value ?? undefined);
    }
    // Inputs and outputs may share a name in HCL, not as construct IDs.
    const variable = new TerraformVariable(this, `input-${name}`, {
      type: options.type,
      description: options.description,
      // cdktf cannot synthesize a null default; it is set by override below.
      default: options.default === null ? undefined : options.default,
      validation: options.validation ? [...options.validation] : undefined,
      sensitive: options.sensitive,
      nullable: options.nullable ?? false,
    });
    variable.overrideLogicalId(name);
    if (options.default === null) variable.addOverride('default', null);
    if (options.ephemeral) variable.addOverride('ephemeral', true);
    return new ModuleInput(variable, undefined);
  }

  /**
   * An output; `null` (a literal module stack without the resource) is Terraform's `null`.
   * `dependsOn`: resources a caller using the output must also wait for, beyond those its value refers to.
   */
  output(name: string, value: unknown, description: string, dependsOn?: readonly TerraformResource[]): void {
    const output = new TerraformOutput(this, `output-${name}`, { value: value ?? '${null}', description });
    output.overrideLogicalId(name);
    // Bare addresses, as Terraform reads `depends_on` (cdktf's own field renders interpolations).
    if (dependsOn && dependsOn.length > 0)
      output.addOverride(
        'depends_on',
        dependsOn.map((resource) => `${resource.terraformResourceType}.${resource.friendlyUniqueId}`),
      );
  }
}
