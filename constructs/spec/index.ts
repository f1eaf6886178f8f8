/** The spec layer: typed description → resolved, validated spec. Pure TypeScript, no cdktf. */
export * from './types';
export * from './defaults';
export * from './limits';
export * from './naming';
export { formatWarning, SpecValidationError } from './problems';
export { resolveEnvironment, resolveEnvironments, distinctWarnings, isEnvironmentName } from './resolve-environment';
export { resolveQueueSpec, type StandaloneQueueOptions } from './resolve-queue-spec';
export * from './access';
export * from './arns';
export * from './descriptions';
export * from './policies';
export * from './outputs';
