import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';

/**
 * The AWS provider of a stack. Region and credentials come from the provider chain (AWS_REGION,
 * profiles, assumed roles) unless a region is given; nothing is hard-coded.
 */
export function addAwsProvider(scope: Construct, region?: string): AwsProvider {
  return new AwsProvider(scope, 'aws', region ? { region } : {});
}
