/**
 * The AWS Regions of the commercial partition (`aws`) that the generator supports.
 *
 * `defaultAzLetters` are the Availability Zone suffixes used when a Region's `azs` are not
 * configured. Most Regions offer `a`, `b` and `c` to every account; the exceptions below do not,
 * and `us-west-1` maps its zone names differently per account, so it must be configured.
 */
export interface AwsRegionInfo {
  /** Display name, used in docs and error messages. */
  readonly name: string;
  /** AZ suffixes offered to every account, or `undefined` where names differ per account. */
  readonly defaultAzLetters: readonly string[] | undefined;
}

const ABC = ['a', 'b', 'c'] as const;

export const AWS_REGIONS: Readonly<Record<string, AwsRegionInfo>> = Object.freeze({
  'us-east-1': { name: 'US East (N. Virginia)', defaultAzLetters: ABC },
  'us-east-2': { name: 'US East (Ohio)', defaultAzLetters: ABC },
  'us-west-1': { name: 'US West (N. California)', defaultAzLetters: undefined },
  'us-west-2': { name: 'US West (Oregon)', defaultAzLetters: ABC },
  'af-south-1': { name: 'Africa (Cape Town)', defaultAzLetters: ABC },
  'ap-east-1': { name: 'Asia Pacific (Hong Kong)', defaultAzLetters: ABC },
  'ap-east-2': { name: 'Asia Pacific (Taipei)', defaultAzLetters: ABC },
  'ap-south-1': { name: 'Asia Pacific (Mumbai)', defaultAzLetters: ABC },
  'ap-south-2': { name: 'Asia Pacific (Hyderabad)', defaultAzLetters: ABC },
  'ap-southeast-1': { name: 'Asia Pacific (Singapore)', defaultAzLetters: ABC },
  'ap-southeast-2': { name: 'Asia Pacific (Sydney)', defaultAzLetters: ABC },
  'ap-southeast-3': { name: 'Asia Pacific (Jakarta)', defaultAzLetters: ABC },
  'ap-southeast-4': { name: 'Asia Pacific (Melbourne)', defaultAzLetters: ABC },
  'ap-southeast-5': { name: 'Asia Pacific (Malaysia)', defaultAzLetters: ABC },
  'ap-southeast-6': { name: 'Asia Pacific (New Zealand)', defaultAzLetters: ABC },
  'ap-southeast-7': { name: 'Asia Pacific (Thailand)', defaultAzLetters: ABC },
  'ap-northeast-1': { name: 'Asia Pacific (Tokyo)', defaultAzLetters: ['a', 'c', 'd'] },
  'ap-northeast-2': { name: 'Asia Pacific (Seoul)', defaultAzLetters: ABC },
  'ap-northeast-3': { name: 'Asia Pacific (Osaka)', defaultAzLetters: ABC },
  'ca-central-1': { name: 'Canada (Central)', defaultAzLetters: ['a', 'b', 'd'] },
  'ca-west-1': { name: 'Canada West (Calgary)', defaultAzLetters: ABC },
  'eu-central-1': { name: 'Europe (Frankfurt)', defaultAzLetters: ABC },
  'eu-central-2': { name: 'Europe (Zurich)', defaultAzLetters: ABC },
  'eu-west-1': { name: 'Europe (Ireland)', defaultAzLetters: ABC },
  'eu-west-2': { name: 'Europe (London)', defaultAzLetters: ABC },
  'eu-west-3': { name: 'Europe (Paris)', defaultAzLetters: ABC },
  'eu-south-1': { name: 'Europe (Milan)', defaultAzLetters: ABC },
  'eu-south-2': { name: 'Europe (Spain)', defaultAzLetters: ABC },
  'eu-north-1': { name: 'Europe (Stockholm)', defaultAzLetters: ABC },
  'il-central-1': { name: 'Israel (Tel Aviv)', defaultAzLetters: ABC },
  'me-south-1': { name: 'Middle East (Bahrain)', defaultAzLetters: ABC },
  'me-central-1': { name: 'Middle East (UAE)', defaultAzLetters: ABC },
  'mx-central-1': { name: 'Mexico (Central)', defaultAzLetters: ABC },
  'sa-east-1': { name: 'South America (Sao Paulo)', defaultAzLetters: ABC },
});

export const AWS_REGION_CODES: readonly string[] = Object.freeze(Object.keys(AWS_REGIONS));
