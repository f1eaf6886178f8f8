/**
 * The outputs of a deployed CloudFormation stack (templates/messaging.yaml), read with
 * DescribeStacks; the environment is the stack's `Environment` parameter.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ENVIRONMENT_PARAMETER } from '../model/naming';
import { UsageError } from './exit-codes';
import { errorCode } from './sqs-error-code';

export interface StackOutputs {
  readonly environment: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export async function readStackOutputs(client: CloudFormationClient, stackName: string): Promise<StackOutputs> {
  let stack;
  try {
    stack = (await client.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  } catch (error) {
    // CloudFormation answers an unknown stack with ValidationError "Stack with id <name> does not exist".
    if (errorCode(error) === 'ValidationError') {
      throw new UsageError(`--stack "${stackName}": ${(error as Error).message}; check the stack name and the region (AWS_REGION or your profile's)`);
    }
    throw error;
  }
  if (!stack) throw new UsageError(`--stack "${stackName}": CloudFormation returned no stack of that name`);
  const outputs = Object.fromEntries((stack.Outputs ?? []).flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [])));
  const environment = stack.Parameters?.find((parameter) => parameter.ParameterKey === ENVIRONMENT_PARAMETER)?.ParameterValue;
  if (!environment) throw new UsageError(`--stack "${stackName}" has no ${ENVIRONMENT_PARAMETER} parameter: is it a stack of templates/messaging.yaml?`);
  return { environment, outputs };
}
