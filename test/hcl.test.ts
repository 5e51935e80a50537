import { renderBlock, renderInlineValue, renderString, type BlockPaths, type JsonObject, type RenderContext } from '../src/modules/hcl';
import { renderModuleFiles } from '../src/modules/render-module';

const plain: RenderContext = { rewrite: (expression) => expression, blocks: () => new Set() };
const block = (labels: string[], body: JsonObject, blockPaths: BlockPaths = new Set()) =>
  renderBlock(labels, body, '', blockPaths, '', plain);

describe('HCL rendering of Terraform JSON', () => {
  test('a lone interpolation is a bare expression; anything else a template', () => {
    expect(renderString('${aws_vpc.this.id}', plain)).toBe('aws_vpc.this.id');
    expect(renderString('${var.name}-vpc', plain)).toBe('"${var.name}-vpc"');
    expect(renderString('plain "text"\nwith %{ marks', plain)).toBe('"plain \\"text\\"\\nwith %%{ marks"');
  });

  test('interpolations left inside expressions by composed tokens become plain operands', () => {
    expect(renderString('${concat(${values(aws_route_table.private)[*].id}, [aws_route_table.database.id])}', plain)).toBe(
      'concat(values(aws_route_table.private)[*].id, [aws_route_table.database.id])',
    );
    // Parenthesized only where the operators around bind tighter, never as a whole argument.
    expect(renderString('${${var.a != null} ? 1 : 0}', plain)).toBe('var.a != null ? 1 : 0');
    expect(renderString('${${var.a ? 1 : 2} + 1}', plain)).toBe('(var.a ? 1 : 2) + 1');
    expect(renderString('${!${var.a && var.b}}', plain)).toBe('!(var.a && var.b)');
    expect(renderString('${${var.a && var.b} || ${var.c || var.d}}', plain)).toBe('var.a && var.b || (var.c || var.d)');
    expect(renderString('${{ for k, v in m : k => ${v ? 1 : 2} }}', plain)).toBe('{ for k, v in m : k => v ? 1 : 2 }');
    expect(renderString('${toset(${var.on ? ["0.0.0.0/0"] : []})}', plain)).toBe('toset(var.on ? ["0.0.0.0/0"] : [])');
    // Interpolations inside string literals stay interpolations.
    expect(renderString('${coalesce(var.prefix, "${var.bucket}/")}', plain)).toBe('coalesce(var.prefix, "${var.bucket}/")');
  });

  test('a value for a table cell stays on one line, its items and attributes separated by commas', () => {
    expect(renderInlineValue({ max_capacity: 16, min_capacity: 0.5 }, plain)).toBe('{ max_capacity = 16, min_capacity = 0.5 }');
    expect(renderInlineValue({ 'a b': ['x', '${var.y}'], c: {}, d: null }, plain)).toBe('{ "a b" = ["x", var.y], c = {}, d = null }');
    expect(renderInlineValue([], plain)).toBe('[]');
  });

  test('arguments align as terraform fmt aligns them; a multi-line value stands alone', () => {
    expect(
      block(['resource', 'aws_vpc', 'this'], { cidr_block: '10.0.0.0/16', enable_dns_support: true, ipam: { a: 'b' }, id_after: 'y' }),
    ).toBe(
      [
        'resource "aws_vpc" "this" {',
        '  cidr_block         = "10.0.0.0/16"',
        '  enable_dns_support = true',
        '  ipam = {',
        '    a = "b"',
        '  }',
        '  id_after = "y"',
        '}',
      ].join('\n'),
    );
  });

  test('tags and tags_all are the last group of arguments, before nested blocks', () => {
    const text = block(
      ['resource', 'aws_vpc', 'this'],
      { for_each: '${var.m}', tags_all: { A: 'b' }, cidr_block: '10.0.0.0/16', tags: { Name: 'x' }, rule: [{ id: 'r' }], zone: 'z' },
      new Set(['rule']),
    );
    expect(text).toBe(
      [
        'resource "aws_vpc" "this" {',
        '  for_each = var.m',
        '',
        '  cidr_block = "10.0.0.0/16"',
        '  zone       = "z"',
        '',
        '  tags = {',
        '    Name = "x"',
        '  }',
        '  tags_all = {',
        '    A = "b"',
        '  }',
        '',
        '  rule {',
        '    id = "r"',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  test('nested blocks by the provider schema; meta-arguments first and last', () => {
    const text = block(
      ['resource', 'aws_s3_bucket_versioning', 'this'],
      {
        for_each: '${var.buckets}',
        bucket: '${each.value}',
        versioning_configuration: [{ status: 'Enabled' }],
        lifecycle: { ignore_changes: ['bucket'], precondition: [{ condition: '${var.on}', error_message: 'needs on' }] },
        depends_on: ['aws_s3_bucket.this'],
      },
      new Set(['versioning_configuration']),
    );
    expect(text).toBe(
      [
        'resource "aws_s3_bucket_versioning" "this" {',
        '  for_each = var.buckets',
        '',
        '  bucket = each.value',
        '',
        '  versioning_configuration {',
        '    status = "Enabled"',
        '  }',
        '',
        '  lifecycle {',
        '    ignore_changes = [bucket]',
        '',
        '    precondition {',
        '      condition     = var.on',
        '      error_message = "needs on"',
        '    }',
        '  }',
        '',
        '  depends_on = [aws_s3_bucket.this]',
        '}',
      ].join('\n'),
    );
  });

  test("dynamic blocks name their iterator after the block instead of cdktf's `each`", () => {
    const text = block(['data', 'aws_iam_policy_document', 'this'], {
      dynamic: {
        statement: [
          { for_each: '${var.destinations}', iterator: 'each', content: { resources: ['${each.value.arn}/*'], sid: 'To${each.key}' } },
        ],
      },
    });
    expect(text).toContain('  dynamic "statement" {\n    for_each = var.destinations\n\n    content {');
    expect(text).toContain('resources = ["${statement.value.arn}/*"]');
    expect(text).toContain('sid       = "To${statement.key}"');
    expect(text).not.toContain('iterator');
  });
});

describe('module files from a module stack', () => {
  const json: JsonObject = {
    variable: { name: { type: 'string', description: 'The name.', nullable: false } },
    resource: {
      aws_vpc: { vpc_Vpc_ABCD1234: { '//': { metadata: { path: 'm/vpc/vpc' } }, cidr_block: '10.0.0.0/16', provider: 'aws' } },
      aws_route_table: {
        a: { '//': { metadata: { path: 'm/vpc/private-route-table' } }, vpc_id: '${aws_vpc.vpc_Vpc_ABCD1234.id}' },
        b: { '//': { metadata: { path: 'm/vpc/public-route-table' } }, vpc_id: '${aws_vpc.vpc_Vpc_ABCD1234.id}' },
      },
    },
    output: { vpc_id: { value: '${aws_vpc.vpc_Vpc_ABCD1234.id}', description: 'ID of the VPC.' } },
  };
  const paths = [
    'm',
    'm/current',
    'm/vpc',
    'm/vpc/vpc',
    'm/vpc/public-route-table',
    'm/vpc/private-route-table',
    'm/vpc/nat-eip',
    'm/vpc/flow-logs',
    'm/vpc/flow-logs/role',
    'm/vpc/flow-logs/role/role',
    'm/vpc/flow-logs/log-group',
  ];
  const blockData = {
    resource: { aws_vpc: [], aws_route_table: ['route'], aws_eip: [], aws_iam_role: [], aws_cloudwatch_log_group: [] },
    data: { aws_region: [] },
  };
  const files = renderModuleFiles(json, paths, [], blockData, {
    naming: { mainResources: ['aws_vpc', 'aws_eip'] },
    reasons: new Map([['m/vpc/vpc', [`Why: ${'a long reason '.repeat(12).trim()}.`]]]),
  });

  test("names are stable and readable: `this` for a lone main resource, else its role without the type's words", () => {
    expect(files['main.tf']).toContain('resource "aws_vpc" "this" {');
    expect(files['main.tf']).toContain('resource "aws_route_table" "private" {');
    expect(files['main.tf']).toContain('vpc_id = aws_vpc.this.id');
    expect(files['outputs.tf']).toContain('value       = aws_vpc.this.id');
  });

  const more: JsonObject = {
    ...json,
    data: { aws_region: { r: { '//': { metadata: { path: 'm/current' } } } } },
    resource: {
      ...(json.resource as JsonObject),
      aws_eip: { e: { '//': { metadata: { path: 'm/vpc/nat-eip' } }, domain: 'vpc' } },
      aws_iam_role: { r: { '//': { metadata: { path: 'm/vpc/flow-logs/role/role' } }, name: 'x' } },
      aws_cloudwatch_log_group: { g: { '//': { metadata: { path: 'm/vpc/flow-logs/log-group' } }, name: 'y' } },
    },
  };

  test('a lone resource that is not a main one is named by its purpose; context data sources are `current`', () => {
    const main = renderModuleFiles(more, paths, [], blockData, { naming: { mainResources: ['aws_vpc'] } })['main.tf'];
    expect(main).toContain('resource "aws_eip" "nat" {');
    expect(main).toContain('resource "aws_iam_role" "flow_logs" {');
    expect(main).toContain('resource "aws_cloudwatch_log_group" "flow_logs" {');
    expect(main).toContain('data "aws_region" "current" {}');
    expect(main).not.toMatch(/"(aws_eip|aws_iam_role|aws_cloudwatch_log_group)" "this"/);
    // A definition's purpose for a construct names the lone resources under it.
    const named = renderModuleFiles(more, paths, [], blockData, {
      naming: { mainResources: ['aws_vpc'], purposes: { 'vpc/flow-logs': 'flow_log' } },
    })['main.tf'];
    expect(named).toContain('resource "aws_iam_role" "flow_log" {');
    // Without main resources, nothing is `this`.
    expect(renderModuleFiles(more, paths, [], blockData)['main.tf']).not.toContain('"this"');
  });

  test("a banner opens each construct's section; a part holding several resources gets its own", () => {
    const main = renderModuleFiles(more, paths, [], blockData, { naming: { mainResources: ['aws_vpc'] } })['main.tf'];
    const rule = '#'.repeat(80);
    expect(main).toContain(`${rule}\n# VPC\n${rule}\n\nresource "aws_vpc" "this" {`);
    expect(main).toContain(`${rule}\n# Flow logs\n${rule}\n\nresource "aws_iam_role" "flow_logs" {`);
    expect(main.match(/^# VPC$/gm)).toHaveLength(1);
    // The data source of the stack itself comes before any section.
    expect(main.indexOf('data "aws_region"')).toBeLessThan(main.indexOf(rule));
  });

  test("each section opens once: a construct's resources stay together around a part of their own, and the stack's data sources come first", () => {
    const interleaved: JsonObject = {
      ...more,
      data: { aws_region: { r: { '//': { metadata: { path: 'm/late-region' } } } } },
      resource: {
        ...(more.resource as JsonObject),
        aws_route_table: {
          ...((json.resource as JsonObject).aws_route_table as JsonObject),
          c: { '//': { metadata: { path: 'm/vpc/late-route-table' } }, vpc_id: 'v' },
        },
      },
    };
    const created = [...paths.filter((p) => p !== 'm/current'), 'm/vpc/late-route-table', 'm/late-region'];
    const main = renderModuleFiles(interleaved, created, [], blockData, { naming: { mainResources: ['aws_vpc'] } })['main.tf'];
    const rule = '#'.repeat(80);
    expect(main.match(/^# VPC$/gm)).toHaveLength(1);
    expect(main.indexOf('"aws_route_table" "late"')).toBeGreaterThan(main.indexOf('# VPC'));
    expect(main.indexOf('"aws_route_table" "late"')).toBeLessThan(main.indexOf('# Flow logs'));
    expect(main.indexOf('data "aws_region"')).toBeLessThan(main.indexOf(rule));
  });

  test('a recorded reason is a comment above its resource, wrapped at 100 columns', () => {
    const main = files['main.tf'];
    const comment = main
      .slice(0, main.indexOf('resource "aws_vpc" "this"'))
      .split('\n')
      .filter((line) => line.startsWith('# ') && !line.startsWith('# VPC'));
    const reasonLines = comment.slice(comment.findIndex((line) => line.startsWith('# Why:')));
    expect(reasonLines.length).toBeGreaterThan(1);
    expect(reasonLines.every((line) => line.length <= 100)).toBe(true);
    expect(reasonLines.join(' ').replace(/# /g, '')).toBe(`Why: ${'a long reason '.repeat(12).trim()}.`);
    expect(main).toMatch(/reason\.\nresource "aws_vpc" "this" \{/);
  });

  test('resources appear in the order their constructs were created; the default provider is implied', () => {
    const main = files['main.tf'];
    expect(main.indexOf('"aws_vpc" "this"')).toBeLessThan(main.indexOf('"aws_route_table" "public"'));
    expect(main.indexOf('"aws_route_table" "public"')).toBeLessThan(main.indexOf('"aws_route_table" "private"'));
    expect(main).not.toContain('provider');
  });

  test('versions.tf declares no aliases for a one-Region module, and references for two', () => {
    expect(files['versions.tf']).not.toContain('configuration_aliases');
    const twoRegions = renderModuleFiles(json, ['m'], ['replica'], { resource: { aws_vpc: [], aws_route_table: [] }, data: {} });
    expect(twoRegions['versions.tf']).toContain('configuration_aliases = [aws.replica]');
  });
});
