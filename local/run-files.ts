/**
 * Where a local run keeps its files by default, relative to the folder it runs in: `npm start`
 * writes them and `npm run ops` finds the run through them.
 */
import path from 'node:path';

/** Where --persist keeps the servers' data (`sqs/` and `dynamodb/` inside). */
export const DEFAULT_DATA_DIR = path.join('.local', 'data');
/** The outputs file (every stack output, the endpoint and the region). */
export const DEFAULT_OUTPUTS_FILE = path.join('.local', 'outputs.json');
/** The shell file apps source. */
export const DEFAULT_ENV_FILE = path.join('.local', 'env');
/** One log file per function, and invocations.jsonl. */
export const DEFAULT_LOG_DIR = path.join('.local', 'logs');
