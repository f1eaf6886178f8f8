/** The CloudFormation renderer: the model's graphs → one template with an `Environment` parameter. */
export * from './cfn';
export { EnvironmentMerge, type ValuePlace } from './merge-environments';
export { CFN_RESOURCE_TYPES, cfnTags } from './resource-types';
export { ENVIRONMENT_PARAMETER, renderTemplate, type RenderOptions } from './render-template';
export { GENERATED_HEADER, templateToYaml } from './write-yaml';
export { buildMessagingTemplate, MESSAGING_TEMPLATE_FILE, type BuildTemplateOptions, type BuiltTemplate } from './messaging-template';
