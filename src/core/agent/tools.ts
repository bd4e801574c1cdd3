/**
 * The agent tools (VS Code Language Model tools and the MCP server's tools): read-only ones that
 * look at brokers and config, and acting ones (publish, peekQueue, deleteRetained) whose
 * confirmation text says exactly what will happen. Each runs on an AgentHost (host.ts); input is
 * checked by schemas.ts and output bounded by output.ts. Connections are known by their profile
 * kind, never by `instanceof`: the VS Code tools run in a bundle of their own, beside the
 * extension's classes.
 */
import type { AmqpConnection, Topology } from '../amqp/amqpConnection';
import type { QueueInfo } from '../amqp/management';
import type { BrokerConnection } from '../brokers/connection';
import { formatEndpoint, isWorkspaceProfile, managementUrlOf, usesTls } from '../brokers/profile';
import { describeState } from '../brokers/state';
import { lintConf } from '../conf/lint';
import { nodeFs } from '../conf/nodeFs';
import { codeFence, codeSpan } from '../format/markup';
import type { MqttConnection } from '../mqtt/mqttConnection';
import { previewPayload } from '../mqtt/payload';
import { TopicFilter } from '../mqtt/topicFilter';
import type { TopicNode } from '../mqtt/topicNode';
import type { PublishDraft } from '../protocol/publish';
import { sendAmqpDraft, sendMqttDraft } from '../publish/publish';
import { checkDraft, problemsText } from '../publish/validate';
import { validateTopic } from '../brokers/subscriptions';
import type { AgentHost } from './host';
import { BoundedOutput, BROKER_DATA_NOTE, cutUtf8, fencedPayload, payloadText, quoted, redact } from './output';
import { parseInput, ToolInputError, type ToolInput, type ToolName } from './schemas';

export { ToolInputError } from './schemas';

/** What the user is asked before an acting tool runs. `message` is Markdown with every broker-supplied text made inert. */
export interface Confirmation {
  readonly title: string;
  readonly message: string;
}

export interface ToolInfo {
  readonly name: ToolName;
  readonly title: string;
  /** Read-only tools run without a confirmation; acting ones always ask (and are off in untrusted folders / without --allow-publish). */
  readonly acting: boolean;
  /** When to use it, for the model. */
  readonly description: string;
}

export const TOOLS: Record<ToolName, ToolInfo> = {
  listBrokers: {
    name: 'listBrokers',
    title: 'List Brokers',
    acting: false,
    description:
      'Lists the MQTT and RabbitMQ (AMQP) brokers configured in Broker Explorer: name, kind, host:port, connection state and where each is defined. Never shows credentials. Use it first to learn the broker names the other tools take.',
  },
  listTopics: {
    name: 'listTopics',
    title: 'List MQTT Topics',
    acting: false,
    description:
      'Lists the MQTT topics a broker has sent (retained and live messages seen since connecting), with message counts, the retained flag and a short preview of the last payload. Filter with an MQTT filter ("sensors/#") and group by depth. Connects the broker if needed. Use it to see what is on a broker or under a topic.',
  },
  readMessages: {
    name: 'readMessages',
    title: 'Read MQTT Messages',
    acting: false,
    description:
      'Returns the last messages on an MQTT topic or filter, from what the broker already sent, or (liveSeconds > 0) waits for new ones with a short subscription. Payloads are shown as text (binary as hex), cut with a marker. Use it for "what is on weather/# right now?" or to check that a publisher sends.',
  },
  listAmqp: {
    name: 'listAmqp',
    title: 'List RabbitMQ Exchanges and Queues',
    acting: false,
    description:
      'Lists the virtual hosts, exchanges, queues (type, ready and unacknowledged messages, consumers, state) and bindings of a RabbitMQ broker, from its management API. Use it to see why a message is not routed or a queue fills up.',
  },
  lintMosquittoConf: {
    name: 'lintMosquittoConf',
    title: 'Check mosquitto.conf',
    acting: false,
    description:
      'Checks a mosquitto.conf (a file path or given text) the way mosquitto 2.0 reads it and returns the same errors, warnings and notes as the editor, with line and column. Use it for "is this config valid?" or "why does mosquitto refuse to start?".',
  },
  explainConnectionState: {
    name: 'explainConnectionState',
    title: 'Explain Connection State',
    acting: false,
    description:
      'Explains in plain words the connection state of one broker: connected (with any warning such as refused subscriptions), connecting, reconnecting (and why it dropped) or failed (the reason and what to change), plus recent log lines about it. Use it for "why does my subscriber get nothing?" or "why can I not connect?".',
  },
  publish: {
    name: 'publish',
    title: 'Publish a Message',
    acting: true,
    description:
      'Publishes one message: MQTT (topic, QoS, retain, MQTT 5 content type and user properties) or AMQP (exchange, routing key, headers and properties). The user confirms the exact message first. Use it to send a test reading or command.',
  },
  peekQueue: {
    name: 'peekQueue',
    title: 'Peek RabbitMQ Queue',
    acting: true,
    description:
      'Reads up to 50 messages of a RabbitMQ queue without removing them: they are taken and put back (requeued), so they come back marked redelivered, and a quorum queue counts it against its delivery limit. Streams are read without changing them. The user confirms first.',
  },
  deleteRetained: {
    name: 'deleteRetained',
    title: 'Delete Retained MQTT Messages',
    acting: true,
    description:
      'Deletes the retained messages seen on an MQTT topic or on every topic matching a filter, by publishing an empty retained message to each. The broker forgets them: this cannot be undone. The user confirms the list of topics first.',
  },
};

export interface RunOptions {
  readonly signal?: AbortSignal;
}

/** Runs a tool. Bad input throws ToolInputError; other failures throw an Error in plain words. The text never holds a known secret. */
export async function runTool(name: string, input: unknown, host: AgentHost, options: RunOptions = {}): Promise<string> {
  const tool = toolInfo(name);
  if (tool.acting) {
    const refusal = host.actingRefusal();
    if (refusal) {
      throw new Error(refusal);
    }
  }
  const touched: BrokerConnection[] = [];
  const ctx: Ctx = { host, signal: options.signal, touched };
  let text: string;
  switch (tool.name) {
    case 'listBrokers':
      text = listBrokers(ctx, parseInput('listBrokers', input));
      break;
    case 'listTopics':
      text = await listTopics(ctx, parseInput('listTopics', input));
      break;
    case 'readMessages':
      text = await readMessages(ctx, parseInput('readMessages', input));
      break;
    case 'listAmqp':
      text = await listAmqp(ctx, parseInput('listAmqp', input));
      break;
    case 'lintMosquittoConf':
      text = await lintMosquittoConf(ctx, parseInput('lintMosquittoConf', input));
      break;
    case 'explainConnectionState':
      text = await explainConnectionState(ctx, parseInput('explainConnectionState', input));
      break;
    case 'publish':
      text = await publish(ctx, parseInput('publish', input));
      break;
    case 'peekQueue':
      text = await peekQueue(ctx, parseInput('peekQueue', input));
      break;
    case 'deleteRetained':
      text = await deleteRetained(ctx, parseInput('deleteRetained', input));
      break;
  }
  return redactFor(host, touched.length ? touched : host.connections(), text);
}

/** The confirmation of an acting tool (undefined for read-only ones). Checks the input first: a bad call is refused before the user is asked. */
export async function prepareTool(name: string, input: unknown, host: AgentHost): Promise<Confirmation | undefined> {
  const tool = toolInfo(name);
  if (!tool.acting) {
    parseInput(tool.name, input);
    return undefined;
  }
  const refusal = host.actingRefusal();
  if (refusal) {
    throw new Error(refusal);
  }
  const ctx: Ctx = { host, touched: [] };
  switch (tool.name) {
    case 'publish': {
      const i = parseInput('publish', input);
      return publishConfirmation(broker(ctx, i.broker), i);
    }
    case 'peekQueue': {
      const i = parseInput('peekQueue', input);
      const c = amqpBroker(ctx, i.broker);
      const vhost = i.vhost ?? c.profile.vhost;
      let info: QueueInfo | undefined;
      if (c.state.kind === 'connected') {
        info = findQueue(c.topology ?? (await c.refreshTopology()), vhost, i.queue);
      }
      return peekConfirmation(c, vhost, i.queue, i.count ?? DEFAULT_PEEK, info);
    }
    case 'deleteRetained': {
      const i = parseInput('deleteRetained', input);
      const c = mqttBroker(ctx, i.broker);
      await ensureConnected(ctx, c, 1);
      return deleteRetainedConfirmation(c, i.filter, retainedTopics(c, compileFilter(i.filter)), i.maxTopics ?? DEFAULT_MAX_TOPICS);
    }
    default:
      return undefined;
  }
}

export function toolInfo(name: string): ToolInfo {
  const tool = (TOOLS as Record<string, ToolInfo | undefined>)[name];
  if (!tool) {
    throw new ToolInputError(`Unknown tool ${quoted(name)}: the tools are ${Object.keys(TOOLS).join(', ')}`);
  }
  return tool;
}

interface Ctx {
  readonly host: AgentHost;
  readonly signal?: AbortSignal;
  readonly touched: BrokerConnection[];
}

const DEFAULT_PEEK = 5;
const DEFAULT_MAX_TOPICS = 100;
const DEFAULT_PAYLOAD_BYTES = 1024;

async function redactFor(host: AgentHost, connections: readonly BrokerConnection[], text: string): Promise<string> {
  if (!host.secrets) {
    return text;
  }
  const secrets = (await Promise.all(connections.map(async (c) => await host.secrets!(c)))).flat();
  return redact(text, secrets);
}

// ---------------------------------------------------------------------------------------------
// Brokers

function kindName(c: BrokerConnection): string {
  return c.profile.kind === 'mqtt' ? 'MQTT' : 'AMQP';
}

function where(c: BrokerConnection): string {
  return formatEndpoint(c.profile.host, c.profile.port);
}

function broker(ctx: Ctx, name: string): BrokerConnection {
  const all = ctx.host.connections();
  const found = all.find((c) => c.profile.name === name) ?? all.find((c) => c.id === name) ?? all.find((c) => c.profile.name.toLowerCase() === name.trim().toLowerCase());
  if (!found) {
    const known = all.map((c) => quoted(c.profile.name)).join(', ');
    throw new ToolInputError(`No broker named ${quoted(name)}. ${known ? `The brokers are: ${known}.` : 'No broker is configured.'}`);
  }
  ctx.touched.push(found);
  return found;
}

function mqttBroker(ctx: Ctx, name: string): MqttConnection {
  const c = broker(ctx, name);
  if (c.profile.kind !== 'mqtt') {
    throw new ToolInputError(`${quoted(c.profile.name)} is a RabbitMQ (AMQP) broker; this tool reads MQTT brokers (use listAmqp or peekQueue for AMQP).`);
  }
  return c as unknown as MqttConnection;
}

function amqpBroker(ctx: Ctx, name: string): AmqpConnection {
  const c = broker(ctx, name);
  if (c.profile.kind !== 'amqp') {
    throw new ToolInputError(`${quoted(c.profile.name)} is an MQTT broker; this tool reads RabbitMQ (AMQP) brokers (use listTopics or readMessages for MQTT).`);
  }
  return c as unknown as AmqpConnection;
}

/** Connects when needed (and allowed); resolves true when it connected now. `settleSeconds` then waits for retained messages. */
async function ensureConnected(ctx: Ctx, c: BrokerConnection, settleSeconds = 0): Promise<boolean> {
  if (c.state.kind === 'connected') {
    return false;
  }
  const refusal = ctx.host.connectRefusal(c);
  if (refusal) {
    throw new Error(refusal);
  }
  const state = await ctx.host.connect(c);
  if (state.kind !== 'connected') {
    const reason = state.kind === 'failed' ? state.reason : describeState(state);
    throw new Error(`Could not connect to ${kindName(c)} broker ${quoted(c.profile.name)} (${where(c)}): ${reason}. explainConnectionState tells more.`);
  }
  if (settleSeconds > 0) {
    await sleep(settleSeconds * 1000, ctx.signal);
  }
  return true;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function sourceOf(c: BrokerConnection): string {
  return isWorkspaceProfile(c.profile) ? `.vscode/brokers.json of ${c.profile.source?.name ?? 'the workspace'}` : 'saved by the user';
}

function listBrokers(ctx: Ctx, i: ToolInput<'listBrokers'>): string {
  const all = ctx.host.connections().filter((c) => !i.kind || c.profile.kind === i.kind);
  const out = new BoundedOutput({ maxBytes: i.maxBytes });
  if (!all.length) {
    return out.line(i.kind ? `No ${i.kind.toUpperCase()} broker is configured.` : 'No broker is configured.').finish();
  }
  const mqtt = all.filter((c) => c.profile.kind === 'mqtt').length;
  out.line(`${all.length} broker${all.length > 1 ? 's' : ''} (${mqtt} MQTT, ${all.length - mqtt} AMQP). One per line: name · kind · host:port · state · TLS · where it is defined.`);
  out.line(BROKER_DATA_NOTE);
  const rows = all.map((c) => {
    const refusal = c.state.kind === 'connected' ? undefined : ctx.host.connectRefusal(c);
    return [quoted(c.profile.name), kindName(c), where(c), describeState(c.state), usesTls(c.profile) ? 'TLS' : 'no TLS', sourceOf(c), ...(c.warning ? [`warning: ${c.warning}`] : []), ...(refusal ? ['tools will not connect it here'] : [])].join(' · ');
  });
  out.openData(rows);
  for (const r of rows) {
    out.item(r);
  }
  return out.finish('ask for one kind, or a larger maxBytes');
}

// ---------------------------------------------------------------------------------------------
// MQTT

function compileFilter(filter: string): TopicFilter {
  try {
    return new TopicFilter(filter);
  } catch (e) {
    throw new ToolInputError(`Bad MQTT filter ${quoted(filter)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Topics (nodes with messages) under the root that match, walking only branches that can match. */
function matchingTopics(c: MqttConnection, filter: TopicFilter): TopicNode[] {
  const out: TopicNode[] = [];
  const stack: TopicNode[] = [c.topics.root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.messages > 0 && filter.matches(node.topic)) {
      out.push(node);
    }
    if (node.children) {
      for (const child of node.children.values()) {
        if (filter.couldMatchBelow(child.topic.split('/'))) {
          stack.push(child);
        }
      }
    }
  }
  return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

function subscriptionsText(c: MqttConnection): string {
  return c.subscriptions.map((s) => s.filter).join(', ');
}

async function listTopics(ctx: Ctx, i: ToolInput<'listTopics'>): Promise<string> {
  const c = mqttBroker(ctx, i.broker);
  const filter = compileFilter(i.filter ?? '#');
  const connectedNow = await ensureConnected(ctx, c, i.waitSeconds ?? 1);
  const topics = matchingTopics(c, filter);
  const out = new BoundedOutput({ maxItems: i.maxItems, maxBytes: i.maxBytes });
  const head = `MQTT broker ${quoted(c.profile.name)} (${where(c)}): ${topics.length.toLocaleString('en-US')} topic${topics.length === 1 ? '' : 's'} match ${quoted(filter.filter)}, of ${c.topics.topicCount.toLocaleString('en-US')} seen${connectedNow ? ` in the ${i.waitSeconds ?? 1} s since connecting (retained messages arrive at once; live ones as they are sent)` : ''}. Subscriptions: ${subscriptionsText(c)}.`;
  out.line(head);
  if (!topics.length) {
    return out.line(c.topics.topicCount ? 'Try a wider filter, e.g. "#".' : 'Nothing was received yet: the broker has no retained messages and nobody published since.').finish();
  }
  out.line(BROKER_DATA_NOTE);
  let rows: string[];
  if (i.depth) {
    const groups = new Map<string, { topics: number; messages: number; retained: number; last?: TopicNode }>();
    for (const n of topics) {
      const key = n.topic.split('/').slice(0, i.depth).join('/');
      const g = groups.get(key) ?? { topics: 0, messages: 0, retained: 0 };
      g.topics++;
      g.messages += n.messages;
      if (n.last?.retain) {
        g.retained++;
      }
      if (!g.last || (n.last?.time ?? 0) > (g.last.last?.time ?? 0)) {
        g.last = n;
      }
      groups.set(key, g);
    }
    out.line(`Grouped by the first ${i.depth} level${i.depth > 1 ? 's' : ''}: group · topics · messages · retained · newest topic: last payload preview.`);
    rows = [...groups.entries()].map(([key, g]) => `${key} · ${g.topics} topic${g.topics === 1 ? '' : 's'} · ${g.messages} msg · ${g.retained} retained${g.last ? ` · ${g.last.topic}: ${preview(g.last)}` : ''}`);
  } else {
    out.line('One per line: topic · messages received · retained · last payload preview.');
    rows = topics.map((n) => `${n.topic} · ${n.messages} msg${n.last?.retain ? ' · retained' : ''} · ${preview(n)}`);
  }
  out.openData(rows);
  for (const r of rows) {
    out.item(r);
  }
  return out.finish('use a narrower filter, group with depth, or ask for a larger maxBytes');
}

function preview(n: TopicNode): string {
  const last = n.last;
  if (!last) {
    return '(none)';
  }
  if (last.size === 0) {
    return '(empty)';
  }
  const p = previewPayload(last.payload, 80, last.payload.length < last.size);
  return p.kind === 'binary' ? `binary ${last.size} B: ${p.text}` : p.text;
}

interface Msg {
  readonly topic: string;
  readonly time: number;
  readonly qos: number;
  readonly retain: boolean;
  readonly payload: Uint8Array;
  readonly size: number;
}

/** True when the connection's own subscriptions already deliver every topic `filter` matches. */
export function coveredBy(subscriptions: readonly string[], filter: string): boolean {
  return subscriptions.some((s) => {
    if (s === filter) {
      return true;
    }
    if (s === '#') {
      return !filter.startsWith('$') && !filter.startsWith('+') && !filter.startsWith('#');
    }
    if (s.endsWith('/#')) {
      const prefix = s.slice(0, -1);
      return filter.startsWith(prefix) && !filter.slice(0, prefix.length).includes('+');
    }
    return false;
  });
}

async function readMessages(ctx: Ctx, i: ToolInput<'readMessages'>): Promise<string> {
  const c = mqttBroker(ctx, i.broker);
  const filter = compileFilter(i.filter);
  const count = i.count ?? 10;
  const live = i.liveSeconds ?? 0;
  const perPayload = i.maxPayloadBytes ?? DEFAULT_PAYLOAD_BYTES;
  const connectedNow = await ensureConnected(ctx, c, live > 0 ? 0 : 1);
  let messages: Msg[];
  let how: string;
  if (live > 0) {
    messages = await liveMessages(ctx, c, filter, count, live, perPayload);
    how = `received in a live subscription of up to ${live} s`;
  } else {
    const all: Msg[] = [];
    for (const node of matchingTopics(c, filter)) {
      for (const m of node.storedHistory()) {
        all.push({ topic: node.topic, time: m.time, qos: m.qos, retain: m.retain, payload: m.payload, size: m.size });
      }
    }
    all.sort((a, b) => a.time - b.time);
    messages = all.slice(-count);
    how = `the newest ${messages.length} of ${all.length.toLocaleString('en-US')} kept${connectedNow ? ' (connected just now: only retained messages so far; ask with liveSeconds to wait for new ones)' : ''}`;
  }
  const out = new BoundedOutput({ maxItems: count, maxBytes: i.maxBytes });
  out.line(`MQTT broker ${quoted(c.profile.name)} (${where(c)}), ${quoted(filter.filter)}: ${messages.length} message${messages.length === 1 ? '' : 's'}, ${how}. Oldest first.`);
  if (!messages.length) {
    return out.line(live > 0 ? 'Nothing was published on matching topics during that time.' : 'No message kept on matching topics: try liveSeconds to wait for new ones, or listTopics to see what exists.').finish();
  }
  out.line(BROKER_DATA_NOTE);
  messages.forEach((m, n) => {
    out.item(`${n + 1}. ${new Date(m.time).toISOString()} topic ${codeSpan(m.topic)} · QoS ${m.qos}${m.retain ? ' · retained' : ''} · ${m.size.toLocaleString('en-US')} B\n${fencedPayload(payloadText(m.payload, perPayload, m.size))}`);
  });
  return out.finish('ask for fewer messages, a smaller maxPayloadBytes or a larger maxBytes');
}

async function liveMessages(ctx: Ctx, c: MqttConnection, filter: TopicFilter, count: number, seconds: number, perPayload: number): Promise<Msg[]> {
  const got: Msg[] = [];
  const client = c.mqttClient;
  const own = !coveredBy(
    c.subscriptions.map((s) => s.filter),
    filter.filter,
  );
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const sub = c.onMessage((m) => {
    if (got.length < count && filter.matches(m.topic)) {
      // A copy of what is shown: mqtt.js's payload is a view into its read buffer.
      got.push({ topic: m.topic, time: m.time, qos: m.packet.qos, retain: m.packet.retain, payload: Buffer.from(m.payload.subarray(0, perPayload + 4)), size: m.payload.length });
      if (got.length >= count) {
        finish();
      }
    }
  });
  try {
    if (own && client) {
      await client.subscribeAsync(filter.filter, { qos: 0 });
    }
    const timer = setTimeout(finish, seconds * 1000);
    const onAbort = (): void => finish();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    await done;
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onAbort);
  } finally {
    sub.dispose();
    if (own && client && c.mqttClient === client) {
      await client.unsubscribeAsync(filter.filter).catch(() => undefined);
    }
  }
  return got;
}

/** Topics under `filter` whose last message is a retained, non-empty one. */
function retainedTopics(c: MqttConnection, filter: TopicFilter): string[] {
  return matchingTopics(c, filter)
    .filter((n) => n.last?.retain && n.last.size > 0)
    .map((n) => n.topic);
}

export function deleteRetainedConfirmation(c: { profile: { name: string; host: string; port: number } }, filter: string, topics: readonly string[], maxTopics: number): Confirmation {
  const name = codeSpan(c.profile.name);
  const at = formatEndpoint(c.profile.host, c.profile.port);
  if (!topics.length) {
    return { title: 'Delete retained messages?', message: `No retained message was seen on topics matching ${codeSpan(filter)} on MQTT broker ${name} (${at}). Nothing will be deleted.` };
  }
  if (topics.length > maxTopics) {
    return {
      title: 'Delete retained messages?',
      message: `${topics.length} topics matching ${codeSpan(filter)} hold retained messages on ${name}, more than maxTopics (${maxTopics}): the call will be refused and nothing deleted.`,
    };
  }
  const listed = topics.slice(0, 20).map((t) => `- ${codeSpan(t)}`);
  return {
    title: `Delete ${topics.length} retained message${topics.length === 1 ? '' : 's'}?`,
    message: [
      `Delete the retained message${topics.length === 1 ? '' : 's'} of ${topics.length} topic${topics.length === 1 ? '' : 's'} matching ${codeSpan(filter)} on MQTT broker ${name} (${at}).`,
      'Each topic gets an empty retained message (QoS 1): the broker forgets its retained message and new subscribers get nothing. This cannot be undone.',
      '',
      ...listed,
      ...(topics.length > 20 ? [`- … ${topics.length - 20} more`] : []),
    ].join('\n'),
  };
}

async function deleteRetained(ctx: Ctx, i: ToolInput<'deleteRetained'>): Promise<string> {
  const c = mqttBroker(ctx, i.broker);
  const filter = compileFilter(i.filter);
  await ensureConnected(ctx, c, 1);
  const topics = retainedTopics(c, filter);
  const max = i.maxTopics ?? DEFAULT_MAX_TOPICS;
  if (!topics.length) {
    return `Nothing deleted: no retained message was seen on topics matching ${quoted(filter.filter)} on ${quoted(c.profile.name)}.`;
  }
  if (topics.length > max) {
    throw new Error(`Nothing deleted: ${topics.length} topics match ${quoted(filter.filter)}, more than maxTopics (${max}). Use a narrower filter or a larger maxTopics (at most 1000).`);
  }
  let done = 0;
  for (const topic of topics) {
    if (ctx.signal?.aborted) {
      break;
    }
    await c.publish(topic, Buffer.alloc(0), { retain: true, qos: 1 });
    done++;
  }
  const out = new BoundedOutput({});
  out.line(`Deleted ${done} retained message${done === 1 ? '' : 's'} on ${quoted(c.profile.name)}${done < topics.length ? ` (cancelled; ${topics.length - done} not deleted)` : ''}:`);
  out.line(BROKER_DATA_NOTE);
  out.openData(topics);
  for (const t of topics.slice(0, done)) {
    out.item(t);
  }
  return out.finish();
}

// ---------------------------------------------------------------------------------------------
// Publish

function toDraft(c: BrokerConnection, i: ToolInput<'publish'>): PublishDraft {
  const format = i.format ?? 'text';
  if (c.profile.kind === 'mqtt') {
    const amqpOnly = (['exchange', 'routingKey', 'headers', 'persistent', 'mandatory', 'messageId', 'correlationId', 'replyTo'] as const).filter((k) => i[k] !== undefined);
    if (amqpOnly.length) {
      throw new ToolInputError(`${quoted(c.profile.name)} is an MQTT broker: ${amqpOnly.map((k) => `"${k}"`).join(', ')} ${amqpOnly.length > 1 ? 'are' : 'is'} for AMQP. Give "topic" (and qos, retain, contentType, userProperties).`);
    }
    if (!i.topic) {
      throw new ToolInputError(`"topic" is missing: ${quoted(c.profile.name)} is an MQTT broker.`);
    }
    const topicError = validateTopic(i.topic);
    if (topicError) {
      throw new ToolInputError(`Bad topic ${quoted(i.topic)}: ${topicError}`);
    }
    return {
      payload: i.payload,
      format,
      mqtt: {
        topic: i.topic,
        qos: i.qos ?? 0,
        retain: i.retain ?? false,
        ...(i.contentType ? { contentType: i.contentType } : {}),
        ...(i.userProperties ? { userProperties: Object.entries(i.userProperties).map(([key, value]) => ({ key, value })) } : {}),
      },
    };
  }
  const mqttOnly = (['topic', 'qos', 'retain', 'userProperties'] as const).filter((k) => i[k] !== undefined);
  if (mqttOnly.length) {
    throw new ToolInputError(`${quoted(c.profile.name)} is a RabbitMQ (AMQP) broker: ${mqttOnly.map((k) => `"${k}"`).join(', ')} ${mqttOnly.length > 1 ? 'are' : 'is'} for MQTT. Give "exchange" and "routingKey".`);
  }
  if (i.exchange === undefined && i.routingKey === undefined) {
    throw new ToolInputError(`Give "exchange" and "routingKey": ${quoted(c.profile.name)} is a RabbitMQ (AMQP) broker ("exchange": "" with the queue name as routing key sends straight to a queue).`);
  }
  return {
    payload: i.payload,
    format,
    amqp: {
      exchange: i.exchange ?? '',
      routingKey: i.routingKey ?? '',
      mandatory: i.mandatory ?? true,
      ...(i.headers ? { headers: Object.entries(i.headers).map(([key, value]) => ({ key, value })) } : {}),
      ...(i.contentType ? { contentType: i.contentType } : {}),
      ...(i.persistent !== undefined ? { deliveryMode: i.persistent ? (2 as const) : (1 as const) } : {}),
      ...(i.messageId ? { messageId: i.messageId } : {}),
      ...(i.correlationId ? { correlationId: i.correlationId } : {}),
      ...(i.replyTo ? { replyTo: i.replyTo } : {}),
    },
  };
}

/** Checks and encodes the draft as the publish panel does; throws ToolInputError with the problems. */
function checkedPayload(c: BrokerConnection, draft: PublishDraft): Uint8Array {
  const version = c.profile.kind === 'mqtt' ? ((c as unknown as MqttConnection).protocolVersion ?? 5) : undefined;
  const checked = checkDraft(draft, version);
  if (checked.problems.length || !checked.payload) {
    throw new ToolInputError(`Not sent: ${problemsText(checked.problems)}`);
  }
  return checked.payload;
}

export function publishConfirmation(c: BrokerConnection, i: ToolInput<'publish'>): Confirmation {
  const draft = toDraft(c, i);
  const bytes = checkedPayload(c, draft);
  const name = codeSpan(c.profile.name);
  const lines: string[] = [];
  if (draft.mqtt) {
    const m = draft.mqtt;
    lines.push(`Publish to MQTT broker ${name} (${where(c)}), topic ${codeSpan(m.topic)}:`);
    lines.push(`- QoS ${m.qos}${m.qos === 0 ? ' (no acknowledgement)' : m.qos === 1 ? ' (at least once)' : ' (exactly once)'}`);
    lines.push(m.retain ? '- **retained**: the broker keeps it as the topic\'s retained message and hands it to every future subscriber until it is replaced or deleted' : '- not retained: only current subscribers get it');
    if (m.contentType) {
      lines.push(`- content type ${codeSpan(m.contentType)}`);
    }
    for (const p of m.userProperties ?? []) {
      lines.push(`- user property ${codeSpan(p.key)} = ${codeSpan(p.value)}`);
    }
  } else if (draft.amqp) {
    const a = draft.amqp;
    lines.push(`Publish to RabbitMQ broker ${name} (${where(c)}, vhost ${codeSpan((c.profile as { vhost?: string }).vhost ?? '/')}):`);
    lines.push(`- exchange ${a.exchange ? codeSpan(a.exchange) : 'the default exchange (routes to the queue named by the routing key)'}`);
    lines.push(`- routing key ${a.routingKey ? codeSpan(a.routingKey) : '(empty)'}`);
    lines.push(a.mandatory ? '- mandatory: returned, not dropped, if no queue takes it' : '- not mandatory: dropped silently if no queue takes it');
    if (a.deliveryMode) {
      lines.push(a.deliveryMode === 2 ? '- persistent (delivery mode 2)' : '- transient (delivery mode 1)');
    }
    for (const [label, v] of [
      ['content type', a.contentType],
      ['message id', a.messageId],
      ['correlation id', a.correlationId],
      ['reply to', a.replyTo],
    ] as const) {
      if (v) {
        lines.push(`- ${label} ${codeSpan(v)}`);
      }
    }
    for (const h of a.headers ?? []) {
      lines.push(`- header ${codeSpan(h.key)} = ${codeSpan(h.value)}`);
    }
  }
  const shown = payloadText(bytes, 2048);
  lines.push(`- payload: ${bytes.length.toLocaleString('en-US')} bytes${draft.format !== 'text' ? ` (given as ${draft.format})` : ''}`);
  lines.push('', shown.kind === 'empty' ? '(empty payload)' : codeFence(shown.text, shown.kind === 'binary' ? 'hex' : 'text'));
  if (shown.marker) {
    lines.push(shown.marker);
  }
  return { title: `Publish to ${c.profile.kind === 'mqtt' ? 'MQTT' : 'RabbitMQ'} broker?`, message: lines.join('\n') };
}

async function publish(ctx: Ctx, i: ToolInput<'publish'>): Promise<string> {
  const c = broker(ctx, i.broker);
  const draft = toDraft(c, i);
  checkedPayload(c, draft);
  await ensureConnected(ctx, c);
  const outcome = c.profile.kind === 'mqtt' ? await sendMqttDraft(c as unknown as MqttConnection, draft) : await sendAmqpDraft(c as unknown as AmqpConnection, draft);
  const detail = outcome.ok && outcome.detail ? ` — ${outcome.detail}` : '';
  if (!outcome.ok) {
    throw new Error(outcome.text);
  }
  return `${outcome.text}${detail} (broker ${quoted(c.profile.name)}).`;
}

// ---------------------------------------------------------------------------------------------
// AMQP

function findQueue(topology: Topology, vhost: string, queue: string): QueueInfo | undefined {
  return topology.vhosts.find((v) => v.name === vhost)?.queues.find((q) => q.name === queue);
}

export function peekConfirmation(c: { profile: { name: string; host: string; port: number } }, vhost: string, queue: string, count: number, info: QueueInfo | undefined): Confirmation {
  const q = codeSpan(queue);
  const head = `Peek up to ${count} message${count === 1 ? '' : 's'} of queue ${q} (vhost ${codeSpan(vhost)}) on RabbitMQ broker ${codeSpan(c.profile.name)} (${formatEndpoint(c.profile.host, c.profile.port)}).`;
  if (info?.type === 'stream') {
    return { title: `Read stream ${queue}?`, message: `${head}\n\nThis is a stream: it is read from its first message by a consumer of its own. Nothing in the stream changes.` };
  }
  const lines = [
    head,
    '',
    'RabbitMQ hands the messages over and puts them back at once (requeue): they stay in the queue, but come back **marked redelivered**, so consumers see redelivered = true, and they may return in another order.',
  ];
  if (info?.type === 'quorum') {
    const limit = info.arguments['x-delivery-limit'];
    lines.push(
      '',
      `**Quorum queue**: every peek counts as a delivery against its delivery limit (${typeof limit === 'number' ? `x-delivery-limit = ${limit}` : 'RabbitMQ 4 sets 20 unless the queue says otherwise'}); a message past the limit is dropped or dead-lettered.`,
    );
  } else if (!info) {
    lines.push('', 'If it is a quorum queue, each peek also counts against its delivery limit (a message past it is dropped or dead-lettered).');
  }
  if (info && info.consumers) {
    lines.push('', `${info.consumers} consumer${info.consumers === 1 ? ' is' : 's are'} attached: while peeked, the messages are not delivered to them.`);
  }
  return { title: `Peek queue ${queue}?`, message: lines.join('\n') };
}

async function peekQueue(ctx: Ctx, i: ToolInput<'peekQueue'>): Promise<string> {
  const c = amqpBroker(ctx, i.broker);
  await ensureConnected(ctx, c);
  const vhost = i.vhost ?? c.profile.vhost;
  const count = i.count ?? DEFAULT_PEEK;
  const perPayload = i.maxPayloadBytes ?? DEFAULT_PAYLOAD_BYTES;
  const info = findQueue(c.topology ?? (await c.refreshTopology()), vhost, i.queue);
  const out = new BoundedOutput({ maxItems: count, maxBytes: i.maxBytes });
  if (info?.type === 'stream') {
    if (vhost !== c.profile.vhost) {
      throw new ToolInputError(`The stream ${quoted(i.queue)} is in vhost ${quoted(vhost)}: this connection is to ${quoted(c.profile.vhost)}, and streams are read over it.`);
    }
    const read = await c.readStream(i.queue, count, 'first');
    out.line(`Stream ${quoted(i.queue)} on ${quoted(c.profile.name)}: ${read.length} message${read.length === 1 ? '' : 's'} from the first (nothing changed).`);
    if (read.length) {
      out.line(BROKER_DATA_NOTE);
    }
    read.forEach((m, n) => out.item(`${n + 1}. offset ${m.offset ?? '?'} · routing key ${codeSpan(m.routingKey || '(empty)')} · ${m.body.length} B\n${fencedPayload(payloadText(m.body, perPayload))}`));
    return out.finish('ask for fewer messages or a larger maxBytes');
  }
  const messages = await c.management.peek(vhost, i.queue, count, perPayload + 4);
  out.line(
    `Queue ${quoted(i.queue)} (vhost ${quoted(vhost)}) on ${quoted(c.profile.name)}: ${messages.length} message${messages.length === 1 ? '' : 's'} peeked and put back (they are now marked redelivered)${messages.length ? `; ${messages[messages.length - 1]!.message_count} more after them` : ''}.`,
  );
  if (messages.length) {
    out.line(BROKER_DATA_NOTE);
  }
  messages.forEach((m, n) => {
    const bytes = m.payload_encoding === 'base64' ? Buffer.from(m.payload, 'base64') : Buffer.from(m.payload, 'utf8');
    const props = Object.entries(m.properties ?? {})
      .filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && !Object.keys(v).length))
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ');
    out.item(
      `${n + 1}. from exchange ${codeSpan(m.exchange || '(default)')} · routing key ${codeSpan(m.routing_key || '(empty)')} · redelivered before: ${m.redelivered ? 'yes' : 'no'} · ${m.payload_bytes} B${props ? `\n   properties: ${codeSpan(cutUtf8(props, 512))}` : ''}\n${fencedPayload(payloadText(bytes, perPayload, m.payload_bytes))}`,
    );
  });
  return out.finish('ask for fewer messages, a smaller maxPayloadBytes or a larger maxBytes');
}

async function listAmqp(ctx: Ctx, i: ToolInput<'listAmqp'>): Promise<string> {
  const c = amqpBroker(ctx, i.broker);
  let queueFilter: RegExp | undefined;
  if (i.queueFilter) {
    try {
      queueFilter = new RegExp(i.queueFilter);
    } catch (e) {
      throw new ToolInputError(`Bad queueFilter ${quoted(i.queueFilter)}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  await ensureConnected(ctx, c);
  const topology = await c.refreshTopology();
  const include = new Set(i.include ?? ['exchanges', 'queues', 'bindings']);
  const vhosts = topology.vhosts.filter((v) => !i.vhost || v.name === i.vhost);
  const out = new BoundedOutput({ maxItems: i.maxItems, maxBytes: i.maxBytes });
  out.line(`RabbitMQ broker ${quoted(c.profile.name)} (${where(c)}, management API ${safeUrl(managementUrlOf(c.profile))})${c.serverDescription ? `, ${c.serverDescription}` : ''}: ${vhosts.length} virtual host${vhosts.length === 1 ? '' : 's'}${i.vhost && !vhosts.length ? ` (none named ${quoted(i.vhost)}; the vhosts are ${topology.vhosts.map((v) => quoted(v.name)).join(', ') || 'not known'})` : ''}.`);
  if (topology.error) {
    out.line(`The management API could not be read: ${topology.error}. Only the exchanges and queues named in the broker's watched list are known (by passive checks).`);
  }
  out.line('Lines: "vhost NAME", then "exchange NAME (type, flags)", "queue NAME (type, ready, unacked, consumers, state)", "binding SOURCE -> queue|exchange DESTINATION key KEY".');
  out.line(BROKER_DATA_NOTE);
  const rows: string[] = [];
  for (const v of vhosts) {
    rows.push(`vhost ${v.name}`);
    if (include.has('exchanges')) {
      for (const e of v.exchanges) {
        rows.push(`  exchange ${e.name || '(AMQP default)'} (${e.type}${e.durable ? ', durable' : ''}${e.auto_delete ? ', auto-delete' : ''}${e.internal ? ', internal' : ''})`);
      }
    }
    if (include.has('queues')) {
      const queues = queueFilter ? v.queues.filter((q) => queueFilter.test(q.name)) : v.queues;
      for (const q of queues) {
        rows.push(
          `  queue ${q.name} (${q.type ?? 'classic'}, ${q.messages_ready ?? '?'} ready, ${q.messages_unacknowledged ?? 0} unacked, ${q.consumers ?? 0} consumer${q.consumers === 1 ? '' : 's'}, ${q.state ?? 'unknown state'}${q.durable ? ', durable' : ''}${q.exclusive ? ', exclusive' : ''})`,
        );
      }
      if (v.queueTotal > v.queues.length) {
        rows.push(`  … ${v.queueTotal - v.queues.length} more queues not read (the management API is read 500 queues at a time; use queueFilter)`);
      }
    }
    if (include.has('bindings')) {
      for (const b of v.bindings) {
        rows.push(`  binding ${b.source || '(AMQP default)'} -> ${b.destination_type} ${b.destination} key ${b.routing_key === '' ? '(empty)' : b.routing_key}${Object.keys(b.arguments ?? {}).length ? ` args ${JSON.stringify(b.arguments)}` : ''}`);
      }
    }
  }
  out.openData(rows);
  for (const r of rows) {
    out.item(r);
  }
  return out.finish('ask for one vhost, fewer kinds (include), a queueFilter or a larger maxBytes');
}

/** A URL without any user:password part. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}

// ---------------------------------------------------------------------------------------------
// Config and state

async function lintMosquittoConf(ctx: Ctx, i: ToolInput<'lintMosquittoConf'>): Promise<string> {
  if ((i.path === undefined) === (i.text === undefined)) {
    throw new ToolInputError('Give either "path" (a mosquitto.conf file) or "text" (its content), not both and not neither.');
  }
  let file: string;
  let text: string;
  if (i.path !== undefined) {
    ({ file, text } = await ctx.host.readConf(i.path));
  } else {
    file = `${ctx.host.baseDir.replace(/\/+$/, '')}/mosquitto.conf`;
    text = i.text ?? '';
  }
  const result = lintConf(text, { file, baseDir: i.text !== undefined ? ctx.host.baseDir : undefined, fs: nodeFs, ...(ctx.host.lintReach ? { reach: ctx.host.lintReach } : {}) });
  const d = result.diagnostics;
  const count = (s: string): number => d.filter((x) => x.severity === s).length;
  const out = new BoundedOutput({ maxItems: i.maxItems, maxBytes: i.maxBytes });
  const label = i.path !== undefined ? quoted(i.path) : 'the given text';
  out.line(
    d.length
      ? `mosquitto.conf ${label}, as mosquitto 2.0 reads it: ${count('error')} error${count('error') === 1 ? '' : 's'} (mosquitto refuses to start), ${count('warning')} warning${count('warning') === 1 ? '' : 's'}, ${count('info')} note${count('info') === 1 ? '' : 's'}. Errors first, one per line: file:line:column: severity [rule]: message.`
      : `mosquitto.conf ${label}: no problems found (as mosquitto 2.0 reads it).`,
  );
  if (!d.length) {
    return out.finish();
  }
  // Errors first (what stops mosquitto), then warnings, then notes; by file and line within each.
  const rank = { error: 0, warning: 1, info: 2 } as Record<string, number>;
  const ordered = d.map((x, n) => ({ x, n })).sort((a, b) => (rank[a.x.severity] ?? 3) - (rank[b.x.severity] ?? 3) || a.n - b.n);
  const rows = ordered.map(({ x }) => `${x.file === file ? (i.path ?? 'text') : x.file}:${x.span.line + 1}:${x.span.start + 1}: ${x.severity} [${x.code}]: ${x.message}`);
  out.openData(rows);
  for (const r of rows) {
    out.item(r);
  }
  return out.finish('errors are listed first; ask for a larger maxItems or maxBytes to see the rest');
}

const CAUSE_FIX: Record<string, (c: BrokerConnection, hint: string) => string> = {
  credentials: (_c, hint) => `The broker refused the credentials: fix the username or password (${hint}).`,
  clientId: () => 'The client id is refused or used by another client: give this broker a unique client id (Edit Broker…, then Client ID).',
  vhost: () => 'The user may not use this virtual host, or it does not exist: check the vhost of the broker and the user\'s permissions in RabbitMQ.',
};

async function explainConnectionState(ctx: Ctx, i: ToolInput<'explainConnectionState'>): Promise<string> {
  const c = broker(ctx, i.broker);
  const s = c.state;
  const hint = ctx.host.credentialsHint?.(c) ?? 'Enter Credentials… in VS Code';
  const out = new BoundedOutput({ maxBytes: i.maxBytes });
  out.line(`${kindName(c)} broker ${quoted(c.profile.name)} at ${where(c)}${usesTls(c.profile) ? ' (TLS)' : ''}, ${sourceOf(c)}.`);
  switch (s.kind) {
    case 'disconnected':
      out.line('State: not connected. Nobody asked to connect it, or the user disconnected it. The read-only tools connect it when they need to' + (ctx.host.connectRefusal(c) ? ', but not here: ' + ctx.host.connectRefusal(c) : '') + '.');
      break;
    case 'connecting':
      out.line(`State: connecting (attempt ${s.attempt}).`);
      break;
    case 'connected': {
      const secs = Math.round((Date.now() - s.since) / 1000);
      out.line(`State: connected since ${new Date(s.since).toISOString()} (${secs} s).`);
      if (c.profile.kind === 'mqtt') {
        const m = c as unknown as MqttConnection;
        out.line(`MQTT ${m.protocolVersion === 5 ? '5' : '3.1.1'}, client id ${quoted(m.clientId)}, subscriptions ${subscriptionsText(m)}; ${m.topics.topicCount.toLocaleString('en-US')} topics and ${m.topics.totalMessages.toLocaleString('en-US')} messages received. A subscriber that gets nothing: check its filter matches the topics listTopics shows (case, leading "/", $-topics need their own filter) and that the broker's ACL lets it read them.`);
      } else {
        const a = c as unknown as AmqpConnection;
        out.line(`${a.serverDescription ? `${a.serverDescription}, ` : ''}vhost ${quoted(a.profile.vhost)}${a.blocked ? `; RabbitMQ blocks publishers: ${a.blocked}` : ''}.`);
      }
      break;
    }
    case 'reconnecting':
      out.line(`State: the connection was lost (${s.reason}); attempt ${s.attempt} to reconnect in ${Math.max(0, Math.ceil((s.at - Date.now()) / 1000))} s. It keeps trying with growing pauses (up to 30 s) until the broker is back.`);
      break;
    case 'failed':
      out.line(`State: failed${s.lost ? ' (it had been connected, then the connection was lost for good)' : ''}. Reason: ${s.reason}`);
      out.line(s.cause ? CAUSE_FIX[s.cause]!(c, hint) : 'Broker Explorer does not retry by itself after this: fix the cause, then connect again.');
      break;
  }
  if (c.warning) {
    out.line(`Warning: ${c.warning}`);
  }
  const lines = await ctx.host.recentLog(c, i.logLines ?? 20);
  if (lines.length) {
    out.line(`Recent log lines about it (oldest first). ${BROKER_DATA_NOTE}`);
    out.openData(lines);
    for (const l of lines) {
      out.item(l);
    }
  }
  return out.finish('ask for fewer logLines or a larger maxBytes');
}
