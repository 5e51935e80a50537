import { S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { backendSettings } from '../src/backend/settings';
import type { ResolvedConfig } from '../src/config';
import { Naming } from '../src/naming';

/** The AWS provider versions every generated configuration accepts (AWS provider 5.100+ and 6.x). */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.100.0, < 7.0.0';
/** Terraform 1.11 adds write-only arguments; 1.10 the S3 lock file. */
export const TERRAFORM_VERSION_CONSTRAINT = '>= 1.11.0';

/**
 * Widens the provider requirement from the exact version the bindings were generated from to the
 * range this project is validated against, and sets the Terraform version it needs.
 */
export function pinVersions(stack: TerraformStack): void {
  stack.addOverride('terraform.required_providers.aws', { source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT });
  stack.addOverride('terraform.required_version', TERRAFORM_VERSION_CONSTRAINT);
}

/**
 * Tags the generator puts on every resource, before the configured ones (whose keys validation keeps
 * apart from these: `src/naming/tags.ts`).
 */
export function generatedTags(config: ResolvedConfig, stack: string): Record<string, string> {
  return { Project: config.name, ManagedBy: 'active-active-cdktf', Stack: stack, ...config.tags };
}

/**
 * A stack of this project: AWS providers pinned to the configured account and tagged through
 * `default_tags`, one per Region the stack touches. The stack's home Region gets the default
 * provider; every other Region gets a provider aliased by its Region code.
 */
export abstract class ProjectStack extends TerraformStack {
  /** Names of the resources, from the project's name and Regions. */
  readonly naming: Naming;
  private readonly providers = new Map<string, AwsProvider>();

  protected constructor(
    scope: Construct,
    readonly stackName: string,
    protected readonly config: ResolvedConfig,
    /** The Region of the default provider. */
    readonly homeRegion: string,
  ) {
    super(scope, stackName);
    this.naming = new Naming(config.name, config.accountId);
    pinVersions(this);
    this.providers.set(homeRegion, this.createProvider(homeRegion, undefined));
  }

  /** The provider for `region`: the default one for the home Region, an aliased one otherwise. */
  providerFor(region: string): AwsProvider {
    let provider = this.providers.get(region);
    if (!provider) {
      provider = this.createProvider(region, region);
      this.providers.set(region, provider);
    }
    return provider;
  }

  /** Stack outputs for operators: id -> [value, description]. */
  protected addOutputs(outputs: Record<string, [value: unknown, description: string]>): void {
    for (const [id, [value, description]] of Object.entries(outputs)) {
      new TerraformOutput(this, id, { value, description });
    }
  }

  /**
   * Keeps this stack's state in the state bucket that `state.active` selects, locked through the
   * lock table of that bucket's Region. Other stacks read this stack's outputs with a
   * `terraform_remote_state` that cdktf copies from this backend block, so they follow the switch.
   */
  protected useRemoteState(): void {
    const { useLockfile, ...settings } = backendSettings(this.config, this.stackName);
    new S3Backend(this, settings);
    if (useLockfile) {
      // cdktf 0.21's S3Backend has no field for the S3-native lock file.
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    }
  }

  private createProvider(region: string, alias: string | undefined): AwsProvider {
    return new AwsProvider(this, alias ? `aws-${alias}` : 'aws', {
      region,
      alias,
      allowedAccountIds: [this.config.accountId],
      defaultTags: [{ tags: generatedTags(this.config, this.stackName) }],
    });
  }
}
