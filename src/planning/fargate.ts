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
  if (Array.isArray(options)) return [...options];
  const { min, max, step } = options as { min: number; max: number; step: number };
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
