/** `1 stack`, `2 stacks`: a count with its noun in the right number (`plural` for irregular nouns). */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
