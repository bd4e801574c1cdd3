// An inspector's source as the glue names it: the key that finds its open panel (one per source)
// and the panel's title.
import * as vscode from 'vscode';
import type { InspectSource } from '../core/protocol/inspect';

export function sourceKey(s: InspectSource): string {
  switch (s.kind) {
    case 'mqtt':
      return `mqtt\u0000${s.brokerId}\u0000${s.filter}`;
    case 'amqpTap':
      return `tap\u0000${s.brokerId}\u0000${s.vhost}\u0000${s.exchange}\u0000${s.pattern}`;
    case 'amqpPeek':
      return `peek\u0000${s.brokerId}\u0000${s.vhost}\u0000${s.queue}`;
  }
}

export function sourceTitle(s: InspectSource, brokerName: string): string {
  switch (s.kind) {
    case 'mqtt':
      return vscode.l10n.t('{0} — {1}', s.filter, brokerName);
    case 'amqpTap':
      return vscode.l10n.t('{0} › {1} — {2}', s.exchange || vscode.l10n.t('(AMQP default)'), s.pattern || vscode.l10n.t('(all)'), brokerName);
    case 'amqpPeek':
      return vscode.l10n.t('{0} (peek) — {1}', s.queue, brokerName);
  }
}
