/**
 * The committed template checked with cfn-guard against AWS Control Tower's proactive controls for
 * SQS, Lambda, IAM, CloudWatch (and KMS, since production creates a key), as shipped in
 * `@cdklabs/cdk-validator-cfnguard` (see test/support/cfn-guard.ts for how it is obtained).
 *
 * Control Tower evaluates proactive controls as CloudFormation hooks, on each resource's properties
 * after CloudFormation resolved parameters, mappings and conditions. The test does the same: the
 * template is evaluated for each environment (Fn::If, Fn::FindInMap, Fn::Sub resolved; references to
 * other resources kept as Ref / Fn::GetAtt, which the rules understand) and each environment is one
 * cfn-guard document. A rule is either met or listed below with the reason; any other finding, and
 * any listed exception that no longer occurs, fails the test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { resolveEnvironments, type EnvironmentName, type ResolvedEnvironment } from '../../model';
import { environments } from '../../stacks/environments';
import { topology } from '../../stacks/topology';
import { MESSAGING_TEMPLATE_FILE, type CfnTemplate, type CfnValue } from '../../templates/render';
import { evaluateTemplate, type EvaluatedResource } from '../support/cfn-evaluate';
import { cfnGuard, ruleFolders, runCfnGuard, type GuardFinding, type GuardReport } from '../support/cfn-guard';

/** The reference profiles. */
const ENVIRONMENT_NAMES = Object.keys(environments);

/** Control Tower rule folders for the services the template uses. */
const RULE_FOLDERS = ['sqs', 'lambda', 'identityandaccessmanagement', 'cloudwatch', 'keymanagementservice', 'dynamodb'];

interface NotMet {
  readonly control: string;
  readonly resourceType: string;
  /** Where the exception applies: the finding is expected exactly for these resources. */
  readonly when: (spec: ResolvedEnvironment, resource: EvaluatedResource) => boolean;
  readonly reason: string;
}

/** Rules deliberately not met. Keep this list short; prefer meeting a rule. */
const NOT_MET: readonly NotMet[] = [
  {
    control: 'CT.LAMBDA.PR.3',
    resourceType: 'AWS::Lambda::Function',
    when: () => true,
    reason:
      'Lambda in a customer VPC: the functions only call AWS public endpoints (SQS, CloudWatch Logs, X-Ray) with IAM auth and ' +
      'reach no private resource; a VPC would add NAT or interface endpoints per environment and cold-start cost for no isolation gain. ' +
      'The design (DESIGN §1-§4) has no VPC, and the Terraform stacks deploy the same functions without one.',
  },
  {
    control: 'CT.CLOUDWATCH.PR.2',
    resourceType: 'AWS::Logs::LogGroup',
    when: (_, resource) => Number(resource.Properties.RetentionInDays) < 365,
    reason:
      'Log groups kept at least 365 days: function logs are operational, kept per environment (development 7, staging 14, production 90 days, ' +
      'stacks/environments.ts) to bound cost; audit trails live in CloudTrail. Raise logRetentionDays in a profile to meet it.',
  },
  {
    control: 'CT.CLOUDWATCH.PR.3',
    resourceType: 'AWS::Logs::LogGroup',
    when: (spec, resource) => spec.functions.find((fn) => fn.logGroupName === resource.Properties.LogGroupName)?.logEncryption !== 'environment-key',
    reason:
      'Log groups encrypted with a customer-managed KMS key: met where the environment creates its KMS key (production). Development and ' +
      'staging use SQS-managed SSE and have no key; creating one only for logs costs a key per environment and adds key-policy upkeep, ' +
      'while CloudWatch Logs already encrypts at rest with its own key. Set encryption: { type: "kms" } in a profile to meet it there.',
  },
  {
    control: 'CT.DYNAMODB.PR.1',
    resourceType: 'AWS::DynamoDB::Table',
    when: (spec) => spec.idempotencyTable?.pointInTimeRecovery === false,
    reason:
      'Point-in-time recovery of the idempotency table: on in production (idempotency.pointInTimeRecovery in its profile). Elsewhere the ' +
      'table holds only records of handled events that expire within days; losing them means a later duplicate is handled again, ' +
      'not data loss, so continuous backups are not worth their cost there. Set idempotency: { pointInTimeRecovery: true } to meet it.',
  },
  {
    control: 'CT.CLOUDWATCH.PR.4',
    resourceType: 'AWS::CloudWatch::Alarm',
    when: (spec) => !spec.alerts.actionsEnabled,
    reason: 'Alarm actions enabled: development alarms exist so they can be seen and tested, but deliberately notify nobody (alerts.actionsEnabled: false).',
  },
];

let specs: Map<EnvironmentName, ResolvedEnvironment>;
let documents: Record<string, { AWSTemplateFormatVersion: string; Resources: Record<string, EvaluatedResource> }>;
let report: GuardReport;

/** The template as a CloudFormation hook sees it in one environment. */
function guardDocument(template: CfnTemplate, environment: string) {
  const evaluated = evaluateTemplate(template, {
    parameters: { Environment: environment },
    pseudoParameter: (name) => `{{${name}}}`,
    resourceReference: (id, _resource, attribute): CfnValue => (attribute ? { 'Fn::GetAtt': [id, attribute] } : { Ref: id }),
    resourceReferenceInText: (id, _resource, attribute) => `{{${id}${attribute ? `.${attribute}` : ''}}}`,
  });
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: { ...evaluated.resources } };
}

beforeAll(() => {
  cfnGuard(); // fetched and unpacked on first use (a few seconds), then reused from .build/tools
  specs = new Map(resolveEnvironments(topology, environments).map((spec) => [spec.environment, spec]));
  const template = parse(readFileSync(MESSAGING_TEMPLATE_FILE, 'utf8'), { version: '1.1' }) as CfnTemplate;
  documents = Object.fromEntries(ENVIRONMENT_NAMES.map((env) => [env, guardDocument(template, env)]));

  // A copy of production with five deliberate violations, run in the same cfn-guard call.
  const broken = structuredClone(documents.production!) as any;
  delete broken.Resources.OrderQueue.Properties.KmsMasterKeyId;
  broken.Resources.OrderServiceFunctionUrl.Properties.AuthType = 'NONE';
  broken.Resources.OrderSendPolicy.Properties.PolicyDocument.Statement[0].Action = 'sqs:*';
  const keyPolicy = broken.Resources.EncryptionKey.Properties.KeyPolicy;
  keyPolicy.Statement = keyPolicy.Statement.filter((statement: { Effect: string }) => statement.Effect !== 'Deny');
  delete broken.Resources.InventoryServiceLogGroup.Properties.KmsKeyId;
  report = runCfnGuard(RULE_FOLDERS, { ...documents, 'production-with-violations': broken });
}, 120_000);

const key = (f: Pick<GuardFinding, 'control' | 'resource'>) => `${f.control} ${f.resource}`;

describe('cfn-guard with the Control Tower proactive rules', () => {
  it('has rules for SQS, Lambda, IAM, CloudWatch (alarms and log groups), KMS and DynamoDB; the pinned package ships none for SNS, SSM or dashboards', () => {
    const folders = ruleFolders();
    expect(folders).toEqual(expect.arrayContaining(RULE_FOLDERS));
    // If a later package version adds SNS or SSM controls, add their folder to RULE_FOLDERS.
    expect(folders.filter((folder) => /^(sns|simplenotification|ssm|systemsmanager)/i.test(folder))).toEqual([]);
    const cloudwatch = readdirSync(path.join(cfnGuard().rulesDirectory, 'cloudwatch')).map((file) => readFileSync(path.join(cfnGuard().rulesDirectory, 'cloudwatch', file), 'utf8'));
    expect(cloudwatch.filter((rule) => rule.includes('AWS::CloudWatch::Dashboard'))).toEqual([]);
  });

  it.each(ENVIRONMENT_NAMES)('%s: every finding is a listed exception, and every listed exception still occurs', (env) => {
    const spec = specs.get(env)!;
    const expected = NOT_MET.flatMap((rule) =>
      Object.entries(documents[env]!.Resources)
        .filter(([, resource]) => resource.Type === rule.resourceType && rule.when(spec, resource))
        .map(([id]) => key({ control: rule.control, resource: id })),
    ).sort();
    const actual = report.findings.filter((finding) => finding.document === env).map(key).sort();
    expect(actual).toEqual(expected);
  });

  it('evaluated the SQS, Lambda, IAM, CloudWatch and DynamoDB rules that apply, and they passed', () => {
    for (const env of ENVIRONMENT_NAMES) {
      expect(report.compliant[env]).toEqual(
        expect.arrayContaining([
          'sqs_dlq_check',
          'sqs_queue_encrypted_check',
          'lambda_function_url_auth_check',
          'cloudwatch_alarm_action_check',
          'iam_inline_policy_no_statements_with_admin_access_check',
          'iam_inline_policy_no_statements_with_full_access_check',
          'iam_managed_policy_no_statements_with_admin_access_check',
          'iam_managed_policy_no_statements_with_full_access_check',
          'dynamodb_table_encrypted_kms_check',
        ]),
      );
    }
    expect(report.compliant.production).toContain('dynamodb_table_pitr_enabled_check');
    expect(report.compliant.production).toEqual(
      expect.arrayContaining(['kms_key_rotation_enabled_check', 'kms_create_grant_aws_service_check', 'cloudwatch_log_group_encrypted_check']),
    );
    expect(report.compliant.development).not.toContain('kms_key_rotation_enabled_check');
  });

  it('reports violations: a queue without encryption, a public function URL, a service-wide action, a key allowing any grant, an unencrypted log group', () => {
    const findings = report.findings.filter((finding) => finding.document === 'production-with-violations').map(key);
    const baseline = report.findings.filter((finding) => finding.document === 'production').map(key);
    expect(findings.filter((finding) => !baseline.includes(finding)).sort()).toEqual(
      [
        'CT.IAM.PR.3 OrderSendPolicy',
        'CT.LAMBDA.PR.5 OrderServiceFunctionUrl',
        'CT.SQS.PR.2 OrderQueue',
        'CT.KMS.PR.3 EncryptionKey',
        'CT.CLOUDWATCH.PR.3 InventoryServiceLogGroup',
      ].sort(),
    );
  });

  it('meets the KMS grant rule everywhere, and the log-group encryption rule wherever the environment has a key', () => {
    expect(report.findings.filter((finding) => finding.control === 'CT.KMS.PR.3').map((finding) => finding.document)).toEqual(['production-with-violations']);
    const unencrypted = new Set(report.findings.filter((f) => f.control === 'CT.CLOUDWATCH.PR.3' && f.document !== 'production-with-violations').map((f) => f.document));
    expect([...unencrypted].sort()).toEqual(['development', 'staging']);
  });

  it('lists each exception with its reason', () => {
    for (const rule of NOT_MET) expect(rule.reason.length).toBeGreaterThan(40);
  });
});
