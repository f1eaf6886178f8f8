/**
 * ARNs and service principals that depend on the deploying partition, region and account, written
 * once as templates with `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}` placeholders.
 * The CloudFormation renderer hands a template to `Fn::Sub` as it is (the placeholders are its
 * pseudo parameters); the cdktf constructs fill it with the provider's data sources through
 * {@link fillAccountTemplate}. Either way nothing account- or region-specific is hard-coded (DESIGN §4).
 */

/** The deploying account as a principal: its IAM policies then govern use of a resource. */
export const ACCOUNT_ROOT_ARN = 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root';

/** CloudWatch Logs of the deploying region: a key policy must name the regional principal. */
export const LOGS_SERVICE_PRINCIPAL = 'logs.${AWS::Region}.amazonaws.com';

/** Every log group of the account in the region (what a key may encrypt for CloudWatch Logs). */
export const ACCOUNT_LOG_GROUPS_ARN = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*';

/** What fills the placeholders: literal values, or a renderer's references (Terraform tokens). */
export interface AccountValues {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Replaces the placeholders of an account template; throws on any other `${…}`. */
export function fillAccountTemplate(template: string, values: AccountValues): string {
  const byName: Readonly<Record<string, string>> = {
    'AWS::Partition': values.partition,
    'AWS::Region': values.region,
    'AWS::AccountId': values.accountId,
  };
  return template.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    const value = byName[name];
    if (value === undefined) throw new Error(`unknown placeholder ${whole} in ${template}`);
    return value;
  });
}
