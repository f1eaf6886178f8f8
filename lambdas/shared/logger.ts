/**
 * The function's structured JSON logger: one Powertools Logger per execution environment.
 * Configured by environment variables set by the spec layer: `POWERTOOLS_SERVICE_NAME` (the
 * `service` key), `POWERTOOLS_LOG_LEVEL` (default INFO) and `ENVIRONMENT` (the `environment` key).
 * Our own keys are camelCase (`correlationId`, `messageId`, `orderId`) and match the SQS
 * message attribute names, so one query finds a request across services.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger();
