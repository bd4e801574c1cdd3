/**
 * The input of each agent tool: one zod schema per tool is the source of the JSON schema VS Code
 * and MCP clients show the model (package.json's `inputSchema` is checked against it by a unit
 * test) and of the validation every call goes through, with errors in plain words.
 */
import * as z from 'zod/mini';
import { MAX_ITEMS, MAX_MAX_BYTES, MIN_MAX_BYTES } from './output';

// zod/mini: the same schemas and checks as zod, tree-shaken to a few kilobytes (zod's classic API
// would add 450 KB to the tools' bundle).
const str = (min: number, max: number, description: string) => z.string().check(z.minLength(min), z.maxLength(max), z.describe(description));
const int = (min: number, max: number, description: string) => z.number().check(z.int(), z.minimum(min), z.maximum(max), z.describe(description));
const num = (min: number, max: number, description: string) => z.number().check(z.minimum(min), z.maximum(max), z.describe(description));
const opt = z.optional;

const broker = str(1, 200, 'The broker, by the name listBrokers shows (or its id).');
const maxBytes = opt(int(MIN_MAX_BYTES, MAX_MAX_BYTES, `Most bytes of text to return (default 8192, at most ${MAX_MAX_BYTES}).`));
const maxItems = opt(int(1, MAX_ITEMS, `Most items to list (default and at most ${MAX_ITEMS}).`));
const maxPayloadBytes = opt(int(16, MAX_MAX_BYTES, 'Most bytes shown of each payload (default 1024).'));
const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));

export const SCHEMAS = {
  listBrokers: z.strictObject({
    kind: opt(described(z.enum(['mqtt', 'amqp']), 'Only MQTT or only AMQP (RabbitMQ) brokers.')),
    maxBytes,
  }),
  listTopics: z.strictObject({
    broker,
    filter: opt(str(1, 1024, 'MQTT topic filter, e.g. "sensors/#" or "+/status" (default "#").')),
    depth: opt(int(1, 64, 'Group topics by their first N levels, with counts per group.')),
    waitSeconds: opt(num(0, 10, 'When the broker has to be connected first: how long to collect retained messages (default 1).')),
    maxItems,
    maxBytes,
  }),
  readMessages: z.strictObject({
    broker,
    filter: str(1, 1024, 'MQTT topic or filter, e.g. "weather/#".'),
    count: opt(int(1, MAX_ITEMS, 'Most messages to return, newest last (default 10).')),
    liveSeconds: opt(num(0, 30, '0 (default): the messages already received. More: subscribe and wait up to this many seconds for new messages (stops early at count).')),
    maxPayloadBytes,
    maxBytes,
  }),
  listAmqp: z.strictObject({
    broker,
    vhost: opt(str(1, 200, 'Only this virtual host.')),
    include: opt(described(z.array(z.enum(['exchanges', 'queues', 'bindings'])).check(z.minLength(1)), 'What to list (default all three).')),
    queueFilter: opt(str(1, 200, 'A regular expression on queue names.')),
    maxItems,
    maxBytes,
  }),
  lintMosquittoConf: z.strictObject({
    path: opt(str(1, 4096, 'A mosquitto.conf file (relative to the workspace folder or absolute).')),
    text: opt(str(0, 1024 * 1024, 'mosquitto.conf text to check, instead of a file.')),
    maxItems,
    maxBytes,
  }),
  explainConnectionState: z.strictObject({
    broker,
    logLines: opt(int(0, 50, 'Recent log lines about this broker to include (default 20).')),
    maxBytes,
  }),
  publish: z.strictObject({
    broker,
    topic: opt(str(1, 65535, 'MQTT: the topic (no wildcards).')),
    exchange: opt(str(0, 255, 'AMQP: the exchange ("" is the default exchange, which routes by queue name).')),
    routingKey: opt(str(0, 255, 'AMQP: the routing key (default "").')),
    payload: str(0, 1024 * 1024, 'The message body, as text (or base64 / hex, see format).'),
    format: opt(described(z.enum(['text', 'json', 'base64', 'hex']), 'How payload is written (default text; json is checked before sending).')),
    qos: opt(described(z.union([z.literal(0), z.literal(1), z.literal(2)]), 'MQTT QoS (default 0).')),
    retain: opt(described(z.boolean(), 'MQTT: keep it as the retained message of the topic (default false).')),
    contentType: opt(str(0, 255, 'MQTT 5 content type / AMQP content_type.')),
    userProperties: opt(described(z.record(z.string(), z.string()), 'MQTT 5 user properties.')),
    headers: opt(described(z.record(z.string(), z.string()), 'AMQP headers.')),
    persistent: opt(described(z.boolean(), 'AMQP: delivery mode 2 (persistent).')),
    mandatory: opt(described(z.boolean(), 'AMQP: report when no queue takes it (default true).')),
    messageId: opt(str(0, 255, 'AMQP message_id.')),
    correlationId: opt(str(0, 255, 'AMQP correlation_id.')),
    replyTo: opt(str(0, 255, 'AMQP reply_to.')),
  }),
  peekQueue: z.strictObject({
    broker,
    queue: str(1, 255, 'The queue name.'),
    vhost: opt(str(1, 200, "The queue's virtual host (default: the broker's).")),
    count: opt(int(1, 50, 'How many messages (default 5).')),
    maxPayloadBytes,
    maxBytes,
  }),
  deleteRetained: z.strictObject({
    broker,
    filter: str(1, 1024, 'A topic, or a filter such as "sensors/#": every retained message seen on matching topics is deleted.'),
    maxTopics: opt(int(1, 1000, 'Refuse when more topics than this match (default 100).')),
  }),
} as const;

export type ToolName = keyof typeof SCHEMAS;
export type ToolInput<N extends ToolName> = z.output<(typeof SCHEMAS)[N]>;

export const TOOL_NAMES = Object.keys(SCHEMAS) as ToolName[];

/** The JSON schema of a tool's input, as models and package.json see it. */
export function jsonSchema(name: ToolName): Record<string, unknown> {
  const schema = { ...(z.toJSONSchema(SCHEMAS[name], { io: 'input' }) as Record<string, unknown>) };
  delete schema.$schema;
  return schema;
}

/** Bad input to a tool, in plain words (shown to the model, which can then correct the call). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

/** Checks a tool's input; throws a ToolInputError that names every problem and what is accepted. */
export function parseInput<N extends ToolName>(name: N, input: unknown): ToolInput<N> {
  const schema = SCHEMAS[name];
  const result = schema.safeParse(input ?? {});
  if (result.success) {
    return result.data as ToolInput<N>;
  }
  const problems = result.error.issues.map((issue) => describeIssue(issue, input));
  const accepted = Object.keys(schema.shape).join(', ');
  throw new ToolInputError(`Bad input for ${name}: ${problems.join('; ')}. It takes: ${accepted}.`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return v;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const where = issue.path.length ? `"${issue.path.map(String).join('.')}"` : 'the input';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length > 1 ? 'inputs' : 'input'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? `${where} is missing` : `${where} must be ${article(issue.expected)}`;
    case 'too_small':
      return issue.origin === 'string' ? `${where} must not be empty` : issue.origin === 'array' ? `${where} must list at least ${String(issue.minimum)}` : `${where} must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `${where} is too long (at most ${String(issue.maximum)} characters)` : issue.origin === 'array' ? `${where} lists too many` : `${where} must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `${where} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return `${where} must be 0, 1 or 2`;
    default:
      return `${where} is not valid`;
  }
}

function article(type: string): string {
  return type === 'int' ? 'a whole number' : type === 'object' ? 'an object' : type === 'array' ? 'a list' : `a ${type}`;
}
