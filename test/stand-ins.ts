/**
 * Local stand-ins for a state Region: `s3rver` for the state bucket and `dynalite` for the lock
 * table, on free loopback ports, started and stopped by the tests that use them.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TerraformJson } from '../src/terraform/offline';

/* eslint-disable @typescript-eslint/no-require-imports -- neither server ships type declarations */
const S3rver = require('s3rver') as new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => { run(): Promise<AddressInfo>; close(): Promise<void> };
const dynalite = require('dynalite') as (options: { createTableMs: number }) => http.Server;
/* eslint-enable @typescript-eslint/no-require-imports */

/** s3rver accepts only its own key pair. */
export const S3RVER_KEY = 'S3RVER';

/** One state Region's stand-ins: the bucket (files under `directory`) and the lock table. */
export interface StateRegion {
  readonly bucket: string;
  readonly directory: string;
  readonly endpoints: { readonly s3: string; readonly dynamodb: string };
  stop(): Promise<void>;
}

/** A DynamoDB API call to dynalite, which checks that a request is signed but not the signature. */
export function dynamodbCall(endpoint: string, action: string, body: object): Promise<TerraformJson> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${endpoint}/`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${action}`,
          'X-Amz-Date': '20260101T000000Z',
          Authorization: `AWS4-HMAC-SHA256 Credential=${S3RVER_KEY}/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
        },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () =>
          response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${action}: ${response.statusCode} ${text}`)),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

export async function startStateRegion(bucket: string, lockTable: string, directory: string): Promise<StateRegion> {
  const table = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => table.listen(0, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve())));
  const dynamodb = `http://127.0.0.1:${(table.address() as AddressInfo).port}`;
  // The lock table as the state stack creates it: a LockID string hash key.
  await dynamodbCall(dynamodb, 'CreateTable', {
    TableName: lockTable,
    AttributeDefinitions: [{ AttributeName: 'LockID', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'LockID', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  const s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await s3.run();
  return {
    bucket,
    directory,
    endpoints: { s3: `http://127.0.0.1:${port}`, dynamodb },
    stop: async () => {
      await s3.close();
      await new Promise<void>((resolve) => table.close(() => resolve()));
    },
  };
}
