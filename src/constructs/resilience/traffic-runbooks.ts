import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { describeEndpointGroupDocument, updateEndpointGroupDocument } from '../../planning/runbooks/automation';
import { evacuateDefinition } from '../../planning/runbooks/evacuate';
import { restoreDefinition } from '../../planning/runbooks/restore';
import { checkTrafficOptions, type TrafficMode, type TrafficRegion } from '../../planning/runbooks/traffic';
import { explain } from '../rationale';
import { ServiceRole } from '../security/service-role';
import { GLOBAL_ACCELERATOR_REGION } from '../traffic/accelerator';
import { Runbook } from './runbook';

/** The Route 53 health checks of one Region, by ID: what the evacuate and restore runbooks act on and wait for. */
export interface RegionHealthCheckIds {
  /** The check of the Region's entry (its load balancer, or its healthy-hosts alarm when internal). */
  readonly entryHealthCheckId: string;
  /** The check that follows the Region's replication-lag alarm. */
  readonly lagHealthCheckId: string;
  /** The calculated check the Region's records carry (the Route 53 modes only). */
  readonly switchHealthCheckId?: string;
}

/** The names of one runbook's state machine, log group and role. */
export interface RunbookNames {
  /** The state machine's name (unique per Region and account). */
  readonly stateMachineName: string;
  /** The execution log group, under a prefix the key lets CloudWatch Logs use. */
  readonly logGroupName: string;
  /** The execution role's name (IAM names are global: include the Region). */
  readonly roleName: string;
}

/** The names of the SSM Automation documents that call Global Accelerator, and of their role. */
export interface AutomationNames {
  /** The document that sets an endpoint group's traffic dial (unique per Region and account). */
  readonly updateDocumentName: string;
  /** The document that reads an endpoint group's traffic dial and endpoint health. */
  readonly describeDocumentName: string;
  /** The role the automations run as (IAM names are global: include the Region). */
  readonly roleName: string;
}

/** Properties of `TrafficRunbooks`. */
export interface TrafficRunbooksProps {
  /** How users reach the Regions: Global Accelerator endpoint groups, or Route 53 latency records. */
  readonly mode: TrafficMode;
  /**
   * Every configured Region: its endpoint group ARNs (Global Accelerator, one per listener port),
   * its configured traffic dial, and the ids of its Route 53 entry, lag and (latency records) switch
   * health checks.
   */
  readonly regions: readonly TrafficRegion[];
  /**
   * The Region the runbooks run in: us-west-2 with Global Accelerator (its API exists only there),
   * us-east-1 with Route 53 (its control plane).
   */
  readonly region: string;
  /** The account, for ARNs and the confused-deputy conditions. */
  readonly accountId: string;
  /** The customer-managed key of `region` that encrypts the state machines, their logs and the alerts topic. */
  readonly kmsKeyArn: string;
  /** The alerts topic in `region`, encrypted with `kmsKeyArn`, that the runbooks notify at each step. */
  readonly topicArn: string;
  /**
   * Minutes `restore` waits for the Region to become healthy before it fails.
   * @default 30
   */
  readonly timeoutMinutes?: number;
  /**
   * Days the execution logs are kept.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /** Names of the `evacuate` runbook's resources. */
  readonly evacuate: RunbookNames;
  /** Names of the `restore` runbook's resources. */
  readonly restore: RunbookNames;
  /**
   * Global Accelerator: names of the SSM Automation documents through which the runbooks call it,
   * and of the role those automations run as.
   * @default - none; required with Global Accelerator
   */
  readonly automation?: AutomationNames;
  /**
   * The provider of `region`.
   * @default - the stack's default AWS provider
   */
  readonly provider?: TerraformProvider;
}

/** A Route 53 health check's ARN: health checks are global, with no Region or account in the ARN. */
export function healthCheckArn(id: string): string {
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonroute53.html (resource type healthcheck)
  return `arn:aws:route53:::healthcheck/${id}`;
}

/**
 * The `evacuate` and `restore` runbooks, beside the routing control plane: Step Functions SDK
 * integrations call the service in the state machine's own Region, and the Global Accelerator API
 * exists only in us-west-2, so with an accelerator they must run there. Step Functions has no
 * Global Accelerator integration (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html):
 * the runbooks start SSM Automation documents, created here in the same Region, whose
 * `aws:executeAwsApi` step calls it, so the Global Accelerator mode needs Step Functions, Systems
 * Manager and Global Accelerator in us-west-2. Route 53 is a global service
 * whose control plane is in us-east-1
 * (https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html).
 *
 * Static stability: failover on health needs neither runbook (the accelerator and Route 53 follow
 * health in their data planes). These are for planned drains and grey failures, and depend on the
 * control plane of their Region.
 *
 * Day 2: evacuate changes what Terraform manages (the endpoint groups' `traffic_dial_percentage`,
 * or the switch check's `child_health_threshold`). The next apply of the edge stack sets it back to
 * the config's value, and its plan shows that update: set the Region's `trafficDial` to 0 in the
 * config to keep it out, or run restore first. Renaming a state machine replaces it (`name` forces a
 * new resource), and an execution in flight is stopped with it. From hashicorp/aws 5.67 a plan that
 * changes a state machine's definition sends it to Step Functions' ValidateStateMachineDefinition
 * when it is fully known (https://github.com/hashicorp/terraform-provider-aws/pull/39229): the
 * identity that plans needs states:ValidateStateMachineDefinition, and an offline plan passes only
 * while the definition holds a value known after apply (here the topic and endpoint group ARNs).
 */
export class TrafficRunbooks extends Construct {
  /** The `evacuate` runbook. */
  readonly evacuate: Runbook;
  /** The `restore` runbook. */
  readonly restore: Runbook;
  /** ARN of the `evacuate` state machine. */
  readonly evacuateArn: string;
  /** ARN of the `restore` state machine. */
  readonly restoreArn: string;
  /** Global Accelerator: the Automation documents that call it. */
  readonly documents?: { readonly update: SsmDocument; readonly describe: SsmDocument };
  /** Global Accelerator: the role its Automation documents run as. */
  readonly automationRole?: ServiceRole;

  constructor(scope: Construct, id: string, props: TrafficRunbooksProps) {
    super(scope, id);
    const { mode, regions, region, accountId, kmsKeyArn, topicArn, provider } = props;
    const timeoutMinutes = props.timeoutMinutes ?? 30;
    const accelerator = mode === 'global-accelerator';
    if (accelerator && !props.automation) {
      throw new Error(`TrafficRunbooks ${id}: with Global Accelerator, automation must name its SSM Automation documents and role`);
    }
    const endpointGroupArns = regions.flatMap((r) => r.endpointGroupArns ?? []);
    const bridge = accelerator ? this.automationBridge(props.automation!, endpointGroupArns, region, accountId, provider) : undefined;
    this.documents = bridge?.documents;
    this.automationRole = bridge?.role;
    const options = {
      mode,
      regions,
      topicArn,
      ...(bridge
        ? {
            automation: {
              updateDocumentName: props.automation!.updateDocumentName,
              describeDocumentName: props.automation!.describeDocumentName,
              roleArn: bridge.role.roleArn,
            },
          }
        : {}),
    };
    try {
      checkTrafficOptions(options);
    } catch (error) {
      throw new Error(`TrafficRunbooks ${id}: ${(error as Error).message}`, { cause: error });
    }
    if (mode === 'global-accelerator' && region !== GLOBAL_ACCELERATOR_REGION) {
      throw new Error(
        `TrafficRunbooks ${id}: with Global Accelerator the runbooks must run in ${GLOBAL_ACCELERATOR_REGION}, where its API is; got ${region}`,
      );
    }

    const switchCheckArns = regions.flatMap((r) => (r.switchHealthCheckId ? [healthCheckArn(r.switchHealthCheckId)] : []));
    const notifications = notificationStatements(topicArn, kmsKeyArn, region);
    // Global Accelerator through SSM Automation: start only these two documents (any version),
    // read any execution (its id is not known before it starts), and pass the automation role to
    // SSM only. Resource types automation-definition and automation-execution:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html
    // (iam:PassRole: https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
    const automationStatements: DataAwsIamPolicyDocumentStatement[] = bridge
      ? [
          {
            sid: 'StartEndpointGroupAutomations',
            effect: 'Allow',
            actions: ['ssm:StartAutomationExecution'],
            resources: [props.automation!.updateDocumentName, props.automation!.describeDocumentName].map(
              (name) => `arn:aws:ssm:${region}:${accountId}:automation-definition/${name}:*`,
            ),
          },
          {
            sid: 'ReadEndpointGroupAutomations',
            effect: 'Allow',
            actions: ['ssm:GetAutomationExecution'],
            resources: [`arn:aws:ssm:${region}:${accountId}:automation-execution/*`],
          },
          {
            sid: 'PassTheAutomationRole',
            effect: 'Allow',
            actions: ['iam:PassRole'],
            resources: [bridge.role.roleArn],
            condition: [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ssm.amazonaws.com'] }],
          },
        ]
      : [];

    const common = { region, accountId, kmsKeyArn, logRetentionDays: props.logRetentionDays, provider };
    this.evacuate = new Runbook(this, 'evacuate', {
      ...common,
      ...props.evacuate,
      definition: evacuateDefinition(options),
      statements: [
        ...(accelerator
          ? automationStatements
          : [
              {
                sid: 'SwitchHealthChecks',
                effect: 'Allow',
                actions: ['route53:GetHealthCheck', 'route53:UpdateHealthCheck'],
                resources: switchCheckArns,
              },
            ]),
        ...notifications,
      ],
    });

    this.restore = new Runbook(this, 'restore', {
      ...common,
      ...props.restore,
      definition: restoreDefinition({ ...options, timeoutMinutes }),
      statements: [
        {
          sid: 'ReadRegionHealth',
          effect: 'Allow',
          actions: ['route53:GetHealthCheckStatus'],
          resources: regions.flatMap((r) => [healthCheckArn(r.entryHealthCheckId), healthCheckArn(r.lagHealthCheckId)]),
        },
        ...(accelerator
          ? automationStatements
          : [{ sid: 'SwitchHealthChecks', effect: 'Allow', actions: ['route53:UpdateHealthCheck'], resources: switchCheckArns }]),
        ...notifications,
      ],
    });
    this.evacuateArn = this.evacuate.stateMachineArn;
    this.restoreArn = this.restore.stateMachineArn;
  }

  /**
   * The Automation documents through which the runbooks call Global Accelerator, and the role they
   * run as, in `region` (us-west-2, where Global Accelerator's API is: an automation's
   * aws:executeAwsApi step calls the service in the automation's Region).
   */
  private automationBridge(
    names: AutomationNames,
    endpointGroupArns: readonly string[],
    region: string,
    accountId: string,
    provider: TerraformProvider | undefined,
  ) {
    const role = new ServiceRole(this, 'automation-role', {
      provider,
      roleName: names.roleName,
      description: 'Runs the SSM Automation documents through which the evacuate and restore runbooks call Global Accelerator',
      servicePrincipal: 'ssm.amazonaws.com',
      // Confused deputy: only automations of this account and Region.
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/cross-service-confused-deputy-prevention.html
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:SourceAccount', values: [accountId] },
        { test: 'ArnLike', variable: 'aws:SourceArn', values: [`arn:aws:ssm:${region}:${accountId}:automation-execution/*`] },
      ],
      // Resource type endpointgroup for both actions
      // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglobalaccelerator.html).
      statements: [
        {
          sid: 'DialEndpointGroups',
          effect: 'Allow',
          actions: ['globalaccelerator:DescribeEndpointGroup', 'globalaccelerator:UpdateEndpointGroup'],
          resources: [...endpointGroupArns],
        },
      ],
    });
    explain(
      role.role,
      'Step Functions has no Global Accelerator integration (https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html), so the runbooks start SSM Automation documents whose aws:executeAwsApi step calls it. The automation runs as this role, which may only read and dial the configured endpoint groups; the runbooks pass it to SSM and to nothing else.',
    );
    const document = (id: string, name: string, content: Record<string, unknown>) => {
      const created = new SsmDocument(this, id, {
        provider,
        name,
        documentType: 'Automation',
        documentFormat: 'JSON',
        content: JSON.stringify(content),
      });
      explain(
        created,
        'An Automation document (schema 0.3) with one aws:executeAwsApi step that calls Global Accelerator in us-west-2 for the evacuate and restore runbooks (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAwsApi.html). Its executions record the endpoint group ARN, the traffic dial and endpoint health: nothing secret. Day 2: a changed content is a new document version that the provider makes the default, which the runbooks start (they name no version); a new name or document type replaces the document.',
      );
      return created;
    };
    return {
      role,
      documents: {
        update: document('update-endpoint-group', names.updateDocumentName, updateEndpointGroupDocument()),
        describe: document('describe-endpoint-group', names.describeDocumentName, describeEndpointGroupDocument()),
      },
    };
  }
}

/**
 * Publishing to a KMS-encrypted topic: sns:Publish on it, and the key's data-key actions through SNS
 * in the topic's Region only (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html).
 */
function notificationStatements(topicArn: string, kmsKeyArn: string, region: string): DataAwsIamPolicyDocumentStatement[] {
  return [
    { sid: 'Notify', effect: 'Allow', actions: ['sns:Publish'], resources: [topicArn] },
    {
      sid: 'EncryptNotifications',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [kmsKeyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${region}.amazonaws.com`] }],
    },
  ];
}
