/** The CloudFormation renderer: resolved spec → one template with an `Environment` parameter. */
export * from './cfn';
export { EnvironmentValues, type ConditionRef, type PerEnvironment, type Scalar } from './per-environment';
export {
  ENVIRONMENT_PARAMETER,
  logicalIds,
  renderMessagingTemplate,
  type RenderOptions,
} from './render-messaging';
export { GENERATED_HEADER, templateToYaml } from './write-yaml';
export { buildMessagingTemplate, MESSAGING_TEMPLATE_FILE, type BuildTemplateOptions, type BuiltTemplate } from './messaging-template';
export { evaluateTemplate, type EvaluatedOutput, type EvaluatedResource, type EvaluatedTemplate, type EvaluationContext } from './evaluate';
