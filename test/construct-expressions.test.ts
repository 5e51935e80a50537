import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const CONSTRUCTS = join(__dirname, '..', 'src', 'constructs');
/** Where Terraform expressions are built; every construct composes them from there. */
const EXPRESSION_BUILDERS = ['conditions.ts', 'collection.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/**
 * Lines that write a Terraform interpolation by hand: `\${` in a template literal, or a string
 * literal that starts one (`'${count.index}'`). A construct written that way reads differently in each mode and escapes
 * the expression helpers that the HCL module equivalence rests on.
 */
function handWrittenExpressions(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => /\\\$\{|'\$\{/.test(line))
    .map(({ line, number }) => `${relative(CONSTRUCTS, file)}:${number}: ${line.trim()}`);
}

test('constructs write no Terraform expression by hand: they compose the helpers of conditions.ts and collection.ts', () => {
  const files = sources(CONSTRUCTS).filter((file) => !EXPRESSION_BUILDERS.includes(relative(CONSTRUCTS, file)));
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap(handWrittenExpressions)).toEqual([]);
});
