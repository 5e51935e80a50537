/** The CPU and memory (MiB) combinations Fargate runs a task with. */
const FARGATE_MEMORY: Readonly<Record<number, { min: number; max: number; step: number } | readonly number[]>> = {
  256: [512, 1024, 2048],
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
  8192: { min: 16384, max: 61440, step: 4096 },
  16384: { min: 32768, max: 122880, step: 8192 },
};

export const FARGATE_CPU_UNITS = Object.keys(FARGATE_MEMORY).map(Number);

/** The memory sizes Fargate accepts with `cpu` units, or `undefined` for a CPU size it does not have. */
export function fargateMemoryOptions(cpu: number): number[] | undefined {
  const options = FARGATE_MEMORY[cpu];
  if (options === undefined) return undefined;
  if (!('step' in options)) return [...options];
  const { min, max, step } = options;
  return Array.from({ length: (max - min) / step + 1 }, (_, i) => min + i * step);
}

/**
 * A container image reference: `[registry/]repository[:tag][@sha256:digest]`, as Docker and ECS
 * accept it (lowercase repository path components, tag up to 128 characters).
 */
const IMAGE_REFERENCE =
  /^(?:(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+(?::\d+)?\/|localhost(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function isImageReference(image: string): boolean {
  return image.length <= 255 && IMAGE_REFERENCE.test(image);
}

/**
 * Stands for each Region in the registry host of a private ECR image
 * (`<account>.dkr.ecr.{region}.amazonaws.com/<repository>:<tag>`), so that every Region pulls from its
 * own registry: no dependency on another Region at scale-out, and a pull path through the Region's
 * own VPC endpoints when there is no NAT.
 */
export const IMAGE_REGION_PLACEHOLDER = '{region}';

/** The image `region` runs: `image` with the Region placeholder filled in. */
export function imageInRegion(image: string, region: string): string {
  return image.split(IMAGE_REGION_PLACEHOLDER).join(region);
}

/** Where a private ECR image lives. */
export interface PrivateEcrImage {
  /** The registry's account. */
  readonly account: string;
  /** The registry's Region, or the Region placeholder. */
  readonly region: string;
  /** The repository name, e.g. `shop/web`. */
  readonly repository: string;
}

const PRIVATE_ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+|\{region\})\.amazonaws\.com\/([^:@]+)(?::[^@]*)?(?:@.*)?$/;

/** The registry and repository of a private ECR image, or `undefined` for any other registry. */
export function privateEcrImage(image: string): PrivateEcrImage | undefined {
  const match = PRIVATE_ECR_IMAGE.exec(image);
  return match ? { account: match[1], region: match[2], repository: match[3] } : undefined;
}

/**
 * `image` is a reference once a Region fills the placeholder in (any Region: they all have the same
 * shape). Where the placeholder may stand is `misplacedRegionPlaceholder`'s concern.
 */
export function isWorkloadImage(image: string): boolean {
  return isImageReference(imageInRegion(image, 'us-east-1'));
}

/** The Region placeholder is used other than once, as the Region of a private ECR registry host. */
export function misplacedRegionPlaceholder(image: string): boolean {
  const uses = image.split(IMAGE_REGION_PLACEHOLDER).length - 1;
  return uses > 0 && !(uses === 1 && privateEcrImage(image)?.region === IMAGE_REGION_PLACEHOLDER);
}
