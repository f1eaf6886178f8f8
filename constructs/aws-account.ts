import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Construct } from 'constructs';
import { ACCOUNT_ROOT_ARN, fillAccountTemplate, type AccountValues } from './spec';

/** The deploying account, partition and region, read from the provider: nothing is hard-coded. */
export class AwsAccount extends Construct implements AccountValues {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
    // `region`, not the deprecated `name` (AWS provider 6).
    this.region = new DataAwsRegion(this, 'region').region;
  }

  /** An account template of `spec/arns.ts` (`arn:${AWS::Partition}:…`) with this account's values. */
  fill(template: string): string {
    return fillAccountTemplate(template, this);
  }

  /** `arn:<partition>:iam::<account>:root`, the account as a principal. */
  get rootPrincipalArn(): string {
    return this.fill(ACCOUNT_ROOT_ARN);
  }
}
