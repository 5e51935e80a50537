import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TerraformJson } from '../src/terraform/offline';
import { configFrom, configProblems, exampleInput, policyStatements, ref, resourceAt, resources, synth, type Synthesized } from './helpers';

const ACCOUNT = '111122223333';
const REGIONAL_IMAGE = `${ACCOUNT}.dkr.ecr.{region}.amazonaws.com/shop/web:1.0`;

const synthesized: Synthesized[] = [];
function synthOf(input: unknown): Synthesized {
  const result = synth(configFrom(input));
  synthesized.push(result);
  return result;
}
afterAll(() => synthesized.forEach((r) => fs.rmSync(path.dirname(r.outdir), { recursive: true, force: true })));

function executionRole(stack: TerraformJson, region: string) {
  const role = resourceAt(stack, 'aws_iam_role', `region-${region}/workload/execution-role/role`).body;
  const policy = resourceAt(stack, 'aws_iam_role_policy', `region-${region}/workload/execution-role/policy`).body;
  return { trust: policyStatements(stack, role.assume_role_policy), permissions: policyStatements(stack, policy.policy) };
}

function containerImage(stack: TerraformJson, region: string): string {
  const definition = resourceAt(stack, 'aws_ecs_task_definition', `region-${region}/workload/task-definition`).body;
  return /"image" = "([^"]+)"/.exec(definition.container_definitions as string)![1];
}

const PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];

describe('apply-6 workload images', () => {
  test("apply-6 workload images: the execution role may pull from ECR: a token for the registry, layers of this account's repositories", () => {
    const result = synthOf(exampleInput());
    for (const region of ['us-east-1', 'us-west-2']) {
      const { permissions } = executionRole(result.stacks.get(`region-${region}`)!, region);
      expect(permissions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ sid: 'RegistryToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
          expect.objectContaining({
            sid: 'PullImage',
            actions: PULL_ACTIONS,
            resources: [`arn:aws:ecr:${region}:${ACCOUNT}:repository/*`],
          }),
        ]),
      );
    }
  });

  test('apply-6 workload images: an ECR image with {region} is pulled in every Region from its own registry, and only that repository', () => {
    const result = synthOf({ ...exampleInput(), workload: { image: REGIONAL_IMAGE } });
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = result.stacks.get(`region-${region}`)!;
      expect(containerImage(stack, region)).toBe(`${ACCOUNT}.dkr.ecr.${region}.amazonaws.com/shop/web:1.0`);
      const pull = executionRole(stack, region).permissions.find((s) => s.sid === 'PullImage');
      expect(pull!.resources).toEqual([`arn:aws:ecr:${region}:${ACCOUNT}:repository/shop/web`]);
    }
  });

  test('apply-6 workload images: an image of one registry (another account, with a digest) is scoped to that repository in every Region', () => {
    const image = `444455556666.dkr.ecr.us-east-1.amazonaws.com/team/app@sha256:${'a'.repeat(64)}`;
    const result = synthOf({ ...exampleInput(), workload: { image } });
    const stack = result.stacks.get('region-us-west-2')!;
    expect(containerImage(stack, 'us-west-2')).toBe(image);
    expect(executionRole(stack, 'us-west-2').permissions.find((s) => s.sid === 'PullImage')!.resources).toEqual([
      'arn:aws:ecr:us-east-1:444455556666:repository/team/app',
    ]);
  });

  test('apply-6 workload images: without NAT, each Region has the ECR and logs endpoints, and the S3 gateway endpoint (image layers) serves every private route table without a policy that could shut the layer bucket out', () => {
    const result = synthOf({ ...exampleInput(), network: { natGateways: 'none' }, workload: { image: REGIONAL_IMAGE } });
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = result.stacks.get(`region-${region}`)!;
      const endpoints = Object.values(resources(stack, 'aws_vpc_endpoint'));
      const services = endpoints.filter((e) => e.vpc_endpoint_type === 'Interface').map((e) => e.service_name);
      expect(services).toEqual(expect.arrayContaining(['ecr.api', 'ecr.dkr', 'logs'].map((s) => `com.amazonaws.${region}.${s}`)));
      const s3 = endpoints.find((e) => e.service_name === `com.amazonaws.${region}.s3`)!;
      expect(s3.vpc_endpoint_type).toBe('Gateway');
      // No policy: the endpoint allows every bucket, including ECR's prod-<region>-starport-layer-bucket.
      expect(s3.policy).toBeUndefined();
      const privateTables = Object.entries(resources(stack, 'aws_route_table'))
        .filter(([, table]) => /-private-/.test(table.tags.Name))
        .map(([name]) => ref('aws_route_table', name, 'id'));
      expect(privateTables).toHaveLength(3);
      expect(s3.route_table_ids).toEqual(expect.arrayContaining(privateTables));
      const privateSubnets = Object.entries(resources(stack, 'aws_subnet'))
        .filter(([, s]) => s.tags.Tier === 'private')
        .map(([name]) => ref('aws_subnet', name, 'id'));
      const associations = Object.values(resources(stack, 'aws_route_table_association')).filter((a) =>
        privateSubnets.includes(a.subnet_id),
      );
      expect(associations.map((a) => a.route_table_id).sort()).toEqual([...privateTables].sort());
    }
  });

  test.each([
    [
      'the default public image without NAT',
      { network: { natGateways: 'none' } },
      'workload.image: "public.ecr.aws/nginx/nginx:stable-alpine" is not in a private ECR registry, and with network.natGateways "none" the tasks reach no other registry (ECR Public has no VPC endpoint). Fix: push the image to ECR in every Region and use e.g. "111122223333.dkr.ecr.{region}.amazonaws.com/<repository>:<tag>", or set network.natGateways to "single" or "per-az"',
    ],
    [
      'an ECR image of one Region without NAT',
      { network: { natGateways: 'none' }, workload: { image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/shop/web:1.0` } },
      'workload.image: is in the us-east-1 registry, which tasks in us-west-2 cannot reach with network.natGateways "none" (VPC endpoints serve their own Region). Fix: replicate the repository to every Region (ECR replication) and write its Region as {region}: "111122223333.dkr.ecr.{region}.amazonaws.com/shop/web:1.0", or set network.natGateways to "single" or "per-az"',
    ],
    [
      'interface endpoints without ECR and logs, without NAT',
      { network: { natGateways: 'none', interfaceEndpoints: ['sts', 'ecr.api'] }, workload: { image: REGIONAL_IMAGE } },
      'network.interfaceEndpoints: lacks ecr.dkr, logs, which the workload\'s tasks need with network.natGateways "none" (image pulls, container logs). Fix: add them, or set workload to "none"',
    ],
    [
      '{region} outside an ECR registry host',
      { workload: { image: 'nginx:{region}' } },
      'workload.image: "{region}" may only stand for the Region of a private ECR registry host, once. Fix: use e.g. "111122223333.dkr.ecr.{region}.amazonaws.com/<repository>:<tag>"',
    ],
  ])('apply-6 workload images: %s is refused', (_label, change, expected) => {
    expect(configProblems({ ...exampleInput(), ...change })).toEqual([expected]);
  });

  test('apply-6 workload images: without NAT, an unreachable image and a short endpoint list are reported together', () => {
    expect(configProblems({ ...exampleInput(), network: { natGateways: 'none', interfaceEndpoints: ['logs'] } })).toEqual([
      expect.stringMatching(/^network\.interfaceEndpoints: lacks ecr\.api, ecr\.dkr, which/),
      expect.stringMatching(/^workload\.image: "public\.ecr\.aws\/nginx\/nginx:stable-alpine" is not in a private ECR registry/),
    ]);
  });

  test('apply-6 workload images: without NAT, a regional ECR image of any account, and no workload at all, pass', () => {
    expect(configProblems({ ...exampleInput(), network: { natGateways: 'none' }, workload: { image: REGIONAL_IMAGE } })).toEqual([]);
    expect(
      configProblems({
        ...exampleInput(),
        network: { natGateways: 'none' },
        workload: { image: '444455556666.dkr.ecr.{region}.amazonaws.com/team/app:2' },
      }),
    ).toEqual([]);
    expect(configProblems({ ...exampleInput(), network: { natGateways: 'none', interfaceEndpoints: ['sts'] }, workload: 'none' })).toEqual(
      [],
    );
  });
});

describe('apply-12 role findings', () => {
  const result = synthOf(exampleInput());

  test('apply-12 (a) the task execution role trusts ECS tasks without aws:SourceArn or aws:SourceAccount; the task role keeps both', () => {
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = result.stacks.get(`region-${region}`)!;
      const [trust] = executionRole(stack, region).trust;
      expect(trust).toMatchObject({
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }],
      });
      expect(trust.condition).toBeUndefined();
      const taskRole = resourceAt(stack, 'aws_iam_role', `region-${region}/workload/task-role/role`).body;
      expect(policyStatements(stack, taskRole.assume_role_policy)[0].condition).toEqual([
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [ACCOUNT] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:ecs:${region}:${ACCOUNT}:*`] },
      ]);
    }
  });

  test("apply-12 (b) the flow-log role may list the Region's log groups (the service looks its group up) but not create one", () => {
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = result.stacks.get(`region-${region}`)!;
      const policy = resourceAt(stack, 'aws_iam_role_policy', `region-${region}/network/flow-logs/role/policy`).body;
      const statements = policyStatements(stack, policy.policy);
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            sid: 'FindLogGroup',
            actions: ['logs:DescribeLogGroups'],
            resources: [`arn:aws:logs:${region}:${ACCOUNT}:log-group:*`],
          }),
        ]),
      );
      expect(statements.flatMap((s) => s.actions)).not.toContain('logs:CreateLogGroup');
    }
  });
});

describe('Graviton tasks and Fargate Spot', () => {
  test('arm64 runs the task definition on ARM64; spot keeps the base on demand and splits the rest by weight', () => {
    const result = synthOf({
      ...exampleInput(),
      workload: {
        architecture: 'arm64',
        spot: { onDemandBase: 2, onDemandWeight: 1, spotWeight: 3 },
        desiredCount: 2,
        minCount: 2,
        maxCount: 6,
      },
    });
    for (const region of ['us-east-1', 'us-west-2']) {
      const stack = result.stacks.get(`region-${region}`)!;
      const definition = resourceAt(stack, 'aws_ecs_task_definition', `region-${region}/workload/task-definition`).body;
      expect(definition.runtime_platform.cpu_architecture).toBe('ARM64');
      const service = resourceAt(stack, 'aws_ecs_service', `region-${region}/workload/service`).body;
      expect(service.capacity_provider_strategy).toEqual([
        { capacity_provider: 'FARGATE', base: 2, weight: 1 },
        { capacity_provider: 'FARGATE_SPOT', base: 0, weight: 3 },
      ]);
      // Spot tasks get a two-minute warning: the target group lets go of a task well within it.
      const targetGroup = resourceAt(stack, 'aws_lb_target_group', `region-${region}/ingress/target-group`).body;
      expect(Number(targetGroup.deregistration_delay)).toBeLessThan(120);
    }
  });

  test('a Spot setting that could not work is refused with the field and the fix', () => {
    const problems = (spot: unknown) => configProblems({ ...exampleInput(), workload: { maxCount: 4, spot } });
    expect(problems({ onDemandBase: 0 })).toEqual([
      'workload.spot.onDemandBase: must be at least 1: Spot capacity can be reclaimed from every task of a Region at once. Fix: keep 1 or more tasks on demand',
    ]);
    expect(problems({ onDemandBase: 5 })).toEqual([
      'workload.spot.onDemandBase: 5 is above maxCount 4, so no task would ever run on Spot. Fix: use at most 4, or leave spot out',
    ]);
    expect(problems({ onDemandWeight: 0, spotWeight: 0 })).toEqual([
      'workload.spot.spotWeight: and onDemandWeight are both 0, so no task beyond the base can start. Fix: give spotWeight 1 or more',
    ]);
    expect(configProblems({ ...exampleInput(), workload: { architecture: 'arm' } })).toEqual([
      'workload.architecture: "arm" is not a Fargate CPU architecture. Fix: use "x86_64" or "arm64"',
    ]);
  });
});
