/** The message contract: the committed JSON Schema is what the zod schemas generate, and it says what producers need. */
import { readFileSync } from 'node:fs';
import { CONTRACT_SCHEMA_FILE, contractSchemaText } from '../../contract/generate';
import { EVENTS, messageContractJsonSchema } from '../../contract/message-contract';

test('contract/order-events.schema.json is up to date (npm run contract regenerates it)', () => {
  expect(readFileSync(CONTRACT_SCHEMA_FILE, 'utf8')).toBe(contractSchemaText());
});

test('the schema names every event, its envelope fields, its queue and the message attributes', () => {
  const schema = messageContractJsonSchema() as { $defs: Record<string, { required: string[]; properties: Record<string, { const?: unknown }> }>; 'x-sqs': Record<string, Record<string, unknown>> };
  expect(Object.keys(schema.$defs)).toEqual(Object.keys(EVENTS));
  for (const [type, definition] of Object.entries(schema.$defs)) {
    expect(definition.required).toEqual(['type', 'version', 'eventId', 'occurredAt', 'producer', 'data']);
    expect(definition.properties.type!.const).toBe(type);
    expect(definition.properties.version!.const).toBe(1);
  }
  expect(schema['x-sqs'].events).toMatchObject({ OrderCreated: { queue: 'order', consumer: 'inventory-service' } });
  expect(Object.keys(schema['x-sqs'].messageAttributes!)).toEqual(['correlationId', 'eventType']);
});
