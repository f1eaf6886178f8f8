/** Reading the function's environment variables (set by the spec layer; see constructs/spec/resolve-function.ts). */

/**
 * Returns the value of a required environment variable, e.g. `ORDER_QUEUE_URL`.
 * Called at module load, so a missing variable fails the Lambda init with a clear message
 * instead of failing every invocation later.
 */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`environment variable ${name} is not set; the spec layer sets it for every function that needs it`);
  }
  return value;
}

/** This function's service name (`POWERTOOLS_SERVICE_NAME`, e.g. `inventory-service`), used as the `producer` of its events. */
export function serviceName(): string {
  return process.env.POWERTOOLS_SERVICE_NAME ?? 'unknown-service';
}
