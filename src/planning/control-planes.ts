/**
 * Where the control planes of the global services this project uses run. Data planes (answering DNS,
 * forwarding through an accelerator) are spread over the world; changes go through one Region.
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
 */
export const GLOBAL_SERVICES_REFERENCE =
  'https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html';

/** The Global Accelerator API (endpoint groups, traffic dials) is only in us-west-2. */
export const GLOBAL_ACCELERATOR_CONTROL_PLANE = 'us-west-2';

/** Route 53 changes (records, health checks) go through its control plane in us-east-1. */
export const ROUTE53_CONTROL_PLANE = 'us-east-1';
