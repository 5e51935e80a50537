import {
  planChangesNothing,
  priorStateFromPlan,
  soleReference,
  type PlanDocument,
  type PlannedChange,
  type TerraformState,
} from '../src/terraform/prior-state';
import type { ProviderSchema } from '../src/terraform/placeholders';

/** The provider schema's shape for the resources below. */
const SCHEMA: ProviderSchema = {
  resource_schemas: {
    aws_kms_key: { version: 0, block: { attributes: { arn: { type: 'string' }, key_id: { type: 'string' }, id: { type: 'string' } } } },
    aws_vpc: {
      version: 1,
      block: {
        attributes: {
          id: { type: 'string' },
          cidr_block: { type: 'string' },
          ipv6_cidr_block: { type: 'string' },
          arn: { type: 'string' },
          owner_id: { type: 'string' },
          main_route_table_id: { type: 'string' },
          dhcp_options_id: { type: 'string' },
          default_network_acl_id: { type: 'string' },
        },
      },
    },
    aws_subnet: { block: { attributes: { id: { type: 'string' }, vpc_id: { type: 'string' } } } },
    aws_security_group: {
      block: {
        attributes: {
          id: { type: 'string' },
          name_prefix: { type: 'string' },
          ingress: { type: ['set', ['object', { from_port: 'number', cidr_blocks: ['list', 'string'] }]] },
        },
      },
    },
    aws_db_instance: { block: { attributes: { id: { type: 'string' }, password: { type: 'string' }, port: { type: 'number' } } } },
    aws_s3_bucket: {
      block: {
        attributes: { id: { type: 'string' }, arn: { type: 'string' }, bucket: { type: 'string' } },
        block_types: { logging: { nesting_mode: 'list', block: { attributes: { target_bucket: { type: 'string' } } } } },
      },
    },
  },
};

/** A resource change at `address`, managed unless the address starts with `data.`. */
function planned(address: string, rest: Partial<PlannedChange> & Pick<PlannedChange, 'change'>): PlannedChange {
  const local = address.replace(/^module\.[^.]+\./, '').replace(/\[.*\]$/, '');
  const data = local.startsWith('data.');
  const [type, name] = local.replace(/^data\./, '').split('.');
  return { address, mode: data ? 'data' : 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', ...rest };
}

/** A plan from nothing: a key, a VPC, two subnets in it (count), a bucket and a database, one resource in a module. */
const PLAN: PlanDocument = {
  terraform_version: '1.11.4',
  planned_values: {
    outputs: { 'vpc-id': { sensitive: false }, 'ingress-rules': { sensitive: false }, 'key-arn': { sensitive: true } },
    root_module: { resources: [{ address: 'aws_vpc.main', schema_version: 1 }] },
  },
  resource_changes: [
    planned('aws_kms_key.key', {
      change: { actions: ['create'], after: { description: 'k' }, after_unknown: { arn: true, key_id: true, id: true } },
    }),
    planned('aws_vpc.main', {
      change: {
        actions: ['create'],
        after: { cidr_block: '10.10.0.0/16' },
        after_unknown: { id: true, arn: true, ipv6_cidr_block: true, owner_id: true, main_route_table_id: true, dhcp_options_id: true },
      },
    }),
    ...[0, 1].map((index) =>
      planned(`aws_subnet.private[${index}]`, {
        index,
        change: { actions: ['create'], after: {}, after_unknown: { id: true, vpc_id: true } },
      }),
    ),
    planned('aws_security_group.app', {
      change: { actions: ['create'], after: { name_prefix: 'app-' }, after_unknown: { id: true, ingress: true } },
    }),
    planned('aws_db_instance.db', {
      change: {
        actions: ['create'],
        after: { password: 'not-in-state-for-real', port: 5432 },
        after_unknown: { id: true },
        after_sensitive: { password: true },
      },
    }),
    planned('module.logs.aws_s3_bucket.this', {
      module_address: 'module.logs',
      change: { actions: ['create'], after: { bucket: 'logs' }, after_unknown: { id: true, arn: true, logging: true } },
    }),
    planned('data.aws_region.current', { change: { actions: ['read'] } }),
  ],
  configuration: {
    provider_config: {
      aws: { expressions: { region: { constant_value: 'us-east-1' } } },
      'aws.west': { expressions: { region: { constant_value: 'us-west-2' } } },
    },
    root_module: {
      resources: [
        { address: 'aws_kms_key.key', provider_config_key: 'aws.west' },
        { address: 'aws_vpc.main', provider_config_key: 'aws' },
        {
          address: 'aws_subnet.private',
          provider_config_key: 'aws',
          expressions: { vpc_id: { constant_value: '${aws_vpc.main.id}', references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
        },
        { address: 'aws_security_group.app', provider_config_key: 'aws' },
        { address: 'aws_db_instance.db', provider_config_key: 'aws' },
      ],
      module_calls: { logs: { module: { resources: [{ address: 'aws_s3_bucket.this', provider_config_key: 'logs:aws.west' }] } } },
      outputs: {
        'vpc-id': { expression: { constant_value: '${aws_vpc.main.id}', references: ['aws_vpc.main.id', 'aws_vpc.main'] } },
        'ingress-rules': { expression: { references: ['aws_security_group.app.ingress', 'aws_security_group.app'] } },
        'key-arn': { expression: { constant_value: '${aws_kms_key.key.arn}', references: ['aws_kms_key.key.arn', 'aws_kms_key.key'] } },
      },
    },
  },
};

const contextOf = (key: string) => ({ region: key === 'aws.west' ? 'us-west-2' : 'us-east-1', accountId: '111122223333' });

function instance(state: TerraformState, address: string) {
  for (const resource of state.resources) {
    for (const candidate of resource.instances) {
      const key = candidate.index_key === undefined ? '' : `[${JSON.stringify(candidate.index_key)}]`;
      if (`${resource.module ? `${resource.module}.` : ''}${resource.type}.${resource.name}${key}` === address)
        return { resource, instance: candidate };
    }
  }
  throw new Error(`no ${address} in the state`);
}

describe('prior state from a saved plan', () => {
  const state = priorStateFromPlan(PLAN, { schema: SCHEMA, contextOf });

  test('is a version 4 state of the managed resources, grouped with their instance keys', () => {
    expect(state).toMatchObject({ version: 4, terraform_version: '1.11.4', serial: 1 });
    expect(state.resources.map((r) => `${r.module ?? ''}${r.type}.${r.name}:${r.instances.length}`).sort()).toEqual([
      'aws_db_instance.db:1',
      'aws_kms_key.key:1',
      'aws_security_group.app:1',
      'aws_subnet.private:2',
      'aws_vpc.main:1',
      'module.logsaws_s3_bucket.this:1',
    ]);
    expect(instance(state, 'aws_subnet.private[1]').instance.index_key).toBe(1);
    expect(instance(state, 'aws_vpc.main').instance.schema_version).toBe(1);
  });

  test('keeps known values and fills unknown ones in AWS formats, unique per resource', () => {
    const vpc = instance(state, 'aws_vpc.main').instance.attributes;
    expect(vpc.cidr_block).toBe('10.10.0.0/16');
    expect(vpc.id).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(vpc.arn).toMatch(/^arn:aws:ec2:us-east-1:111122223333:vpc\/[0-9a-f]{17}$/);
    // cidrsubnet() reads it: a /56 as AWS assigns.
    expect(vpc.ipv6_cidr_block).toMatch(/^2600:1f18:[0-9a-f]{4}:[0-9a-f]{2}00::\/56$/);
    expect(vpc.owner_id).toBe('111122223333');
    expect(vpc.main_route_table_id).not.toEqual(vpc.dhcp_options_id);
    expect(instance(state, 'aws_kms_key.key').instance.attributes.key_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    // Rules managed by their own resources: AWS lists none on the group itself.
    expect(instance(state, 'aws_security_group.app').instance.attributes.ingress).toEqual([]);
    expect(instance(state, 'module.logs.aws_s3_bucket.this').instance.attributes.logging).toEqual([]);
  });

  test('a value that refers to another resource holds what that resource holds', () => {
    const vpcId = instance(state, 'aws_vpc.main').instance.attributes.id;
    expect(instance(state, 'aws_subnet.private[0]').instance.attributes.vpc_id).toBe(vpcId);
    expect(instance(state, 'aws_subnet.private[1]').instance.attributes.vpc_id).toBe(vpcId);
    expect(state.outputs['vpc-id']).toEqual({ value: vpcId, type: 'string' });
    expect(state.outputs['key-arn']).toEqual({
      value: instance(state, 'aws_kms_key.key').instance.attributes.arn,
      type: 'string',
      sensitive: true,
    });
  });

  test("ARNs name the Region of the resource's provider configuration, also through a module", () => {
    expect(instance(state, 'aws_kms_key.key').instance.attributes.arn).toMatch(/^arn:aws:kms:us-west-2:/);
    expect(instance(state, 'aws_kms_key.key').resource.provider).toBe('provider["registry.terraform.io/hashicorp/aws"].west');
    expect(instance(state, 'module.logs.aws_s3_bucket.this').resource.provider).toBe(
      'provider["registry.terraform.io/hashicorp/aws"].west',
    );
    expect(instance(state, 'aws_vpc.main').resource.provider).toBe('provider["registry.terraform.io/hashicorp/aws"]');
  });

  test('marks what the plan marks sensitive, so sensitivity alone plans no update', () => {
    expect(instance(state, 'aws_db_instance.db').instance.sensitive_attributes).toEqual([[{ type: 'get_attr', value: 'password' }]]);
  });

  test("an output that is one attribute takes that attribute's type from the schema: an empty set stays a set", () => {
    expect(state.outputs['ingress-rules']).toEqual({
      value: [],
      type: ['set', ['object', { from_port: 'number', cidr_blocks: ['list', 'string'] }]],
    });
  });

  test('built against a previous state, an unknown value keeps what it held there', () => {
    const replaced: PlanDocument = {
      ...PLAN,
      resource_changes: PLAN.resource_changes!.map((change) =>
        change.address === 'aws_vpc.main' ? { ...change, change: { ...change.change, actions: ['delete', 'create'] } } : change,
      ),
    };
    const next = priorStateFromPlan(replaced, { schema: SCHEMA, contextOf, previous: state });
    expect(instance(next, 'aws_vpc.main').instance.attributes.id).toBe(instance(state, 'aws_vpc.main').instance.attributes.id);
    expect(next.serial).toBe(2);
  });

  test('is the same for the same plan: placeholders are derived, not random', () => {
    expect(priorStateFromPlan(PLAN, { schema: SCHEMA, contextOf })).toEqual(state);
  });
});

describe('sole references', () => {
  test('Terraform JSON: only a template that is the reference and nothing else', () => {
    expect(soleReference({ constant_value: '${aws_kms_key.k.arn}', references: ['aws_kms_key.k.arn', 'aws_kms_key.k'] })).toBe(
      'aws_kms_key.k.arn',
    );
    expect(
      soleReference({ constant_value: '${aws_s3_bucket.b.arn}/*', references: ['aws_s3_bucket.b.arn', 'aws_s3_bucket.b'] }),
    ).toBeUndefined();
    expect(
      soleReference({ constant_value: ['${aws_security_group.s.id}'], references: ['aws_security_group.s.id', 'aws_security_group.s'] }),
    ).toBeUndefined();
  });

  test('HCL: one attribute and its resource; a data source, a variable or two resources are not', () => {
    expect(soleReference({ references: ['aws_vpc.this[0].id', 'aws_vpc.this'] })).toBe('aws_vpc.this[0].id');
    expect(soleReference({ references: ['data.aws_iam_policy_document.p.json', 'data.aws_iam_policy_document.p'] })).toBeUndefined();
    expect(soleReference({ references: ['var.name'] })).toBeUndefined();
    expect(soleReference({ references: ['aws_vpc.a.id', 'aws_vpc.a', 'aws_vpc.b.id', 'aws_vpc.b'] })).toBeUndefined();
  });
});

describe('a plan that changes nothing', () => {
  const quiet = {
    resource_changes: [planned('aws_vpc.main', { change: { actions: ['no-op'] } })],
    output_changes: { a: { actions: ['no-op'] } },
  };

  test('has only no-op resources and outputs; reading a data source is no change', () => {
    expect(planChangesNothing(quiet)).toBe(true);
    expect(
      planChangesNothing({
        ...quiet,
        resource_changes: [...quiet.resource_changes, planned('data.aws_region.r', { change: { actions: ['read'] } })],
      }),
    ).toBe(true);
  });

  test("an output whose value stays the same is no change, though its type does not (a module output's list read back as a tuple)", () => {
    expect(planChangesNothing({ ...quiet, output_changes: { a: { actions: ['update'], before: [], after: [] } } })).toBe(true);
    expect(planChangesNothing({ ...quiet, output_changes: { a: { actions: ['update'], before: ['x'], after: ['y'] } } })).toBe(false);
    expect(planChangesNothing({ ...quiet, output_changes: { a: { actions: ['update'], before: [], after_unknown: true } } })).toBe(false);
  });

  test('an update of one resource or one output is a change', () => {
    expect(planChangesNothing({ ...quiet, resource_changes: [planned('aws_vpc.main', { change: { actions: ['update'] } })] })).toBe(false);
    expect(planChangesNothing({ ...quiet, output_changes: { a: { actions: ['update'], before: 'a', after: 'b' } } })).toBe(false);
  });
});
