import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import type { ResolvedConfig } from '../src/config';
import { GameDay, type GameDayProps } from '../src/constructs/resilience/game-day';
import {
  FIS_LIMITS,
  GAME_DAY_MAX_BUCKETS,
  GAME_DAY_MAX_REGIONS,
  gameDayPlan,
  isoDuration,
  ROUTE_TABLE_DISRUPT_CROSS_REGION,
  S3_BUCKET_PAUSE_REPLICATION,
  TRANSIT_GATEWAY_DISRUPT_CROSS_REGION,
} from '../src/planning/fis';
import { Naming } from '../src/naming';
import { peersOf, regionPairs } from '../src/planning/pairs';
import type { TerraformJson } from '../src/terraform/offline';
import {
  configFrom,
  configProblems,
  example,
  exampleInput,
  exampleLayouts,
  policyStatements,
  ref,
  resourceAt,
  resources,
  synth,
  type Synthesized,
} from './helpers';

/**
 * The permissions the FIS actions reference lists for each action
 * (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html), written out here
 * independently of the construct: the role must hold exactly these, no more.
 */
const DOCUMENTED_PERMISSIONS: Record<string, string[]> = {
  [ROUTE_TABLE_DISRUPT_CROSS_REGION]: [
    'ec2:AssociateRouteTable',
    'ec2:CreateManagedPrefixList',
    'ec2:CreateNetworkInterface',
    'ec2:CreateRoute',
    'ec2:CreateRouteTable',
    'ec2:CreateTags',
    'ec2:DeleteManagedPrefixList',
    'ec2:DeleteNetworkInterface',
    'ec2:DeleteRouteTable',
    'ec2:DescribeManagedPrefixLists',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeRouteTables',
    'ec2:DescribeSubnets',
    'ec2:DescribeVpcPeeringConnections',
    'ec2:DescribeVpcs',
    'ec2:DisassociateRouteTable',
    'ec2:GetManagedPrefixListEntries',
    'ec2:ModifyManagedPrefixList',
    'ec2:ModifyVpcEndpoint',
    'ec2:ReplaceRouteTableAssociation',
  ],
  [TRANSIT_GATEWAY_DISRUPT_CROSS_REGION]: [
    'ec2:AssociateTransitGatewayRouteTable',
    'ec2:DescribeTransitGatewayAttachments',
    'ec2:DescribeTransitGatewayPeeringAttachments',
    'ec2:DescribeTransitGateways',
    'ec2:DisassociateTransitGatewayRouteTable',
  ],
  [S3_BUCKET_PAUSE_REPLICATION]: [
    's3:GetReplicationConfiguration',
    's3:ListAllMyBuckets',
    's3:PauseReplication',
    's3:PutReplicationConfiguration',
    'tag:GetResources',
  ],
};
/** Experiment logging to CloudWatch Logs (https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html), and tag lookups for targets picked by tag. */
const LOGGING_AND_TAG_TARGETS = [
  'logs:CreateLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:PutResourcePolicy',
  'tag:GetResources',
];

const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

function gameDayConfig(name: string, extra: Record<string, unknown> = {}): ResolvedConfig {
  const input = exampleInput(name);
  return configFrom({ ...input, ...extra, resilience: { ...(input.resilience ?? {}), gameDay: true } });
}

function templates(stack: TerraformJson): TerraformJson[] {
  return Object.values(resources(stack, 'aws_fis_experiment_template'));
}

/** Everything the tests need to read one Region stack's game day. */
function gameDayOf(result: Synthesized, region: string) {
  const stack = result.stacks.get(`region-${region}`)!;
  const network = resourceAt(stack, 'aws_fis_experiment_template', `region-${region}/game-day/network-template`).body;
  const replication = templates(stack).find((t) => t.tags.GameDay === 'replication');
  const role = resourceAt(stack, 'aws_iam_role', `region-${region}/game-day/role/role`);
  const policy = Object.values(resources(stack, 'aws_iam_role_policy')).find((p) => p.role === ref('aws_iam_role', role.name, 'id'))!;
  const logGroup = resourceAt(stack, 'aws_cloudwatch_log_group', `region-${region}/game-day/log-group`);
  return { stack, network, replication, role, statements: policyStatements(stack, policy.policy), logGroup };
}

describe('game day configuration', () => {
  test('is off by default: no template, no role, no output in the 2-, 3- and 5-Region examples', () => {
    for (const [, config] of exampleLayouts()) {
      expect(config.resilience.gameDay).toBe(false);
      const result = synth(config);
      try {
        for (const [name, stack] of result.stacks) {
          expect({ name, templates: templates(stack) }).toEqual({ name, templates: [] });
          expect(stack.output?.['game-day-template-ids']).toBeUndefined();
        }
      } finally {
        fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true });
      }
    }
  });

  test('holds faults for 10 minutes unless configured otherwise', () => {
    expect(example('two-region').resilience.gameDayDurationMinutes).toBe(10);
    expect(configFrom({ ...exampleInput(), resilience: { gameDayDurationMinutes: 90 } }).resilience.gameDayDurationMinutes).toBe(90);
  });

  test.each([
    [0, /^resilience\.gameDayDurationMinutes: must be 1 to 720 minutes\. Fix: /],
    [721, /^resilience\.gameDayDurationMinutes: must be 1 to 720 minutes\. Fix: /],
    [2.5, /^resilience\.gameDayDurationMinutes: must be 1 to 720 minutes\. Fix: /],
  ])('refuses a duration of %p minutes', (minutes, message) => {
    expect(configProblems({ ...exampleInput(), resilience: { gameDayDurationMinutes: minutes } })).toEqual([
      expect.stringMatching(message),
    ]);
  });

  test('refuses more Regions than the FIS stop-condition and parallel-action quotas fit', () => {
    const codes = ['us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-central-1'];
    const regions = (n: number) => codes.slice(0, n).map((region, i) => ({ region, cidr: `10.${i + 1}.0.0/16`, primary: i === 0 }));
    expect(configProblems({ ...exampleInput(), regions: regions(6), resilience: { gameDay: true } })).toEqual([]);
    expect(configProblems({ ...exampleInput(), regions: regions(7), resilience: { gameDay: true } })).toEqual([
      expect.stringMatching(/^resilience\.gameDay: works with at most 6 Regions: .* Fix: set it to false/),
    ]);
    // Without game days the same layout is fine.
    expect(configProblems({ ...exampleInput(), regions: regions(7) })).toEqual([]);
  });

  test('refuses more replicated buckets than a FIS target names by ARN', () => {
    const buckets = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `data${i}` }));
    expect(configProblems({ ...exampleInput(), storage: { buckets: buckets(5) }, resilience: { gameDay: true } })).toEqual([]);
    expect(configProblems({ ...exampleInput(), storage: { buckets: buckets(6) }, resilience: { gameDay: true } })).toEqual([
      expect.stringMatching(/^resilience\.gameDay: works with at most 5 replicated buckets .*storage\.buckets has 6\. Fix: /),
    ]);
  });
});

describe('the game day runbook in docs/operations.md', () => {
  const operations = fs.readFileSync(path.join(__dirname, '..', 'docs', 'operations.md'), 'utf8');
  const section = operations.slice(
    operations.indexOf('\n## Game day\n'),
    operations.indexOf('\n## ', operations.indexOf('\n## Game day\n') + 1),
  );

  test('comes after the designed recovery it measures, and names what the code makes', () => {
    expect(operations.indexOf('\n## Game day\n')).toBeGreaterThan(operations.indexOf('<!-- /recovery-report -->'));
    const flat = section.replace(/\s+/g, ' ');
    for (const text of [
      'game-day-template-ids',
      'aws fis start-experiment --region <r> --experiment-template-id',
      'aws fis stop-experiment --region <r> --id',
      ROUTE_TABLE_DISRUPT_CROSS_REGION,
      TRANSIT_GATEWAY_DISRUPT_CROSS_REGION,
      S3_BUCKET_PAUSE_REPLICATION,
      `"mode": "switchover"`,
      `<project>-game-day-<region>`,
      '/<project>/game-day',
      `at most ${GAME_DAY_MAX_REGIONS} Regions`,
      `at most ${GAME_DAY_MAX_BUCKETS}`,
      `(${example('two-region').resilience.gameDayDurationMinutes} by default)`,
    ]) {
      expect(flat).toContain(text);
    }
    const naming = new Naming('<project>', '111122223333');
    expect(naming.gameDayRole('<region>')).toBe('<project>-game-day-<region>');
    expect(naming.gameDayLogGroup()).toBe('/<project>/game-day');
    expect(naming.regionImpairedAlarm('<region>')).toBe('<project>-<region>-impaired');
    expect(naming.runbook('promote-database')).toBe('<project>-promote-database');
  });
});

describe('GameDay validation', () => {
  const plan = gameDayPlan('us-east-1', ['us-east-1', 'us-west-2'], ['us-west-2'], true);
  const alarm = (r: string) => `arn:aws:cloudwatch:${r}:111122223333:alarm:x-${r}-impaired`;
  const props: GameDayProps = {
    region: 'us-east-1',
    accountId: '111122223333',
    namePrefix: 'x-us-east-1',
    plan,
    vpcId: 'vpc-0123',
    subnetTags: { Tier: 'private' },
    transitGatewayArn: 'arn:aws:ec2:us-east-1:111122223333:transit-gateway/tgw-0123',
    transitGatewayRouteTableArn: 'arn:aws:ec2:us-east-1:111122223333:transit-gateway-route-table/tgw-rtb-0123',
    bucketArns: ['arn:aws:s3:::x-data-111122223333-us-east-1'],
    stopConditionAlarmArns: [alarm('us-west-2')],
    kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/0123',
    logGroupName: '/x/game-day',
    roleName: 'x-game-day-us-east-1',
  };
  const build = (overrides: Partial<GameDayProps>) => () =>
    new GameDay(new TerraformStack(new App(), 's'), 'g', { ...props, ...overrides });

  test('accepts a plan within the FIS quotas', () => {
    expect(build({})).not.toThrow();
  });

  test.each<[string, Partial<GameDayProps>, RegExp]>([
    ['no stop condition', { stopConditionAlarmArns: [] }, /0 stop condition alarms; FIS takes 1 to 5 per template/],
    ['six stop conditions', { stopConditionAlarmArns: Array.from({ length: 6 }, (_, i) => alarm(`r${i}`)) }, /6 stop condition alarms/],
    [
      'six buckets',
      { bucketArns: Array.from({ length: 6 }, (_, i) => `arn:aws:s3:::b${i}`) },
      /6 buckets; a FIS target names at most 5 by ARN/,
    ],
    ['replication without buckets', { bucketArns: [] }, /replication actions need bucketArns/],
    ['no subnet tags', { subnetTags: {} }, /subnetTags must pick the subnets/],
    ['no other Region', { plan: { network: [], replication: [] } }, /needs at least one other Region/],
    ['a duration beyond 12 hours', { durationMinutes: 721 }, /1 to 720 whole minutes/],
  ])('refuses %s', (_label, overrides, message) => {
    expect(build(overrides)).toThrow(message);
  });
});

describe('game day planning', () => {
  test.each([
    [1, 'PT1M'],
    [10, 'PT10M'],
    [60, 'PT1H'],
    [90, 'PT1H30M'],
    [720, 'PT12H'],
  ])('%p minutes are %s', (minutes, iso) => {
    expect(isoDuration(minutes)).toBe(iso);
  });

  test.each([0, 721, 1.5])('%p minutes are no FIS duration', (minutes) => {
    expect(() => isoDuration(minutes)).toThrow(/1 to 720 whole minutes/);
  });

  test('cuts a Region off from every other one, its transit gateway only from its peers', () => {
    const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
    const spoke = peersOf('us-west-2', regionPairs(regions, 'us-east-1', 'hub-and-spoke'));
    const plan = gameDayPlan('us-west-2', regions, spoke, true);
    expect(plan.network.map((a) => [a.actionId, a.peerRegion])).toEqual([
      [ROUTE_TABLE_DISRUPT_CROSS_REGION, 'us-east-1'],
      [ROUTE_TABLE_DISRUPT_CROSS_REGION, 'eu-west-1'],
      [TRANSIT_GATEWAY_DISRUPT_CROSS_REGION, 'us-east-1'],
    ]);
    // Replication does not follow the peering topology: every bucket replicates to every Region.
    expect(plan.replication.map((a) => [a.actionId, a.peerRegion])).toEqual([
      [S3_BUCKET_PAUSE_REPLICATION, 'us-east-1'],
      [S3_BUCKET_PAUSE_REPLICATION, 'eu-west-1'],
    ]);
    expect(gameDayPlan('us-west-2', regions, spoke, false).replication).toEqual([]);
  });

  test('refuses a template with more parallel actions than FIS runs', () => {
    const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-central-1'];
    expect(() => gameDayPlan('us-east-1', regions.slice(0, 6), regions, true)).not.toThrow();
    expect(() => gameDayPlan('us-east-1', regions, regions, true)).toThrow(
      `would run 12 actions at once; FIS runs at most ${FIS_LIMITS.parallelActionsPerExperiment}`,
    );
  });
});

describe.each([
  ['two Regions', () => gameDayConfig('two-region')],
  ['three Regions', () => gameDayConfig('three-region')],
  ['five Regions', () => gameDayConfig('five-region')],
  [
    'three Regions, hub-and-spoke, no buckets',
    () =>
      gameDayConfig('three-region', {
        topology: { peering: 'hub-and-spoke' },
        storage: { buckets: [] },
        database: { writeForwarding: true },
      }),
  ],
])('game day templates of %s', (_label, makeConfig) => {
  const config = makeConfig();
  const regions = config.regions.map((r) => r.region);
  const pairs = regionPairs(regions, config.primaryRegion, config.topology.peering);
  let result: Synthesized;
  beforeAll(() => {
    result = synth(config);
  });
  afterAll(() => fs.rmSync(path.dirname(result.outdir), { recursive: true, force: true }));

  test('only Region stacks hold templates, one network template and one replication template per Region with buckets', () => {
    for (const [name, stack] of result.stacks) {
      const kinds = templates(stack).map((t) => t.tags.GameDay as string);
      if (!name.startsWith('region-')) expect({ name, kinds }).toEqual({ name, kinds: [] });
      else
        expect({ name, kinds: kinds.sort() }).toEqual({
          name,
          kinds: config.storage.buckets.length > 0 ? ['network', 'replication'] : ['network'],
        });
    }
  });

  test.each(regions)("%s: the actions and targets are that Region's, towards each other Region", (region) => {
    const { stack, network, replication } = gameDayOf(result, region);
    const others = regions.filter((r) => r !== region);
    const peers = peersOf(region, pairs);
    const duration = isoDuration(config.resilience.gameDayDurationMinutes);
    const actionsOf = (template: TerraformJson) =>
      (template.action as TerraformJson[]).map((a) => ({
        id: a.action_id,
        peer: (a.parameter as TerraformJson[]).find((p) => p.key === 'region')!.value,
        duration: (a.parameter as TerraformJson[]).find((p) => p.key === 'duration')!.value,
        target: a.target,
      }));

    expect(actionsOf(network)).toEqual([
      ...others.map((peer) => ({ id: ROUTE_TABLE_DISRUPT_CROSS_REGION, peer, duration, target: { key: 'Subnets', value: 'subnets' } })),
      ...others
        .filter((peer) => peers.includes(peer))
        .map((peer) => ({
          id: TRANSIT_GATEWAY_DISRUPT_CROSS_REGION,
          peer,
          duration,
          target: { key: 'TransitGateways', value: 'transit-gateway' },
        })),
    ]);
    const vpc = Object.keys(resources(stack, 'aws_vpc'))[0];
    const hub = resourceAt(stack, 'aws_ec2_transit_gateway', `region-${region}/transit-hub/transit-gateway`).name;
    const subnetTarget = {
      name: 'subnets',
      resource_type: 'aws:ec2:subnet',
      selection_mode: 'ALL',
      resource_tag: [{ key: 'Tier', value: 'private' }],
      filter: [{ path: 'VpcId', values: [ref('aws_vpc', vpc, 'id')] }],
    };
    const hubTarget = {
      name: 'transit-gateway',
      resource_type: 'aws:ec2:transit-gateway',
      selection_mode: 'ALL',
      resource_arns: [ref('aws_ec2_transit_gateway', hub, 'arn')],
    };
    expect(network.target).toEqual(peers.length > 0 ? [subnetTarget, hubTarget] : [subnetTarget]);
    // The subnets picked by that tag are this VPC's app tier.
    const tagged = Object.values(resources(stack, 'aws_subnet')).filter((s) => s.tags?.Tier === 'private');
    expect(tagged.length).toBe(config.regions.find((r) => r.region === region)!.azs.length);
    expect(new Set(tagged.map((s) => s.vpc_id))).toEqual(new Set([ref('aws_vpc', vpc, 'id')]));

    if (config.storage.buckets.length === 0) return expect(replication).toBeUndefined();
    expect(actionsOf(replication!)).toEqual(
      others.map((peer) => ({ id: S3_BUCKET_PAUSE_REPLICATION, peer, duration, target: { key: 'Buckets', value: 'buckets' } })),
    );
    const buckets = config.storage.buckets.map((b) => resourceAt(stack, 'aws_s3_bucket', `region-${region}/bucket-${b.name}/bucket`).name);
    expect(replication!.target).toEqual([
      {
        name: 'buckets',
        resource_type: 'aws:s3:bucket',
        selection_mode: 'ALL',
        resource_arns: buckets.map((b) => `arn:aws:s3:::${ref('aws_s3_bucket', b, 'id')}`),
      },
    ]);
  });

  test.each(regions)("%s: stop conditions are the other Regions' 'Region impaired' alarms, never its own", (region) => {
    const { network, replication } = gameDayOf(result, region);
    const expected = regions
      .filter((r) => r !== region)
      .map((r) => ({
        source: 'aws:cloudwatch:alarm',
        value: `arn:aws:cloudwatch:${r}:${config.accountId}:alarm:${config.name}-${r}-impaired`,
      }));
    for (const template of [network, replication].filter((t) => t !== undefined)) {
      expect(template.stop_condition).toEqual(expected);
      expect(template.tags).toMatchObject({ Region: region });
      expect(template.description).toContain(region);
      expect(template.experiment_options).toEqual({ account_targeting: 'single-account', empty_target_resolution_mode: 'fail' });
    }
  });

  test.each(regions)('%s: experiments log to a log group encrypted with the Region key, kept as long as runbook logs', (region) => {
    const { stack, network, replication, logGroup } = gameDayOf(result, region);
    const key = resourceAt(stack, 'aws_kms_key', `region-${region}/regional-key/key`).name;
    expect(logGroup.body).toMatchObject({
      name: `/${config.name}/game-day`,
      kms_key_id: ref('aws_kms_key', key, 'arn'), // CKV_AWS_158
      retention_in_days: config.resilience.runbooks.logRetentionDays, // CKV_AWS_338 (365 days by default)
    });
    // The Region key lets CloudWatch Logs use it for the project's log groups, this one among them.
    const naming = new Naming(config.name, config.accountId);
    expect(naming.logGroupArnPatterns(region)[0]).toBe(`arn:aws:logs:${region}:${config.accountId}:log-group:/${config.name}/*`);
    for (const template of [network, replication].filter((t) => t !== undefined)) {
      expect(template.log_configuration).toEqual({
        log_schema_version: 2,
        cloudwatch_logs_configuration: { log_group_arn: `${ref('aws_cloudwatch_log_group', logGroup.name, 'arn')}:*` },
      });
    }
  });

  test.each(regions)('%s: only FIS experiments of this account and Region assume the role', (region) => {
    const { stack, role, network } = gameDayOf(result, region);
    expect(network.role_arn).toBe(ref('aws_iam_role', role.name, 'arn'));
    expect(role.body.name).toBe(`${config.name}-game-day-${region}`);
    expect(policyStatements(stack, role.body.assume_role_policy)).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['fis.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: [config.accountId] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:fis:${region}:${config.accountId}:experiment/*`] },
        ],
      },
    ]);
  });

  test.each(regions)('%s: the role holds exactly the documented permissions of its actions, on this Region and account', (region) => {
    const { statements, network, replication } = gameDayOf(result, region);
    const used = new Set([network, replication].flatMap((t) => (t ? (t.action as TerraformJson[]).map((a) => a.action_id as string) : [])));
    const expected = new Set([...LOGGING_AND_TAG_TARGETS, ...[...used].flatMap((id) => DOCUMENTED_PERMISSIONS[id])]);
    const granted = statements.flatMap((s) => asList(s.actions));
    expect(new Set(granted)).toEqual(expected);
    expect(granted.some((a) => a.includes('*'))).toBe(false);

    for (const s of statements) {
      expect(s.effect).toBe('Allow');
      const actions = asList(s.actions);
      const resourcesOf = asList(s.resources);
      if (resourcesOf.includes('*')) {
        // Only calls that take no resource: reads, tag lookups and vended log delivery.
        expect({
          sid: s.sid,
          actions: actions.filter((a) => !/^(ec2:(Describe|Get)|tag:GetResources|s3:ListAllMyBuckets|logs:)/.test(a)),
        }).toEqual({ sid: s.sid, actions: [] });
        continue;
      }
      for (const arn of resourcesOf) {
        if (arn.startsWith('arn:aws:s3:::')) continue;
        expect(arn).toMatch(new RegExp(`^arn:aws:ec2:${region}:${config.accountId}:|^\\$\\{aws_ec2_transit_gateway_route_table\\.`));
      }
    }

    const bySid = Object.fromEntries(statements.map((s) => [s.sid as string, s]));
    const vpc = Object.keys(resources(gameDayOf(result, region).stack, 'aws_vpc'))[0];
    const vpcArn = `arn:aws:ec2:${region}:${config.accountId}:vpc/${ref('aws_vpc', vpc, 'id')}`;
    // Subnet route tables change only inside this Region's VPC.
    for (const sid of ['SwapSubnetRouteTables', 'ScratchNetworkInterfacesInThisVpc', 'GatewayEndpointRoutesInThisVpc']) {
      expect(bySid[sid].condition).toEqual([{ test: 'ArnEqualsIfExists', variable: 'ec2:Vpc', values: [vpcArn] }]);
    }
    // FIS creates and deletes only route tables and prefix lists of its own.
    expect(bySid.CreateIsolationRouteTablesAndPrefixLists.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:RequestTag/managedByFIS', values: ['true'] },
    ]);
    expect(bySid.ChangeOnlyWhatFisCreated.condition).toEqual([
      { test: 'StringEquals', variable: 'aws:ResourceTag/managedByFIS', values: ['true'] },
    ]);
    expect(bySid.CreateIsolationRouteTableInThisVpc.resources).toEqual([vpcArn]);

    const others = regions.filter((r) => r !== region).sort();
    if (replication) {
      const arns = (replication.target as TerraformJson[])[0].resource_arns;
      expect(bySid.PauseReplicationToTheOtherRegions).toMatchObject({
        resources: arns,
        condition: [{ test: 'StringEquals', variable: 's3:DestinationRegion', values: others }],
      });
      expect(bySid.ReplicationConfigurationForThePauseOnly).toMatchObject({
        resources: arns,
        condition: [{ test: 'BoolIfExists', variable: 's3:IsReplicationPauseRequest', values: ['true'] }],
      });
    } else {
      expect(bySid.PauseReplicationToTheOtherRegions).toBeUndefined();
    }
    if (peersOf(region, pairs).length > 0) {
      const table = resourceAt(
        gameDayOf(result, region).stack,
        'aws_ec2_transit_gateway_route_table',
        `region-${region}/transit-hub/route-table`,
      ).name;
      expect(bySid.SwapPeeringAssociations.resources).toEqual([
        ref('aws_ec2_transit_gateway_route_table', table, 'arn'),
        `arn:aws:ec2:${region}:${config.accountId}:transit-gateway-attachment/*`,
      ]);
    }
  });

  test.each(regions)("%s: every template waits for its role's permissions (FIS checks log delivery on creation)", (region) => {
    const { stack } = gameDayOf(result, region);
    const policy = resourceAt(stack, 'aws_iam_role_policy', `region-${region}/game-day/role/policy`).name;
    for (const template of templates(stack)) expect(template.depends_on).toContain(`aws_iam_role_policy.${policy}`);
  });

  test.each(regions)('%s: the stack outputs the template IDs by template', (region) => {
    const { stack, replication } = gameDayOf(result, region);
    const id = (kind: string) =>
      ref(
        'aws_fis_experiment_template',
        resourceAt(stack, 'aws_fis_experiment_template', `region-${region}/game-day/${kind}-template`).name,
        'id',
      );
    expect(stack.output['game-day-template-ids'].value).toEqual({
      network: id('network'),
      ...(replication ? { replication: id('replication') } : {}),
    });
  });
});
