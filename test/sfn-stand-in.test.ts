import { startSfnStandIn } from '../src/terraform/sfn-stand-in';

async function call(url: string, target: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

describe('the offline Step Functions stand-in', () => {
  it('answers ValidateStateMachineDefinition, finds a definition that is not JSON or starts nowhere, and refuses other calls', async () => {
    const sfn = await startSfnStandIn();
    try {
      const validate = (definition: string) =>
        call(sfn.url, 'AWSStepFunctions.ValidateStateMachineDefinition', { definition, type: 'STANDARD' });
      expect(await validate(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Succeed' } } }))).toEqual({
        status: 200,
        body: { result: 'OK', diagnostics: [], truncated: false },
      });
      expect((await validate('{not json')).body).toMatchObject({ result: 'FAIL', diagnostics: [{ code: 'INVALID_JSON_DESCRIPTION' }] });
      expect((await validate(JSON.stringify({ StartAt: 'B', States: { A: { Type: 'Succeed' } } }))).body).toMatchObject({
        result: 'FAIL',
        diagnostics: [{ code: 'SCHEMA_VALIDATION_FAILED' }],
      });
      expect(sfn.validations()).toBe(3);
      const other = await call(sfn.url, 'AWSStepFunctions.DescribeStateMachine', {});
      expect(other).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    } finally {
      await sfn.close();
    }
  });
});
