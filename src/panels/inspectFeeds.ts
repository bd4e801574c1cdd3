// The live feeds of an inspector: an MQTT connection's messages filtered by topic, or an AMQP tap
// on an exchange (a temporary queue bound with a pattern). A feed hands its messages and its
// status lines to the panel through a FeedSink; a queue peek is no feed (the panel reads it once).
import * as vscode from 'vscode';
import type { AmqpConnection } from '../core/amqp/amqpConnection';
import type { BrokerConnection } from '../core/brokers/connection';
import type { Disposable as CoreDisposable } from '../core/brokers/events';
import type { IncomingMessage } from '../core/inspect/buffer';
import { fromLiveMessage, fromTapDelivery } from '../core/inspect/incoming';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import { topicTest } from '../core/inspect/topicTest';
import type { FeedStatus, InspectSource } from '../core/protocol/inspect';
import type { TapManager } from '../core/amqp/taps';

/** What a feed needs from its inspector. */
export interface FeedSink {
  add(m: IncomingMessage): void;
  setStatus(status: FeedStatus): void;
  /** Takes the started feed, unless the panel was closed while it was starting (then it is undone: false). */
  adopt(feed: CoreDisposable): boolean;
  /** The feed ended by itself (a tap stopped): the next connection starts another. */
  ended(): void;
}

/** Listens to the connection's messages whose topic matches the source's filter. */
export function startMqttFeed(c: BrokerConnection, s: Extract<InspectSource, { kind: 'mqtt' }>, sink: FeedSink): void {
  if (!(c instanceof MqttConnection)) {
    throw new Error('Not an MQTT broker');
  }
  const matches = topicTest(s.filter);
  const sub = c.onMessage((m) => {
    if (matches(m.topic)) {
      // MQTT 5: which of the connection's subscriptions it matched (its subscription identifiers).
      sink.add(fromLiveMessage(m, m.packet.properties?.subscriptionIdentifier !== undefined ? c.matchedSubscriptions(m.packet.properties) : undefined));
    }
  });
  if (sink.adopt(sub)) {
    sink.setStatus({ state: 'live', text: vscode.l10n.t('Listening to {0} on {1}', s.filter, c.profile.name) });
  }
}

/** Starts (or joins) the tap of the source's exchange and pattern; the panel's feed stops it. */
export async function startTapFeed(taps: TapManager, c: AmqpConnection, s: Extract<InspectSource, { kind: 'amqpTap' }>, sink: FeedSink): Promise<void> {
  const key = await taps.start(c, s.exchange, s.pattern);
  const tap = taps.tap(key);
  if (!tap) {
    throw new Error('The tap did not start');
  }
  const sub = tap.onMessage((m) => sink.add(fromTapDelivery(m)));
  const stopped = tap.onDidStop(() => {
    sink.ended();
    sink.setStatus({ state: 'stopped', text: vscode.l10n.t('Tap stopped after {0} messages', tap.received.toLocaleString('en-US')) });
  });
  const adopted = sink.adopt({
    dispose: () => {
      sub.dispose();
      stopped.dispose();
      void taps.stop(key);
    },
  });
  if (adopted) {
    sink.setStatus({ state: 'live', text: vscode.l10n.t('Tapping {0} with {1} through the temporary queue {2}', s.exchange, s.pattern || vscode.l10n.t('(all)'), tap.queueName ?? '') });
  }
}
