// What the publish panel's Encoding control takes from the payload decoders and the Sparkplug B
// tracker (issue 20): the workspace's protobuf types, the encoding a decoders.json mapping gives a
// destination, the metrics of the last BIRTH for the NCMD / DCMD builder, and the session's
// Sparkplug rules (Simulate edge node; each edge node's commands confirmed once, in a modal).
import * as vscode from 'vscode';
import { birthMetrics, SparkplugSendGuard } from '../core/codecs/sparkplug/commands';
import { parseSparkplugTopic } from '../core/codecs/sparkplug/topic';
import type { PublishEncodingHost } from '../core/messageFiles/publishEncoding';
import type { LazyDecoders } from './decodersLazy';
import type { SparkplugTracker } from './sparkplug';

export function publishEncodingHost(decoders: LazyDecoders, sparkplug: SparkplugTracker): PublishEncodingHost {
  const guard = new SparkplugSendGuard(async (question) => {
    const send = vscode.l10n.t('Send');
    return (await vscode.window.showWarningMessage(question, { modal: true, detail: vscode.l10n.t('Asked once per edge node in this session.') }, send)) === send;
  });
  return {
    protobufTypes: (type) => decoders.protobufType(type),
    types: () => decoders.protobufTypeNames(),
    mapped: async (hints) => {
      const mapped = await decoders.encodingFor(hints);
      const sp = hints.topic !== undefined ? parseSparkplugTopic(hints.topic) : undefined;
      return mapped ?? (sp && sp.kind !== 'state' ? 'sparkplug' : undefined);
    },
    birthMetrics: (brokerId, topic) => birthMetrics(sparkplug.state(brokerId), topic),
    sparkplugState: (brokerId) => sparkplug.state(brokerId),
    guard,
  };
}
