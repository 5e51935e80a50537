import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The environment variable that points the AWS provider's Step Functions client at another
 * endpoint (the AWS SDK's service-specific endpoint variables, which the provider honours).
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/custom-service-endpoints
 */
export const SFN_ENDPOINT_ENV_VAR = 'AWS_ENDPOINT_URL_SFN';

/** A running stand-in for the Step Functions API, on loopback. */
export interface SfnStandIn {
  /** Its URL, for `AWS_ENDPOINT_URL_SFN`. */
  readonly url: string;
  /** How many definitions it was asked to validate. */
  validations(): number;
  close(): Promise<void>;
}

interface Diagnostic {
  readonly severity: 'ERROR';
  readonly code: string;
  readonly message: string;
}

/**
 * What the stand-in finds wrong with a definition: not JSON, or no `StartAt` among its `States`.
 * The Amazon States Language itself is checked by the tests (asl-validator), not here.
 */
function problems(definition: unknown): Diagnostic[] {
  let parsed: { StartAt?: unknown; States?: Record<string, unknown> };
  try {
    parsed = JSON.parse(String(definition)) as typeof parsed;
  } catch (error) {
    return [{ severity: 'ERROR', code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message }];
  }
  if (typeof parsed.StartAt !== 'string' || !parsed.States || !(parsed.StartAt in parsed.States)) {
    return [{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'StartAt does not name a state of States' }];
  }
  return [];
}

/**
 * Starts a stand-in for the one Step Functions call an offline plan makes. Since hashicorp/aws
 * 5.67, planning an `aws_sfn_state_machine` whose definition is known calls
 * ValidateStateMachineDefinition (https://github.com/hashicorp/terraform-provider-aws/pull/39229):
 * a plan against prior state, where every ARN in a definition is known, would otherwise need AWS.
 * It answers that call (AWS JSON 1.0 protocol) and refuses any other, so a plan that needs more of
 * the Step Functions API fails loudly.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinition.html
 */
export async function startSfnStandIn(): Promise<SfnStandIn> {
  let validations = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const target = String(request.headers['x-amz-target'] ?? '');
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify(body));
      };
      if (target !== 'AWSStepFunctions.ValidateStateMachineDefinition') {
        reply(400, { __type: 'UnknownOperationException', message: `the offline Step Functions stand-in answers no ${target || 'call'}` });
        return;
      }
      validations += 1;
      let body: { definition?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as typeof body;
      } catch {
        reply(400, { __type: 'ValidationException', message: 'the request body is not JSON' });
        return;
      }
      const found = problems(body.definition);
      reply(200, { result: found.length === 0 ? 'OK' : 'FAIL', diagnostics: found, truncated: false });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    validations: () => validations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
