/** The connections the form can send through, without a DOM: how each is labelled, and why a send is refused. */
import * as l10n from '@vscode/l10n';
import type { PublishTarget } from '../../../src/core/protocol/publish';

/** Why a send to this target is refused before anything is checked, or undefined. */
export function sendRefusal(target: PublishTarget | undefined): string | undefined {
  if (!target) {
    return l10n.t('Pick a connection to send through.');
  }
  if (!target.connected) {
    return l10n.t('“{0}” is not connected: connect it in the Brokers view, then send again.', target.name);
  }
  return undefined;
}

export function targetLabel(target: PublishTarget): string {
  const kind = target.kind === 'amqp' ? 'AMQP' : target.mqttVersion === 4 ? 'MQTT 3.1.1' : target.mqttVersion === 5 ? 'MQTT 5' : 'MQTT';
  return target.connected ? l10n.t('{0} — {1}', target.name, kind) : l10n.t('{0} — {1} (disconnected)', target.name, kind);
}
