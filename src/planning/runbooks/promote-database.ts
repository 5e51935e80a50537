import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { notify, sdkIntegration, throttlingRetry, type AslDefinition, type AslState } from './asl';

/** What the promote-database runbook of one Region needs to know. */
export interface PromoteDatabaseOptions {
  /** The Region the runbook runs in: the Region whose cluster becomes the writer. */
  readonly region: string;
  /** The global cluster's identifier. */
  readonly globalClusterIdentifier: string;
  /**
   * This Region's cluster ARN. DescribeGlobalClusters lists members by ARN, and the promotion
   * calls take the target as an ARN so Aurora finds it in its Region.
   */
  readonly clusterArn: string;
  /** The alerts topic every step notifies. */
  readonly topicArn: string;
  /** Minutes the runbook waits for this Region's cluster to become the writer before it fails with `Timeout`. */
  readonly timeoutMinutes: number;
  /**
   * Seconds between two polls of DescribeGlobalClusters.
   * @default 30
   */
  readonly pollSeconds?: number;
  /**
   * How the definition computes with `timeoutMinutes`: for a value known only to Terraform (an HCL
   * module's input), the constructs' Terraform expressions.
   * @default - JavaScript arithmetic on a known number
   */
  readonly arithmetic?: Arithmetic;
}

/** The arithmetic the definition does on `timeoutMinutes`, over numbers that may be known only later. */
export interface Arithmetic {
  /** Whether the number is known now (so it can be checked here). */
  isKnown(value: number): boolean;
  times(value: number, factor: number): number;
  plus(value: number, addend: number): number;
  dividedRoundingUp(value: number, divisor: number): number;
  /** The number as text inside a string. */
  text(value: number): string;
}

/** Arithmetic on numbers known when the definition is built. */
export const KNOWN_ARITHMETIC: Arithmetic = {
  isKnown: () => true,
  times: (value, factor) => value * factor,
  plus: (value, addend) => value + addend,
  dividedRoundingUp: (value, divisor) => Math.ceil(value / divisor),
  text: (value) => String(value),
};

/**
 * Errors of the promotion calls that mean "not now" from RDS: the global cluster or a member is in
 * a state that refuses the call, or one of them is gone. Step Functions names an SDK integration's
 * error `<Service>.<Exception>` after the AWS SDK for Java 2.x exception class, which turns RDS's
 * `...Fault` codes into `...Exception` (`InvalidDBClusterStateFault` becomes
 * `Rds.InvalidDbClusterStateException`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html#API_SwitchoverGlobalCluster_Errors
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html#API_FailoverGlobalCluster_Errors
 */
export const RDS_PROMOTION_FAULTS = [
  'Rds.InvalidGlobalClusterStateException',
  'Rds.InvalidDbClusterStateException',
  'Rds.GlobalClusterNotFoundException',
  'Rds.DbClusterNotFoundException',
] as const;

/** Why the runbook refuses, by the `Error` of its Fail state. */
export const PROMOTION_REFUSALS = {
  ModeNotSupported: 'The input mode must be "switchover" or "failover", e.g. {"mode":"switchover"}.',
  DataLossNotAllowed:
    'A failover can lose the writes that were not yet replicated to this Region. Use {"mode":"switchover"} while the writer Region is healthy, or pass {"mode":"failover","allowDataLoss":true} knowing that unreplicated writes are lost.',
  NotAMember: "This Region's cluster is not a member of the global cluster: nothing to promote here.",
  AlreadyWriter: "This Region's cluster is already the writer of the global cluster: nothing to do.",
  GlobalClusterBusy:
    'The global cluster is not available (it is being modified, or a switchover or failover is under way): wait until it is available, then start again.',
  WriterMoved:
    'The input names the cluster that must still be the writer (onlyIfWriter), and it is not: the writer moved since the run was asked for (an automatic start about a Region that no longer writes); nothing was changed.',
} as const;

export type PromotionRefusal = keyof typeof PROMOTION_REFUSALS;

/** The Fail states after a request was made or could not be made, by `Error`. */
export const PROMOTION_FAILURES = {
  DescribeFailed: 'DescribeGlobalClusters failed (see the notification and the execution history); nothing was changed.',
  PromotionRefused:
    'RDS refused the promotion: the global cluster or a member cluster is not in a state that allows it, or is gone (see the notification).',
  PromotionRequestFailed: 'The promotion request failed (see the notification and the execution history).',
  PollFailed: 'The promotion was requested, but DescribeGlobalClusters failed while waiting for it: check the global cluster.',
  Timeout: 'The promotion was requested, but this Region did not become the writer of an available global cluster in time.',
} as const;

const DEFAULT_POLL_SECONDS = 30;

/** Extra seconds for the steps around the polls, before the definition's hard `TimeoutSeconds` stops an execution. */
const HARD_TIMEOUT_MARGIN_SECONDS = 300;

/**
 * The promote-database runbook of one Region: makes this Region's cluster the writer of the Aurora
 * global database, by a switchover (no data loss) or a failover (only with `allowDataLoss: true`),
 * then polls until it is the writer of an available global cluster.
 *
 * Input: `{"mode": "switchover" | "failover", "allowDataLoss"?: boolean, "onlyIfWriter"?: "<cluster ARN>"}`: with
 * `onlyIfWriter`, it refuses (WriterMoved) unless that cluster is still the writer.
 *
 * It runs in the Region that becomes the writer: an SDK integration calls the service in the state
 * machine's own Region, and the promotion is asked of RDS where the new writer lives, which is
 * reachable when the old writer's Region is not.
 */
export function promoteDatabaseDefinition(options: PromoteDatabaseOptions): AslDefinition {
  const pollSeconds = options.pollSeconds ?? DEFAULT_POLL_SECONDS;
  // A Terraform input is a token until apply: the module validates it in its variable instead, and
  // the arithmetic below becomes Terraform arithmetic on it.
  const math = options.arithmetic ?? KNOWN_ARITHMETIC;
  const timeoutKnown = math.isKnown(options.timeoutMinutes);
  if (timeoutKnown && (!Number.isInteger(options.timeoutMinutes) || options.timeoutMinutes < 1)) {
    throw new Error(`promote-database: timeoutMinutes must be a whole number of minutes, at least 1 (got ${options.timeoutMinutes})`);
  }
  if (!Number.isInteger(pollSeconds) || pollSeconds < 1 || (timeoutKnown && pollSeconds > options.timeoutMinutes * 60)) {
    throw new Error(`promote-database: pollSeconds must be a whole number from 1 to timeoutMinutes x 60 (got ${pollSeconds})`);
  }
  const timeoutSeconds = math.times(options.timeoutMinutes, 60);
  const maxPolls = math.dividedRoundingUp(timeoutSeconds, pollSeconds);
  const { region, globalClusterIdentifier, clusterArn, topicArn } = options;
  const subject = (what: string) => `promote-database ${region}: ${what}`;
  const target = `cluster ${clusterArn} of global cluster ${globalClusterIdentifier}`;

  const refusals = Object.fromEntries(
    Object.entries(PROMOTION_REFUSALS).flatMap(([error, cause]) => [
      [`Notify ${error}`, notify(topicArn, subject(`refused (${error})`), { text: `Refused: ${cause} (${target})` }, error)],
      [error, { Type: 'Fail', Error: error, Cause: cause }],
    ]),
  );

  /**
   * DescribeGlobalClusters narrowed to what the choices read. A filter of JSONPath gives a list
   * (empty when nothing matches), so the writers and members are lists of ARNs.
   * An SDK integration returns the result with the member names of the AWS SDK for Java 2.x, which
   * spells `DB` as `Db`: the API's `DBClusterArn` arrives as `DbClusterArn` (as `DBClusters` of
   * DescribeDBClusters arrives as `DbClusters`). The other fields read here keep their API names.
   * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html#use-awssdk-integ
   * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeGlobalClusters.html
   * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_GlobalClusterMember.html
   */
  const describe = (next: string, onError: string): AslState => ({
    Type: 'Task',
    Resource: sdkIntegration('rds', 'describeGlobalClusters'),
    Parameters: { GlobalClusterIdentifier: globalClusterIdentifier },
    ResultSelector: {
      'status.$': '$.GlobalClusters[0].Status',
      'writers.$': '$.GlobalClusters[0].GlobalClusterMembers[?(@.IsWriter == true)].DbClusterArn',
      'members.$': '$.GlobalClusters[0].GlobalClusterMembers[*].DbClusterArn',
    },
    ResultPath: '$.global',
    Retry: [throttlingRetry('rds')],
    Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: onError }],
    Next: next,
  });

  /** Where this Region's cluster stands, from the narrowed description. */
  const evaluate = (next: string): AslState => ({
    Type: 'Pass',
    Parameters: {
      'status.$': '$.global.status',
      'isMember.$': `States.ArrayContains($.global.members, '${clusterArn}')`,
      'isWriter.$': `States.ArrayContains($.global.writers, '${clusterArn}')`,
    },
    ResultPath: '$.check',
    Next: next,
  });

  const failure = (error: keyof typeof PROMOTION_FAILURES, message: AslState): Record<string, AslState> => ({
    [`Notify ${error}`]: message,
    [error]: { Type: 'Fail', Error: error, Cause: PROMOTION_FAILURES[error] },
  });
  const errorMessage = (what: string) => ({
    path: `States.Format('${what} (${target}): {}: {}', $.error.Error, $.error.Cause)`,
  });

  /** The promotion call: the same catchers for both modes. */
  const promote = (action: 'switchoverGlobalCluster' | 'failoverGlobalCluster', parameters: Record<string, unknown>): AslState => ({
    Type: 'Task',
    Resource: sdkIntegration('rds', action),
    Parameters: { GlobalClusterIdentifier: globalClusterIdentifier, TargetDbClusterIdentifier: clusterArn, ...parameters },
    ResultPath: null,
    // Only throttling is retried: a throttled call changed nothing, while any other error is
    // RDS's answer to this request.
    Retry: [throttlingRetry('rds')],
    Catch: [
      { ErrorEquals: [...RDS_PROMOTION_FAULTS], ResultPath: '$.error', Next: 'Notify PromotionRefused' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Notify PromotionRequestFailed' },
    ],
    Next: 'Notify requested',
  });

  return {
    Comment: `promote-database in ${region}: makes ${target} the writer, by a switchover, or by a failover with allowDataLoss; then waits until it is the writer of an available global cluster.`,
    StartAt: 'Notify start',
    // The polls stop after timeoutMinutes with a notification; this hard limit only stops an
    // execution that hangs outside them.
    TimeoutSeconds: math.plus(timeoutSeconds, HARD_TIMEOUT_MARGIN_SECONDS),
    States: {
      'Notify start': notify(topicArn, subject('started'), { text: `Started: making ${target} the writer.` }, 'Check input'),
      // Choice rules are tried in order and the first match wins: a later rule may read a field an
      // earlier rule proved present and of the right type.
      'Check input': {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.mode', IsPresent: true }, Next: 'Notify ModeNotSupported' },
          { Not: { Variable: '$.mode', IsString: true }, Next: 'Notify ModeNotSupported' },
          { Variable: '$.mode', StringEquals: 'switchover', Next: 'Describe global cluster' },
          { Variable: '$.mode', StringEquals: 'failover', Next: 'Check allowDataLoss' },
        ],
        Default: 'Notify ModeNotSupported',
      },
      'Check allowDataLoss': {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.allowDataLoss', IsPresent: true }, Next: 'Notify DataLossNotAllowed' },
          { Not: { Variable: '$.allowDataLoss', IsBoolean: true }, Next: 'Notify DataLossNotAllowed' },
          { Variable: '$.allowDataLoss', BooleanEquals: true, Next: 'Describe global cluster' },
        ],
        Default: 'Notify DataLossNotAllowed',
      },
      'Describe global cluster': describe('Writer expected?', 'Notify DescribeFailed'),
      // An automatic start (autoPromote) names the writer it is about: the configured primary's
      // cluster, whose Region's alarm fired. If the writer has moved since (a switchover left the
      // configured primary a secondary), failing over would take the writer from a healthy Region.
      'Writer expected?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.onlyIfWriter', IsPresent: true, Next: 'Check expected writer' }],
        Default: 'Evaluate',
      },
      'Check expected writer': {
        Type: 'Choice',
        Choices: [{ Not: { Variable: '$.onlyIfWriter', IsString: true }, Next: 'Notify WriterMoved' }],
        Default: 'Evaluate expected writer',
      },
      'Evaluate expected writer': {
        Type: 'Pass',
        Parameters: { 'holds.$': 'States.ArrayContains($.global.writers, $.onlyIfWriter)' },
        ResultPath: '$.expected',
        Next: 'Expected writer holds?',
      },
      'Expected writer holds?': {
        Type: 'Choice',
        Choices: [{ Variable: '$.expected.holds', BooleanEquals: true, Next: 'Evaluate' }],
        Default: 'Notify WriterMoved',
      },
      Evaluate: evaluate('Can promote?'),
      'Can promote?': {
        Type: 'Choice',
        Choices: [
          { Variable: '$.check.isMember', BooleanEquals: false, Next: 'Notify NotAMember' },
          { Variable: '$.check.isWriter', BooleanEquals: true, Next: 'Notify AlreadyWriter' },
          // A switchover or failover under way shows in the global cluster's Status (switching-over,
          // failing-over), as do modifications and upgrades: only `available` accepts a promotion.
          // (FailoverState is not read: a JSONPath filter on a nested field that is absent fails in
          // some interpreters, and Status already says it.)
          // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
          { Not: { Variable: '$.check.status', StringEquals: 'available' }, Next: 'Notify GlobalClusterBusy' },
          { Variable: '$.mode', StringEquals: 'failover', Next: 'Fail over' },
        ],
        Default: 'Switch over',
      },
      // SwitchoverGlobalCluster synchronizes every secondary first: no data loss.
      // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_SwitchoverGlobalCluster.html
      'Switch over': promote('switchoverGlobalCluster', {}),
      // FailoverGlobalCluster with AllowDataLoss is the failover (without it, a switchover):
      // writes not yet replicated to this Region are lost.
      // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_FailoverGlobalCluster.html
      'Fail over': promote('failoverGlobalCluster', { AllowDataLoss: true }),
      'Notify requested': notify(
        topicArn,
        subject('requested'),
        {
          path: `States.Format('Requested a {} to make ${target} the writer; waiting until it is the writer of an available global cluster.', $.mode)`,
        },
        'Start polling',
      ),
      'Start polling': { Type: 'Pass', Result: { count: 0 }, ResultPath: '$.poll', Next: 'Wait' },
      Wait: { Type: 'Wait', Seconds: pollSeconds, Next: 'Count poll' },
      'Count poll': {
        Type: 'Pass',
        Parameters: { 'count.$': 'States.MathAdd($.poll.count, 1)' },
        ResultPath: '$.poll',
        Next: 'Describe progress',
      },
      'Describe progress': describe('Evaluate progress', 'Notify PollFailed'),
      'Evaluate progress': evaluate('Promoted?'),
      'Promoted?': {
        Type: 'Choice',
        Choices: [
          {
            And: [
              { Variable: '$.check.isWriter', BooleanEquals: true },
              { Variable: '$.check.status', StringEquals: 'available' },
            ],
            Next: 'Notify succeeded',
          },
          { Variable: '$.poll.count', NumericGreaterThanEquals: maxPolls, Next: 'Notify Timeout' },
        ],
        Default: 'Wait',
      },
      'Notify succeeded': notify(
        topicArn,
        subject('succeeded'),
        { text: `Succeeded: ${target} is the writer, and the global cluster is available.` },
        'Succeeded',
      ),
      Succeeded: { Type: 'Succeed' },
      ...refusals,
      ...failure(
        'DescribeFailed',
        notify(topicArn, subject('failed (DescribeFailed)'), errorMessage('DescribeGlobalClusters failed'), 'DescribeFailed'),
      ),
      ...failure(
        'PromotionRefused',
        notify(topicArn, subject('failed (PromotionRefused)'), errorMessage('RDS refused the promotion'), 'PromotionRefused'),
      ),
      ...failure(
        'PromotionRequestFailed',
        notify(
          topicArn,
          subject('failed (PromotionRequestFailed)'),
          errorMessage('The promotion request failed'),
          'PromotionRequestFailed',
        ),
      ),
      ...failure(
        'PollFailed',
        notify(
          topicArn,
          subject('failed (PollFailed)'),
          errorMessage('Promotion requested, then DescribeGlobalClusters failed'),
          'PollFailed',
        ),
      ),
      ...failure(
        'Timeout',
        notify(
          topicArn,
          subject('failed (Timeout)'),
          {
            text: `Timeout: the promotion was requested, but after ${math.text(options.timeoutMinutes)} minutes ${target} is not the writer of an available global cluster. Check the global cluster's status and FailoverState.`,
          },
          'Timeout',
        ),
      ),
    },
  };
}

/** What the promote-database runbook of one Region may call, and on what. */
export interface PromoteDatabaseAccess {
  /** The Region the runbook runs in. */
  readonly region: string;
  /** The global cluster's ARN (global clusters have no Region in their ARN). */
  readonly globalClusterArn: string;
  /**
   * The member clusters a promotion may involve, as an ARN or an ARN pattern with `*`: the target
   * (this Region's cluster) and the writer it takes over from, wherever an earlier promotion left it.
   */
  readonly memberClusterArns: string;
  /** The alerts topic every step notifies. */
  readonly topicArn: string;
  /** The customer-managed key of the alerts topic. */
  readonly topicKeyArn: string;
}

/**
 * The IAM statements of the promote-database runbook: exactly the actions its tasks call.
 * DescribeGlobalClusters authorizes on the global cluster; SwitchoverGlobalCluster and
 * FailoverGlobalCluster on the global cluster and on DB clusters. The clusters are named by a
 * pattern, not listed, so adding a Region leaves the other Regions' runbooks unchanged.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html
 */
export function promoteDatabaseStatements(access: PromoteDatabaseAccess): DataAwsIamPolicyDocumentStatement[] {
  const { region, globalClusterArn, memberClusterArns, topicArn, topicKeyArn } = access;
  return [
    {
      sid: 'DescribeTheGlobalCluster',
      effect: 'Allow',
      actions: ['rds:DescribeGlobalClusters'],
      resources: [globalClusterArn],
    },
    {
      sid: 'PromoteThisRegionsCluster',
      effect: 'Allow',
      actions: ['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
      resources: [globalClusterArn, memberClusterArns],
    },
    { sid: 'NotifyTheAlertsTopic', effect: 'Allow', actions: ['sns:Publish'], resources: [topicArn] },
    // Publishing to a topic encrypted with a customer-managed key takes the key's GenerateDataKey
    // and Decrypt, through SNS only. The key policy delegates to IAM policies of the account, so
    // this statement is enough.
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse
    // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
    {
      sid: 'EncryptNotifications',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [topicKeyArn],
      condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`sns.${region}.amazonaws.com`] }],
    },
  ];
}
