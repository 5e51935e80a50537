import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODULES } from '../src/modules/catalog';
import { ROOT } from './helpers';

/** Where the modules are read from: `modules/`, or another tree (`MODULES_DIR`) to check it the same way. */
const MODULES_DIR = process.env.MODULES_DIR ?? path.join(ROOT, 'modules');

const ARGUMENT = /^(\s*)([a-z_][a-z0-9_]*)\s+= /;
const META = new Set(['count', 'for_each', 'provider', 'depends_on']);

/** The line after the value that starts at `start` (one line, or up to its closing bracket at the same indentation). */
function afterValue(lines: readonly string[], start: number, indent: string): number {
  if (!/[{[(]$/.test(lines[start])) return start + 1;
  let i = start + 1;
  while (!new RegExp(`^${indent}[}\\])]`).test(lines[i])) i++;
  return i + 1;
}

/**
 * Where `tags` (and `tags_all`) are not the last group of arguments of their block: not set apart by a
 * blank line before, or followed by another argument of the same block.
 */
function tagProblems(main: string): string[] {
  const lines = main.split('\n');
  const problems: string[] = [];
  lines.forEach((line, i) => {
    const match = ARGUMENT.exec(line);
    if (!match || match[2] !== 'tags') return;
    const indent = match[1];
    const before = lines[i - 1];
    if (before.trim() !== '' && !before.endsWith('{')) problems.push(`line ${i + 1}: tags is not set apart from the arguments before it`);
    let next = afterValue(lines, i, indent);
    if (lines[next]?.startsWith(`${indent}tags_all `)) next = afterValue(lines, next, indent);
    // After the group: the end of the block, or a blank line and then no other plain argument.
    for (let j = next; j < lines.length && lines[j].startsWith(indent) && lines[j].length > indent.length - 2; j++) {
      const other = ARGUMENT.exec(lines[j]);
      if (other && other[1] === indent && !META.has(other[2])) {
        problems.push(`line ${j + 1}: ${other[2]} comes after tags`);
        break;
      }
      if (other && other[1] === indent) j = afterValue(lines, j, indent) - 1;
      else if (lines[j].startsWith(indent) && /\{$/.test(lines[j]) && !lines[j].startsWith(`${indent} `)) {
        // A nested block: skip its body.
        while (lines[j] !== `${indent}}`) j++;
      }
    }
  });
  return problems;
}

describe('HCL conventions of every module', () => {
  test.each(MODULES.map((m) => [m.name, m] as const))('%s: tags is the last argument group of its block', (name) => {
    const main = fs.readFileSync(path.join(MODULES_DIR, name, 'main.tf'), 'utf8');
    expect(tagProblems(main)).toEqual([]);
  });

  test.each(MODULES.map((m) => [m.name, m] as const))(
    '%s: `this` names only main resources, `current` only context data sources',
    (name, definition) => {
      const main = fs.readFileSync(path.join(MODULES_DIR, name, 'main.tf'), 'utf8');
      const named = (label: string) =>
        [...main.matchAll(new RegExp(`^(resource|data) "([a-z0-9_]+)" "${label}"`, 'gm'))].map((m) => `${m[1]} ${m[2]}`);
      expect(named('this').filter((block) => !definition.mainResources.some((type) => block === `resource ${type}`))).toEqual([]);
      expect(
        named('current').filter((block) => !['data aws_region', 'data aws_caller_identity', 'data aws_partition'].includes(block)),
      ).toEqual([]);
    },
  );

  test.each(MODULES.map((m) => [m.name] as const))('%s: no resource is named only by words of its type (aws_kms_key.key)', (name) => {
    const main = fs.readFileSync(path.join(MODULES_DIR, name, 'main.tf'), 'utf8');
    const stutter = [...main.matchAll(/^resource "aws_([a-z0-9_]+)" "([a-z0-9_]+)"/gm)].filter(([, type, label]) => {
      const typeWords = new Set(type.split('_'));
      return label.split('_').every((word) => typeWords.has(word));
    });
    expect(stutter.map(([block]) => block)).toEqual([]);
  });

  test.each(MODULES.map((m) => [m.name] as const))('%s: each banner title appears once', (name) => {
    const main = fs.readFileSync(path.join(MODULES_DIR, name, 'main.tf'), 'utf8');
    const titles = [...main.matchAll(/^#{80}\n# (.+)\n#{80}$/gm)].map((m) => m[1]);
    expect(titles.filter((title, i) => titles.indexOf(title) !== i)).toEqual([]);
  });

  test.each(MODULES.map((m) => [m.name] as const))('%s: README defaults are HCL on one line', (name) => {
    const readme = fs.readFileSync(path.join(MODULES_DIR, name, 'README.md'), 'utf8');
    // The default is the fourth cell of an input row; a value rendered over lines leaves runs of spaces.
    const defaults = readme.split('\n').flatMap((line) => /^\| `[a-z0-9_]+` \|.*\| (`.*`|n\/a) \| (yes|no) \|$/.exec(line)?.[1] ?? []);
    expect(defaults.length).toBeGreaterThan(0);
    expect(defaults.filter((cell) => /\S {2,}/.test(cell))).toEqual([]);
  });

  test('the tag check notices tags amid the arguments', () => {
    const misplaced = [
      'resource "aws_vpc" "this" {',
      '  cidr_block = "10.0.0.0/16"',
      '  tags = {',
      '    Name = "x"',
      '  }',
      '  enable_dns_support = true',
      '}',
    ].join('\n');
    expect(tagProblems(misplaced)).toEqual([
      'line 3: tags is not set apart from the arguments before it',
      'line 6: enable_dns_support comes after tags',
    ]);
    const placed = [
      'resource "aws_vpc" "this" {',
      '  cidr_block = "10.0.0.0/16"',
      '',
      '  tags = {',
      '    Name = "x"',
      '  }',
      '',
      '  lifecycle {',
      '    ignore_changes = [tags]',
      '  }',
      '}',
    ].join('\n');
    expect(tagProblems(placed)).toEqual([]);
    // Most modules leave tags to the provider's default_tags; the VPC's Name tags are checked for real.
    expect(fs.readFileSync(path.join(MODULES_DIR, 'vpc', 'main.tf'), 'utf8').match(/^\s+tags\s+= /gm)!.length).toBeGreaterThan(5);
  });
});
