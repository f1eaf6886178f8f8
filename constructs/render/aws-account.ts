import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { fillAccountString, type AccountString, type AccountValues } from '../../model';

const ID = 'aws-account';

/**
 * The deploying account, partition and region, read from the provider's data sources: nothing is
 * hard-coded. One per stack, created the first time a graph value needs it.
 */
export class AwsAccount extends Construct implements AccountValues {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;

  /** The stack's account (created on first use). */
  static of(scope: Construct): AwsAccount {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(ID) as AwsAccount | undefined) ?? new AwsAccount(stack, ID);
  }

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'caller').accountId;
    this.partition = new DataAwsPartition(this, 'partition').partition;
    // `region`, not the deprecated `name` (AWS provider 6).
    this.region = new DataAwsRegion(this, 'region').region;
  }

  /** An account string of the graph (`arn:${AWS::Partition}:…`) with this account's values. */
  fill(value: AccountString): string {
    return fillAccountString(value, this);
  }
}
