import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { Construct } from 'constructs';

/** The deploying account and partition, read from the provider: nothing is hard-coded. */
export class AwsAccount extends Construct {
  readonly accountId: string;
  readonly partition: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
  }

  /** `arn:<partition>:iam::<account>:root`, the account as a principal. */
  get rootPrincipalArn(): string {
    return `arn:${this.partition}:iam::${this.accountId}:root`;
  }
}
