import { MODULES } from '../src/modules/catalog';
import { examplesOf, synthesizeModules } from '../src/modules/generate';
import { example, synth } from './helpers';

/**
 * Where a string of Terraform JSON opens an interpolation inside another interpolation's expression
 * (outside a quoted string literal of that expression): Terraform refuses `${a == ${b}}`, although
 * the HCL renderer of the modules unwraps it, so only a plan of the JSON would notice.
 */
export function nestedInterpolations(text: string): string[] {
  const found: string[] = [];
  // What encloses the current character: an expression (of `${` or a `{` inside one) or a quoted string.
  const stack: Array<'expression' | 'string'> = [];
  for (let i = 0; i < text.length; i++) {
    const inside = stack[stack.length - 1];
    if (inside === 'string') {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') stack.pop();
      else if (text.startsWith('${', i)) {
        stack.push('expression');
        i++;
      }
    } else if (text.startsWith('${', i)) {
      if (inside === 'expression') found.push(text);
      stack.push('expression');
      i++;
    } else if (inside === 'expression') {
      if (text[i] === '"') stack.push('string');
      else if (text[i] === '{') stack.push('expression');
      else if (text[i] === '}') stack.pop();
    }
  }
  return found;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('Terraform JSON holds no interpolation nested in an expression', () => {
  test('the check finds one, and leaves a template inside a quoted string alone', () => {
    expect(nestedInterpolations('${{ for k, v in local.m : k => v if ${k == data.x.y.id} }}')).toHaveLength(1);
    expect(nestedInterpolations('${coalesce(var.a, "${var.b}/")}')).toEqual([]);
    expect(nestedInterpolations('plain ${var.a} and ${var.b}')).toEqual([]);
  });

  test('every module example, synthesized as the stacks use its construct (the twin the equivalence test plans)', () => {
    const definitions = MODULES.flatMap((module) =>
      [...examplesOf(module)].map(([name, definition]) => ({ ...definition, name: `${module.name}-${name}` })),
    );
    const nested = [...synthesizeModules(definitions, true)].flatMap(([name, { json }]) =>
      nestedInterpolations(strings(json).join('\n')).map((s) => `${name}: ${s}`),
    );
    expect(nested).toEqual([]);
  });

  test('every stack of the two-Region example', () => {
    const result = synth(example('two-region'));
    const nested = [...result.stacks].flatMap(([name, json]) =>
      strings(json)
        .flatMap(nestedInterpolations)
        .map((s) => `${name}: ${s}`),
    );
    expect(nested).toEqual([]);
  });
});
