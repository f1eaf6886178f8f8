/**
 * The template validated offline against AWS's CloudFormation resource specification
 * (`@aws-cdk/aws-service-spec`): every resource type, property name, enum value and GetAtt attribute
 * known, value types right and required properties present in every environment; plus the
 * template-level limits CloudFormation enforces.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { environments } from '../../stacks/environments';
import { buildMessagingTemplate, MESSAGING_TEMPLATE_FILE, type BuiltTemplate, type CfnTemplate } from '../../templates/render';
import { evaluateTemplate } from '../support/cfn-evaluate';

const ENVIRONMENT_NAMES = Object.keys(environments);
import { checkEvaluatedValues, checkTemplateNames, packagedArtifacts, resourceSpecification } from '../support/aws-resource-spec';
import { variantEnvironments, variantTopology } from '../support/template-variant';

/** Evaluates with stand-ins for what only CloudFormation knows (they are strings, like the real values). */
function evaluate(template: CfnTemplate, environment: string) {
  return evaluateTemplate(template, {
    parameters: { Environment: environment },
    pseudoParameter: (name) => `pseudo:${name}`,
    resourceReference: (id, _resource, attribute) => `ref:${id}${attribute ? `.${attribute}` : ''}`,
  });
}

function problemsOf(template: CfnTemplate): string[] {
  return [...checkTemplateNames(template), ...ENVIRONMENT_NAMES.flatMap((env) => checkEvaluatedValues(evaluate(template, env), env))];
}

let reference: BuiltTemplate;
let variant: BuiltTemplate;
beforeAll(() => {
  resourceSpecification();
  reference = buildMessagingTemplate();
  variant = buildMessagingTemplate({ topology: variantTopology, environments: variantEnvironments });
});

describe.each([
  ['reference', () => reference],
  ['variant', () => variant],
] as const)('%s template against the AWS resource specification', (_, built) => {
  it('uses only known resource types, property names, enum values and attributes, with required properties set in every environment', () => {
    expect(problemsOf(built().template)).toEqual([]);
  });

  it('points every function Code at its bundle folder, relative to the template', () => {
    const artifacts = packagedArtifacts(built().template);
    expect(Object.keys(artifacts).sort()).toEqual(
      built()
        .graphs[0]!.pieces.functions.map((fn) => fn.nodes.function.id)
        .sort(),
    );
    for (const folder of Object.values(artifacts)) {
      expect(path.isAbsolute(folder)).toBe(false);
      expect(existsSync(path.join(path.dirname(MESSAGING_TEMPLATE_FILE), folder, 'index.mjs'))).toBe(true);
    }
  });

  it('stays within CloudFormation template limits', () => {
    const { template, yaml } = built();
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(500);
    expect(Object.keys(template.Outputs).length).toBeLessThanOrEqual(200);
    expect(Object.keys(template.Mappings).length).toBeLessThanOrEqual(200);
    // Templates over 51,200 bytes deploy from S3 (`--s3-bucket`); 1 MB is the hard limit.
    expect(Buffer.byteLength(yaml)).toBeLessThanOrEqual(1_000_000);
    for (const [name, mapping] of Object.entries(template.Mappings)) {
      expect(name).toMatch(/^[A-Za-z0-9]{1,255}$/);
      for (const [topLevelKey, values] of Object.entries(mapping)) {
        expect(topLevelKey).toMatch(/^[A-Za-z0-9.-]{1,255}$/);
        expect(Object.keys(values).length).toBeGreaterThanOrEqual(1);
        expect(Object.keys(values).length).toBeLessThanOrEqual(200);
        for (const [key, value] of Object.entries(values)) {
          expect(key).toMatch(/^[A-Za-z0-9]{1,255}$/);
          expect(['string', 'number', 'boolean']).toContain(typeof value);
        }
      }
    }
    for (const id of [...Object.keys(template.Resources), ...Object.keys(template.Outputs), ...Object.keys(template.Conditions)]) {
      expect(id).toMatch(/^[A-Za-z0-9]{1,255}$/);
    }
  });
});

describe('exports', () => {
  it.each(ENVIRONMENT_NAMES)('%s exports <Environment>-<Output> for every queue output, the alert topic, the idempotency table, the dashboard, the parameter path and the order-service function URL', (env) => {
    const { outputs } = evaluate(reference.template, env);
    const names = Object.entries(outputs).map(([id, output]) => [id, output.ExportName]);
    expect(names.length).toBe(27);
    for (const [id, exportName] of names) expect(exportName).toBe(`${env}-${id}`);
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['OrderQueueUrl', 'OrderQueueArn', 'OrderDlqUrl', 'OrderDlqArn', 'OrderSendPolicyArn', 'OrderConsumePolicyArn', 'AlertTopicArn', 'OrderServiceFunctionUrl', 'DashboardName', 'DashboardUrl', 'ParameterPath', 'EndpointsReadPolicyArn']),
    );
    expect(outputs.OrderServiceFunctionUrl!.Value).toBe('ref:OrderServiceFunctionUrl.FunctionUrl');
  });
});

describe('the validator finds real mistakes', () => {
  const mutated = (mutate: (template: any) => void): CfnTemplate => {
    const copy = structuredClone(reference.template) as any;
    mutate(copy);
    return copy;
  };

  it('an unknown resource type', () => {
    expect(problemsOf(mutated((t) => (t.Resources.OrderQueue.Type = 'AWS::SQS::Queues')))).toEqual(
      expect.arrayContaining([expect.stringContaining('unknown resource type AWS::SQS::Queues')]),
    );
  });

  it('a misspelt property, also inside an Fn::If branch and a nested type', () => {
    const problems = problemsOf(
      mutated((t) => {
        t.Resources.OrderQueue.Properties.VisibilityTimeoutSeconds = 60;
        t.Resources.OrderServiceFunction.Properties.TracingConfig.Modes = 'Active';
        t.Resources.OrderQueue.Properties.KmsMasterKeyId['Fn::If'][1] = { KeyArn: 'x' };
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('OrderQueue.Properties: unknown property VisibilityTimeoutSeconds'),
        expect.stringContaining('OrderServiceFunction.Properties.TracingConfig: unknown property Modes'),
        expect.stringContaining('OrderQueue.Properties.KmsMasterKeyId<true>: expected'),
      ]),
    );
  });

  it('an invalid enum value, a wrong type and a missing required property in one environment', () => {
    const problems = problemsOf(
      mutated((t) => {
        t.Mappings.OrderServiceFunction.production.TracingConfigMode = 'On';
        t.Mappings.OrderServiceLogGroup.staging.RetentionInDays = 8;
        t.Resources.OrderServiceFunctionUrl.Properties.AuthType = { 'Fn::If': ['IsProduction', 'AWS_IAM', { Ref: 'AWS::NoValue' }] };
        t.Resources.OrderQueue.Properties.DelaySeconds = 'soon';
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^production OrderServiceFunction\.Properties\.TracingConfig\.Mode: expected one of Active, PassThrough, got "On"/),
        expect.stringMatching(/^staging OrderServiceLogGroup\.Properties\.RetentionInDays: expected one of 1, 3, 5, 7, 14/),
        expect.stringMatching(/^development OrderServiceFunctionUrl\.Properties: required property AuthType is missing/),
        expect.stringMatching(/OrderQueue\.Properties\.DelaySeconds: expected an integer/),
      ]),
    );
    expect(problems.filter((p) => p.includes('AuthType is missing')).map((p) => p.split(' ')[0])).toEqual(['development', 'staging']);
  });

  it('an attribute the resource type does not have', () => {
    expect(problemsOf(mutated((t) => (t.Resources.OrderQueuePolicy.Properties.PolicyDocument.Statement[0].Resource['Fn::GetAtt'][1] = 'QueueArn')))).toEqual([
      expect.stringContaining('AWS::SQS::Queue has no attribute QueueArn'),
    ]);
  });
});
