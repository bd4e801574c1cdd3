/**
 * Runs one block of a message file as a test: opens every expectation's subscription (and waits
 * for its SUBACK), sends the block (Repeat times, Interval apart), collects what arrives within
 * each expectation's time and judges it. The same runner serves the Test Explorer and the
 * `broker-messages-test` command line. Never throws: problems become a failed (or errored) result.
 */
import * as l10n from '@vscode/l10n';
import { encodeDraft } from './encoding';
import type { BrokerConnection } from '../brokers/connection';
import type { Channel, ConsumeMessage } from 'amqplib';
import { brokerReply, type AmqpConnection } from '../amqp/amqpConnection';
import type { LiveMessage, MqttConnection } from '../mqtt/mqttConnection';
import { TopicFilter } from '../mqtt/topicFilter';
import type { PublishDraft, PublishOutcome } from '../protocol/publish';
import type { PublishLimits } from '../publish/validate';
import { isSettled, judge, mismatches, type ExpectationResult, type ReceivedMessage, type ResolvedExpectation } from './expect';
import { resolveBlock, resolveExpectations } from './resolve';
import type { MessageBlock, MessageFile, ResolveEnv } from './types';
import { captureDependencies, captureExpectationIndex, findNamedBlock, type BlockCapture, type CapturedMessage } from './captures';

export interface RunOptions {
  /** A connected connection of that name and kind, or an Error saying why not. */
  readonly connection: (name: string, kind: 'mqtt' | 'amqp') => Promise<BrokerConnection>;
  /**
   * Sends a draft (core/publish's sendDraft). Passed in, not imported: the extension's lazily
   * loaded bundles must use the main bundle's copy, whose connection classes the registry made.
   */
  readonly send: (connection: BrokerConnection, draft: PublishDraft, limits?: PublishLimits) => Promise<PublishOutcome>;
  readonly defaultWithinMs?: number;
  readonly limits?: PublishLimits;
  /** Aborting stops waiting, unsubscribes and ends the run as cancelled. */
  readonly signal?: AbortSignal;
}

export interface ExpectationOutcome {
  readonly expectation: ResolvedExpectation;
  readonly result: ExpectationResult;
}

export interface BlockTestResult {
  /** The block's `### name`, or its request line's target. */
  readonly name: string;
  readonly line: number;
  /** 'passed', 'failed' (an expectation did not hold) or 'errored' (the test could not run). */
  readonly outcome: 'passed' | 'failed' | 'errored' | 'cancelled';
  /** Why it failed or could not run, in one sentence. */
  readonly message?: string;
  readonly durationMs: number;
  readonly expectations: readonly ExpectationOutcome[];
  /** The first message that matched the block's first EXPECT (not NONE): what `{{name.response…}}` reads. */
  readonly capture?: CapturedMessage;
}

/** A name for a block: its `### name`, else its target. */
export function blockTitle(block: MessageBlock): string {
  return block.name ?? `${block.verb} ${block.target.text}`;
}

const copy = (u: Uint8Array | undefined): Uint8Array | undefined => (u ? Uint8Array.from(u) : undefined);

function received(m: LiveMessage, sentAt: number): ReceivedMessage {
  const p = m.packet.properties;
  const r: { -readonly [K in keyof ReceivedMessage]: ReceivedMessage[K] } = {
    topic: m.topic,
    // mqtt.js's payload is a view into its read buffer: keep a copy.
    payload: Uint8Array.from(m.payload),
    qos: m.packet.qos,
    retain: m.packet.retain,
    afterMs: Math.max(0, m.time - sentAt),
  };
  if (p?.contentType !== undefined) {
    r.contentType = p.contentType;
  }
  const cd = copy(p?.correlationData);
  if (cd) {
    r.correlationData = cd;
  }
  if (p?.userProperties) {
    r.userProperties = p.userProperties;
  }
  return r;
}

interface Watch {
  readonly messages: ReceivedMessage[];
  /** AMQP: the queue it consumes (the reply queue of `Reply-To: auto`). */
  readonly queue?: string;
  dispose(): Promise<void>;
}

/** Counts the messages that match as they come, so waiting stays cheap for Repeat: 1000. */
interface Tally {
  matched: number;
}

/**
 * Subscribes `filter` on the connection's own client (QoS 2, so the delivered QoS is the
 * publisher's; MQTT 5 retain-as-published keeps the RETAIN flag) and resolves after the SUBACK.
 * MQTT 5 asks for no retained messages (retain handling 2); over 3.1.1, messages before `sentAt()`
 * is set (retained ones delivered on subscribe) are not counted. Over
 * MQTT 5 the subscription has an identifier of its own and only messages carrying it count: the
 * broker also delivers a copy for each of the tree's overlapping subscriptions (`#`).
 */
async function watchMqtt(c: MqttConnection, filter: string, sentAt: () => number | undefined, onMessage: (m: ReceivedMessage) => void): Promise<Watch> {
  const client = c.mqttClient;
  if (!client) {
    throw new Error(l10n.t('"{0}" is not connected.', c.profile.name));
  }
  const v5 = c.protocolVersion === 5;
  // The connection's identifier for this filter (the tree names what a message matched with it
  // too), unless the broker announced it takes none (it would refuse the SUBSCRIBE).
  const withId = v5 && c.capabilities.subscriptionIdentifiersAvailable;
  const subId = c.subscriptionIds.idOf(filter);
  const messages: ReceivedMessage[] = [];
  const matcher = new TopicFilter(filter);
  const sub = c.onMessage((m) => {
    const at = sentAt();
    if (at === undefined || !matcher.matches(m.topic)) {
      return;
    }
    if (withId) {
      const ids = m.packet.properties?.subscriptionIdentifier;
      if (!(Array.isArray(ids) ? ids.includes(subId) : ids === subId)) {
        return;
      }
    }
    const r = received(m, at);
    messages.push(r);
    onMessage(r);
  });
  // MQTT 5 retain handling 2: the broker sends no retained message for this subscription, so an
  // old retained message can never count as the answer (3.1.1 relies on `sentAt` alone).
  const granted = await client.subscribeAsync(filter, v5 ? { qos: 2, rap: true, rh: 2, ...(withId ? { properties: { subscriptionIdentifier: subId } } : {}) } : { qos: 2 });
  const code = granted[0]?.qos ?? 0x80;
  if (code >= 0x80) {
    sub.dispose();
    throw new Error(l10n.t('The broker refused the subscription {0} (reason code 0x{1}): the expectation cannot be checked', filter, code.toString(16)));
  }
  // The tree's own subscriptions stay: unsubscribing one of them would stop the topic tree.
  const own = c.subscriptions.some((s) => s.filter === filter);
  return {
    messages,
    dispose: async () => {
      sub.dispose();
      if (c.mqttClient === client) {
        if (!own) {
          await client.unsubscribeAsync(filter).catch(() => undefined);
        } else if (v5) {
          // Give the tree its subscription back as it was (its options, its identifier).
          const mine = c.subscriptions.find((s) => s.filter === filter);
          const properties = withId ? { subscriptionIdentifier: subId } : undefined;
          await client.subscribeAsync(filter, { qos: mine?.qos ?? 0, rap: mine?.rap ?? true, nl: mine?.nl ?? false, rh: mine?.rh ?? 0, ...(properties ? { properties } : {}) }).catch(() => undefined);
        }
      }
    },
  };
}

const headerText = (v: unknown): string => (typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

function receivedAmqp(m: ConsumeMessage, sentAt: number): ReceivedMessage {
  const p = m.properties;
  const r: { -readonly [K in keyof ReceivedMessage]: ReceivedMessage[K] } = {
    topic: m.fields.routingKey,
    exchange: m.fields.exchange,
    redelivered: m.fields.redelivered,
    payload: Uint8Array.from(m.content),
    qos: 0,
    retain: false,
    afterMs: Math.max(0, Date.now() - sentAt),
  };
  if (typeof p.contentType === 'string') {
    r.contentType = p.contentType;
  }
  if (p.correlationId !== undefined && p.correlationId !== null) {
    r.correlationId = String(p.correlationId);
  }
  if (typeof p.replyTo === 'string') {
    r.replyTo = p.replyTo;
  }
  if (p.headers && Object.keys(p.headers).length) {
    r.headers = Object.fromEntries(Object.entries(p.headers as Record<string, unknown>).map(([k, v]) => [k, headerText(v)]));
  }
  return r;
}

/**
 * AMQP: `Exchange:` binds a server-named exclusive, auto-delete queue with the routing-key pattern
 * (as the tap does) and consumes it without acks; `Queue:` consumes the queue itself with acks —
 * each message is acknowledged (taken) as it arrives, or with `Peek: true` kept unacknowledged and
 * put back (nack, requeue) when the watch ends. Resolves after the broker's consume-ok.
 */
async function watchAmqp(c: AmqpConnection, e: ResolvedExpectation, sentAt: () => number | undefined, onMessage: (m: ReceivedMessage) => void): Promise<Watch> {
  const model = c.channelModel;
  if (!model) {
    throw new Error(l10n.t('"{0}" is not connected.', c.profile.name));
  }
  const channel: Channel = await model.createChannel();
  let closed = false;
  channel.on('error', () => {}); // a refused queue or exchange closes this channel only: said below
  channel.on('close', () => (closed = true));
  const messages: ReceivedMessage[] = [];
  const held: ConsumeMessage[] = [];
  let queue: string;
  try {
    // The tap and the reply queue are server-named, exclusive, auto-deleted: they go with the channel.
    const tap = e.queue === undefined;
    if (tap) {
      queue = (await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false })).queue;
      if (e.exchange !== undefined) {
        await channel.bindQueue(queue, e.exchange, e.filter);
      }
    } else {
      queue = e.queue!;
      await channel.checkQueue(queue);
    }
    await channel.consume(
      queue,
      (m) => {
        if (!m) {
          return;
        }
        const at = sentAt();
        if (!tap) {
          if (e.peek || at === undefined) {
            held.push(m); // put back at the end: a message that was there before the send is not ours to take
          } else {
            channel.ack(m);
          }
        }
        if (at === undefined) {
          return;
        }
        const r = receivedAmqp(m, at);
        messages.push(r);
        onMessage(r);
      },
      { noAck: tap },
    );
  } catch (err) {
    await channel.close().catch(() => {});
    const what = e.exchange !== undefined ? l10n.t('the exchange {0}', e.exchange) : e.queue !== undefined ? l10n.t('the queue {0}', e.queue) : l10n.t('a reply queue');
    throw new Error(l10n.t('Could not listen to {0}: {1}', what, brokerReply(err)), { cause: err });
  }
  return {
    messages,
    queue,
    dispose: async () => {
      if (!closed) {
        for (const m of held) {
          channel.nack(m, false, true);
        }
        await channel.close().catch(() => {});
      }
    },
  };
}

/** Runs `block` as a test (see the file comment). */
export async function runBlockTest(file: MessageFile, block: MessageBlock, env: ResolveEnv, options: RunOptions): Promise<BlockTestResult> {
  const started = Date.now();
  const name = blockTitle(block);
  const done = (outcome: BlockTestResult['outcome'], message: string | undefined, expectations: ExpectationOutcome[] = []): BlockTestResult => ({
    name,
    line: block.requestLine,
    outcome,
    ...(message !== undefined ? { message } : {}),
    durationMs: Date.now() - started,
    expectations,
  });
  if (!block.expectations.length) {
    return done('errored', l10n.t('This block has no EXPECT: there is nothing to check'));
  }
  const first = resolveBlock(file, block, env);
  if ('error' in first) {
    return done('errored', first.error);
  }
  if (first.verb !== 'PUBLISH' || !first.draft) {
    return done('errored', l10n.t('Only PUBLISH blocks can have expectations'));
  }
  const resolved = resolveExpectations(file, block, env, options.defaultWithinMs);
  if ('error' in resolved) {
    return done('errored', resolved.error);
  }
  // Request/response: `Response-Topic: auto` / `Reply-To: auto` get a fresh topic (or queue) and
  // correlation for this run; the reply expectations listen there and count only that correlation.
  const correlation = env.uuid();
  const mqttAuto = first.draft.mqtt?.responseTopic?.toLowerCase() === 'auto';
  const amqpAuto = first.draft.amqp?.replyTo?.toLowerCase() === 'auto';
  const responseTopic = `broker-explorer/replies/${correlation}`;
  const mqttCorrelation = first.draft.mqtt?.correlationData ?? correlation;
  const amqpCorrelation = first.draft.amqp?.correlationId ?? correlation;
  const expectations = resolved.map((e): ResolvedExpectation => {
    if (!e.reply) {
      return e;
    }
    return e.kind === 'amqp' ? { ...e, correlationId: e.correlationId ?? amqpCorrelation } : { ...e, filter: responseTopic, correlationData: e.correlationData ?? mqttCorrelation };
  });
  let replyQueue: string | undefined;
  const prepare = (draft: PublishDraft): PublishDraft => {
    if (mqttAuto && draft.mqtt) {
      return { ...draft, mqtt: { ...draft.mqtt, responseTopic, correlationData: mqttCorrelation } };
    }
    if (amqpAuto && draft.amqp) {
      return { ...draft, amqp: { ...draft.amqp, replyTo: replyQueue ?? '', correlationId: amqpCorrelation } };
    }
    return draft;
  };
  const watches: Watch[] = [];
  let sentAt: number | undefined;
  let wake: (() => void) | undefined;
  const tallies: Tally[] = [];
  try {
    for (const e of expectations) {
      const kind = e.kind ?? 'mqtt';
      const conn = await options.connection(e.connection, kind);
      if (conn.profile.kind !== kind) {
        return done('errored', l10n.t('"{0}" is not an {1} connection', e.connection, kind.toUpperCase()));
      }
      const tally: Tally = { matched: 0 };
      tallies.push(tally);
      const count = (m: ReceivedMessage) => {
        if (m.afterMs <= e.withinMs && mismatches(e, m).length === 0) {
          tally.matched++;
        }
        wake?.();
      };
      const w = kind === 'mqtt' ? await watchMqtt(conn as MqttConnection, e.filter, () => sentAt, count) : await watchAmqp(conn as AmqpConnection, e, () => sentAt, count);
      watches.push(w);
      if (e.reply && kind === 'amqp') {
        replyQueue ??= w.queue;
      }
    }
    if (amqpAuto && replyQueue === undefined) {
      return done('errored', l10n.t('Reply-To: auto needs an EXPECT amqp://CONNECTION without Queue or Exchange: the reply queue is made for it'));
    }
    if (options.signal?.aborted) {
      return done('cancelled', l10n.t('Cancelled'));
    }
    const target = await options.connection(first.connection, first.kind);
    sentAt = Date.now();
    for (let i = 0; i < first.repeat; i++) {
      const r = i === 0 ? first : resolveBlock(file, block, env);
      if ('error' in r || !r.draft) {
        return done('errored', 'error' in r ? r.error : l10n.t('nothing to send'));
      }
      const draft = r.encoding ? await encodeDraft(r.draft, r.encoding, env.protobufTypes, options.limits?.maxPayloadBytes) : r.draft;
      if ('error' in draft) {
        return done('errored', draft.error);
      }
      const sent = await options.send(target, prepare(draft), options.limits);
      if (!sent.ok) {
        return done('errored', sent.text);
      }
      if (first.intervalMs && i + 1 < first.repeat) {
        await new Promise((res) => setTimeout(res, first.intervalMs));
      }
    }
    const sendDone = Date.now();
    // Wait until each expectation is settled or its time (counted from the send) is up.
    await new Promise<void>((resolve) => {
      const check = () => {
        const now = Date.now();
        const open = expectations.some((e, k) => now - sentAt! < e.withinMs && !isSettled(e, tallies[k]!.matched));
        if (!open || options.signal?.aborted) {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
      };
      const longest = Math.max(...expectations.map((e) => e.withinMs)) - (sendDone - sentAt!);
      const timer = setTimeout(check, Math.max(0, longest) + 5);
      options.signal?.addEventListener('abort', check, { once: true });
      wake = check;
      check();
    });
    if (options.signal?.aborted) {
      return done('cancelled', l10n.t('Cancelled'));
    }
    const outcomes = expectations.map((e, k) => ({ expectation: e, result: judge(e, watches[k]!.messages.filter((m) => m.afterMs <= e.withinMs)) }));
    const failed = outcomes.find((o) => !o.result.passed);
    const result = done(failed ? 'failed' : 'passed', failed ? `${failed.expectation.title}: ${failed.result.message}` : undefined, outcomes);
    const k = captureExpectationIndex(block);
    const e = expectations[k];
    const capture = e ? watches[k]!.messages.find((m) => m.afterMs <= e.withinMs && mismatches(e, m).length === 0) : undefined;
    return capture ? { ...result, capture } : result;
  } catch (err) {
    return done('errored', err instanceof Error ? err.message : String(err));
  } finally {
    wake = undefined;
    await Promise.all(watches.map((w) => w.dispose()));
  }
}

export interface FileRunHooks {
  /** A block starts; `dependency` when it runs because a later block captures from it. */
  started?(block: MessageBlock, dependency: boolean): void;
  finished?(block: MessageBlock, result: BlockTestResult, dependency: boolean): void;
}

/**
 * One run of a file's tests: captures pass from block to block. `run(block)` first runs the blocks
 * above it whose responses it captures (and theirs) that have not run yet in this run, then the
 * block; a block runs at most once per run (asking again gives its result).
 */
export function fileRun(file: MessageFile, env: ResolveEnv, options: RunOptions, hooks: FileRunHooks = {}): { readonly captures: ReadonlyMap<string, BlockCapture>; run(block: MessageBlock): Promise<BlockTestResult> } {
  const captures = new Map<string, BlockCapture>();
  const results = new Map<MessageBlock, BlockTestResult>();
  const one = async (block: MessageBlock, dependency: boolean): Promise<BlockTestResult> => {
    hooks.started?.(block, dependency);
    const r = await runBlockTest(file, block, { ...env, captures }, options);
    results.set(block, r);
    if (block.name !== undefined && findNamedBlock(file, block.name) === block) {
      captures.set(block.name, r.capture ? { outcome: r.outcome, message: r.capture } : { outcome: r.outcome });
    }
    hooks.finished?.(block, r, dependency);
    return r;
  };
  return {
    captures,
    run: async (block) => {
      for (const d of captureDependencies(file, block)) {
        if (!results.has(d) && !options.signal?.aborted) {
          await one(d, true);
        }
      }
      return results.get(block) ?? one(block, false);
    },
  };
}
