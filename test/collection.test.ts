import { TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import {
  DataAwsIamPolicyDocument,
  dataAwsIamPolicyDocumentStatementToTerraform,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { counted, Keyed } from '../src/constructs/collection';
import {
  and,
  attributeOf,
  call,
  choose,
  concat,
  conditionalBlocks,
  differs,
  equals,
  isNotEmpty,
  isSet,
  listIf,
  not,
  optional,
  optionalBlocks,
  or,
  replaceAll,
} from '../src/constructs/conditions';
import { requireKnown } from '../src/constructs/validation';
import { AS_IS, renderString } from '../src/modules/hcl';
import type { TerraformJson } from '../src/terraform/offline';

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(s, 'aws', { region: 'us-east-1' });
  return s;
}
const synth = (s: TerraformStack) => JSON.parse(Testing.synth(s)) as TerraformJson;
const variable = (s: TerraformStack, name: string, type: string) => new TerraformVariable(s, name, { type });

describe('Keyed: one construct, literal resources or for_each', () => {
  const subnets = { 'us-east-1a': '10.0.0.0/20', 'us-east-1b': '10.0.16.0/20' };
  const create = (s: TerraformStack, keyed: Keyed<string>) =>
    keyed.each(
      (az) => new Subnet(s, az.id('private-{key}'), { forEach: az.forEach, vpcId: 'vpc-1', availabilityZone: az.key, cidrBlock: az.value }),
    );

  test('known keys: one resource per key, named by the key, with literal values', () => {
    const s = stack();
    const instances = create(s, Keyed.of(subnets));
    const json = synth(s).resource.aws_subnet;
    const planned = Object.values(json as Record<string, TerraformJson>);
    expect(planned.map((r) => [r.availability_zone, r.cidr_block])).toEqual(Object.entries(subnets));
    expect(planned.some((r) => 'for_each' in r)).toBe(false);
    expect(instances.dependables).toHaveLength(2);
  });

  test('a token map: one resource with for_each, each.key and each.value', () => {
    const s = stack();
    const input = variable(s, 'subnets', 'map(string)');
    create(s, Keyed.of(input.value));
    const [subnet] = Object.values<TerraformJson>(synth(s).resource.aws_subnet);
    expect(subnet).toMatchObject({ for_each: '${var.subnets}', availability_zone: '${each.key}', cidr_block: '${each.value}' });
  });

  test('objects in a token map are read by their snake_case attributes; ordinals follow key order', () => {
    const seen: Array<[string, number]> = [];
    const literal = stack();
    Keyed.of<{ routeTableId: string }>({ a: { routeTableId: 'rtb-1' }, b: { routeTableId: 'rtb-2' } }).each((t) => {
      seen.push([t.get('routeTableId'), t.ordinal]);
      return new RouteTable(literal, t.id('table-{key}'), { vpcId: t.get('routeTableId') });
    });
    expect(seen).toEqual([
      ['rtb-1', 1],
      ['rtb-2', 2],
    ]);
    const s = stack();
    const input = variable(s, 'tables', 'map(object({ route_table_id = string }))');
    Keyed.of<{ routeTableId: string }>(input.value).each(
      (t) =>
        new RouteTable(s, t.id('table-{key}'), {
          forEach: t.forEach,
          vpcId: t.get('routeTableId'),
          tags: { n: Token.asString(t.ordinal) },
        }),
    );
    const [table] = Object.values<TerraformJson>(synth(s).resource.aws_route_table);
    expect(table.vpc_id).toBe('${each.value.route_table_id}');
    expect(table.tags.n).toBe('${index(keys(var.tables), each.key) + 1}');
  });

  test('nested blocks per key: literal blocks, or dynamic blocks for a token map', () => {
    const s = stack();
    const statement = (key: string) => ({ sid: 'S', actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${key}/*`] });
    const literal = new DataAwsIamPolicyDocument(s, 'literal', {});
    expect(
      Keyed.of({ a: 1, b: 2 }).blocks(literal, 'statement', dataAwsIamPolicyDocumentStatementToTerraform, (k) => [statement(k.key)]),
    ).toHaveLength(2);
    const viaToken = new DataAwsIamPolicyDocument(s, 'token', {});
    const none = Keyed.of(variable(s, 'buckets', 'map(string)').value).blocks(
      viaToken,
      'statement',
      dataAwsIamPolicyDocumentStatementToTerraform,
      (k) => [statement(k.key)],
    );
    expect(none).toEqual([]);
    expect(synth(s).data.aws_iam_policy_document.token.dynamic.statement).toEqual([
      {
        for_each: '${var.buckets}',
        iterator: 'each',
        content: { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::${each.key}/*'], sid: 'S' },
      },
    ]);
  });

  test('a token list of strings is a set keyed by itself', () => {
    const s = stack();
    const cidrs = variable(s, 'cidrs', 'list(string)');
    Keyed.ofSet(cidrs.listValue).each((c) => new RouteTable(s, c.id('rt-{key}'), { forEach: c.forEach, vpcId: c.key }));
    expect(Object.values(synth(s).resource.aws_route_table)[0]).toMatchObject({ for_each: '${toset(var.cidrs)}', vpc_id: '${each.key}' });
    expect(() => Keyed.ofSet(cidrs.listValue).keys()).toThrow(/not known at synthesis/);
  });
});

describe('counted copies and conditions', () => {
  test('a known count makes numbered resources; a token makes one with count', () => {
    const s = stack();
    const azs = ['a', 'b'];
    const literal = counted(
      3,
      (i) =>
        new RouteTable(s, i.id('literal-{number}'), {
          vpcId: 'v',
          tags: { az: i.cycle(azs), n: String(i.number), tier: String(i.firstOr(0, 1)) },
        }),
    );
    expect(literal.map((r) => r.friendlyUniqueId)).toEqual(
      expect.arrayContaining([expect.stringContaining('literal-1'), expect.stringContaining('literal-3')]),
    );
    const json = synth(s).resource.aws_route_table as Record<string, TerraformJson>;
    expect(Object.values(json).map((r) => r.tags)).toEqual([
      { az: 'a', n: '1', tier: '0' },
      { az: 'b', n: '2', tier: '1' },
      { az: 'a', n: '3', tier: '1' },
    ]);
    const t = stack();
    const count = variable(t, 'count', 'number');
    counted(
      count.numberValue,
      (i) =>
        new RouteTable(t, i.id('token-{number}'), {
          count: i.count,
          vpcId: 'v',
          tags: { az: i.cycle(['a', 'b']), n: Token.asString(i.number) },
        }),
    );
    const [table] = Object.values<TerraformJson>(synth(t).resource.aws_route_table);
    expect(table).toMatchObject({ count: '${var.count}', tags: { az: '${element(["a","b"], count.index)}', n: '${count.index + 1}' } });
  });

  test('literal conditions decide at synthesis', () => {
    const s = stack();
    expect(optional(false, () => new RouteTable(s, 'never', { vpcId: 'v' }))).toBeUndefined();
    const made = optional(true, (count) => new RouteTable(s, 'always', { count, vpcId: 'v' }))!;
    new RouteTable(s, 'user', { vpcId: attributeOf(made, 'id') });
    expect(synth(s).resource.aws_route_table.user.vpc_id).toBe('${aws_route_table.always.id}');
    expect(listIf(false, ['x'])).toEqual([]);
    expect(choose(true, 'a', 'b')).toBe('a');
    expect(not(true)).toBe(false);
    expect(and(true, false)).toBe(false);
    expect(differs('single', 'none')).toBe(true);
    expect(Keyed.of({ a: 1 }).emptyUnless(false).keys()).toEqual([]);
    expect(Keyed.of({ a: 1 }).emptyUnless(true).keys()).toEqual(['a']);
    expect(isSet(undefined)).toBe(false);
    expect(
      conditionalBlocks(
        made,
        'route',
        [
          { when: true, block: 1 },
          { when: false, block: 2 },
        ],
        (b) => b,
      ),
    ).toEqual([1]);
    expect(optionalBlocks({ a: { b: 1 } }, true, ['a.b'])).toEqual({ a: { b: 1 } });
  });

  test('token conditions become count, conditional expressions and dynamic blocks', () => {
    const s = stack();
    const certificate = variable(s, 'certificate', 'string');
    const https = isSet(certificate.stringValue);
    const table = optional(
      https,
      (count) => new RouteTable(s, 'https', { count, vpcId: 'v', tags: { ports: choose(https, '80 and 443', '80') } }),
    )!;
    new RouteTable(s, 'user', { vpcId: attributeOf(table, 'id') });
    conditionalBlocks(table, 'route', [{ when: not(https), block: { cidr_block: '0.0.0.0/0' } }], (b) => b);
    const json = synth(s).resource.aws_route_table;
    expect(json.https.count).toBe('${${var.certificate != null} ? 1 : 0}');
    expect(json.https.tags.ports).toBe('${${var.certificate != null} ? "80 and 443" : "80"}');
    expect(json.https.dynamic.route).toEqual([
      { for_each: '${${var.certificate == null} ? [1] : []}', content: { cidr_block: '0.0.0.0/0' } },
    ]);
    expect(json.user.vpc_id).toBe('${aws_route_table.https[0].id}');
    const mode = variable(s, 'mode', 'string');
    const subnets = variable(s, 'subnets', 'map(string)');
    Keyed.of(subnets.value)
      .emptyUnless(and(differs(mode.stringValue, 'none'), https))
      .each((k) => new RouteTable(s, k.id('routed-{key}'), { forEach: k.forEach, vpcId: k.key }));
    expect(synth(s).resource.aws_route_table.routed.for_each).toBe(
      '${${${var.mode != "none"} && ${var.certificate != null}} ? var.subnets : {}}',
    );
    new RouteTable(s, 'negated', {
      vpcId: 'v',
      tags: {
        comparison: choose(not(differs(mode.stringValue, 'none')), 'a', 'b'),
        twice: choose(not(not(https)), 'a', 'b'),
        conjunction: choose(not(and(equals(mode.stringValue, 'none'), https)), 'a', 'b'),
      },
    });
    expect(synth(s).resource.aws_route_table.negated.tags).toEqual({
      comparison: '${${var.mode == "none"} ? "a" : "b"}',
      twice: '${${var.certificate != null} ? "a" : "b"}',
      conjunction: '${${!(${${var.mode == "none"} && ${var.certificate != null}})} ? "a" : "b"}',
    });
    expect(() => Keyed.of({ a: 1 }).emptyUnless(https)).toThrow(/needs a token map/);
    expect(optionalBlocks({ destination: { metrics: { status: 'Enabled' } } }, https, ['destination.metrics'])).toEqual({
      destination: { dynamic: { metrics: { for_each: expect.stringContaining('? [1] : []'), content: { status: 'Enabled' } } } },
    });
  });

  test("construct checks run on known values and leave tokens to the module's validation", () => {
    expect(() =>
      requireKnown(
        5,
        () => false,
        () => 'five is wrong',
      ),
    ).toThrow('five is wrong');
    const s = stack();
    expect(() =>
      requireKnown(
        variable(s, 'n', 'number').numberValue,
        () => false,
        () => 'never',
      ),
    ).not.toThrow();
    expect(() =>
      requireKnown(
        ['a', variable(s, 'b', 'string').stringValue],
        () => false,
        () => 'never',
      ),
    ).not.toThrow();
  });
});

describe('expressions: one construct body, literal values or Terraform expressions', () => {
  /** A synthesized value as the HCL modules write it. */
  const hcl = (value: unknown) => renderString(value as string, AS_IS);
  const tags = (s: TerraformStack, name: string) =>
    Object.fromEntries(
      Object.entries((synth(s).resource.aws_route_table as Record<string, TerraformJson>)[name].tags as Record<string, unknown>).map(
        ([k, v]) => [k, hcl(v)],
      ),
    );

  test('literal values decide at synthesis', () => {
    expect(equals('per-az', 'per-az')).toBe(true);
    expect(or(false, and(true, equals('single', 'none')))).toBe(false);
    expect(choose(false, true, undefined)).toBeUndefined();
    expect(choose(true, 1, 0)).toBe(1);
    expect(isNotEmpty([])).toBe(false);
    expect(concat(['a'], ['b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(replaceAll('aurora-postgresql16.4', '.', '-')).toBe('aurora-postgresql16-4');
    expect(Keyed.of({ b: 1, a: 2 }).firstKey()).toBe('b');
    expect(
      Keyed.of({ a: 1, b: 2, c: 3 })
        .filter((key) => key !== 'b', { key: 'k', value: 'v' })
        .keys(),
    ).toEqual(['a', 'c']);
    expect(Keyed.ofPorts([80, 443]).keys()).toEqual(['80', '443']);
  });

  test('tokens become expressions of the same kind, with an and inside an or in parentheses', () => {
    const s = stack();
    const mode = variable(s, 'mode', 'string').stringValue;
    const on = variable(s, 'on', 'bool').booleanValue;
    const list = variable(s, 'list', 'list(string)').listValue;
    new RouteTable(s, 'table', {
      vpcId: 'v',
      tags: {
        mixed: Token.asString(or(equals(mode, 'per-az'), and(equals(mode, 'single'), on))),
        nullable: Token.asString(choose(on, true, undefined)),
        listed: Token.asString(listIf(on, ['0.0.0.0/0'])),
        wanted: Token.asString(isNotEmpty(list)),
        joined: Token.asString(concat(list, ['x'])),
        called: call('cidrsubnet', mode, 8, 2),
        replaced: replaceAll(mode, '.', '-'),
      },
    });
    expect(tags(s, 'table')).toEqual({
      mixed: 'var.mode == "per-az" || (var.mode == "single" && var.on)',
      nullable: 'var.on ? true : null',
      listed: 'var.on ? ["0.0.0.0/0"] : []',
      wanted: 'length(var.list) > 0',
      joined: 'concat(var.list, ["x"])',
      called: 'cidrsubnet(var.mode, 8, 2)',
      replaced: 'replace(var.mode, ".", "-")',
    });
  });

  test('a token map: filtered and held in a local by name, its first key, and instances by a key expression', () => {
    const s = stack();
    const subnets = variable(s, 'subnets', 'map(string)');
    const mode = variable(s, 'mode', 'string').stringValue;
    const keyed = Keyed.of<string>(subnets.value);
    const first = keyed.firstKey();
    const wanted = keyed.filter((az) => or(equals(mode, 'all'), equals(az, first)), { key: 'az', value: 'cidr' }).inLocal(s, 'wanted_azs');
    const tables = wanted.each((az) => new RouteTable(s, az.id('nat-{key}'), { forEach: az.forEach, vpcId: az.value }));
    Keyed.of<string>(subnets.value).each(
      (az) =>
        new RouteTable(s, az.id('user-{key}'), {
          forEach: az.forEach,
          vpcId: tables.ref('id', choose(equals(mode, 'all'), az.key, tables.firstKey())),
        }),
    );
    const json = synth(s);
    expect(hcl(json.locals.wanted_azs)).toBe(
      '{ for az, cidr in var.subnets : az => cidr if var.mode == "all" || az == keys(var.subnets)[0] }',
    );
    expect(hcl(json.resource.aws_route_table.nat.for_each)).toBe('local.wanted_azs');
    expect(hcl(json.resource.aws_route_table.user.vpc_id)).toBe(
      'aws_route_table.nat[var.mode == "all" ? each.key : keys(aws_route_table.nat)[0]].id',
    );
    expect(() => Keyed.of({ a: 1 }).filter((key) => equals(key, mode), { key: 'k', value: 'v' })).toThrow(
      /hold the literal record in a local/,
    );
  });

  test('token ports are keyed by their decimal form', () => {
    const s = stack();
    const ports = variable(s, 'ports', 'list(number)');
    Keyed.ofPorts(Token.asNumberList(ports.value)).each(
      (port) => new RouteTable(s, port.id('port-{key}'), { forEach: port.forEach, vpcId: port.key }),
    );
    expect(hcl((Object.values(synth(s).resource.aws_route_table)[0] as TerraformJson).for_each)).toBe(
      '{ for port in var.ports : tostring(port) => port }',
    );
  });
});
