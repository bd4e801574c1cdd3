import * as l10n from '@vscode/l10n';
import type { CertificateProblemKind } from './certificates';
import type { FailureCause } from './errors';

/** What a broker connection is doing right now. The tree renders exactly this. */
export type ConnectionState =
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'connecting'; readonly attempt: number }
  | {
      readonly kind: 'connected';
      readonly since: number;
      /** For a broker with several endpoints (a cluster): the node in use, "node2:1883". */
      readonly endpoint?: string;
      /** The connection came back on another node of the cluster than before. */
      readonly failover?: boolean;
    }
  | { readonly kind: 'reconnecting'; readonly attempt: number; readonly at: number; readonly reason: string }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      /** Set when the fix is a setting of this broker: the notification offers Edit Broker…, the row stays short. */
      readonly cause?: FailureCause;
      /** The connection had been established (it was lost, not refused at the first attempt). */
      readonly lost?: boolean;
      /** With cause 'certificate': what is wrong with the server's certificate (it decides the fixes offered). */
      readonly certificate?: CertificateProblemKind;
    };

export type ConnectionStateKind = ConnectionState['kind'];

/** Short text for a tree item's description. `now` lets "reconnecting in Ns" count down. */
export function describeState(state: ConnectionState, now = Date.now()): string {
  switch (state.kind) {
    case 'disconnected':
      return l10n.t('disconnected');
    case 'connecting':
      return state.attempt > 1 ? l10n.t('connecting (attempt {0})…', state.attempt) : l10n.t('connecting…');
    case 'connected':
      return state.endpoint ? (state.failover ? l10n.t('reconnected to {0}', state.endpoint) : l10n.t('connected to {0}', state.endpoint)) : l10n.t('connected');
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((state.at - now) / 1000));
      return l10n.t('reconnecting in {0}s', seconds);
    }
    case 'failed':
      // The row is narrow: a cause the notification explains in full gets a short phrase here.
      switch (state.cause) {
        case 'credentials':
          return l10n.t('failed: not authorized');
        case 'clientId':
          return l10n.t('failed: client id in use or refused');
        case 'vhost':
          return l10n.t('failed: virtual host not allowed');
        case 'certificate':
          return l10n.t("failed: server certificate not trusted");
        default:
          return l10n.t('failed: {0}', state.reason);
      }
  }
}

export function canConnect(state: ConnectionState): boolean {
  return state.kind === 'disconnected' || state.kind === 'failed';
}

export function canDisconnect(state: ConnectionState): boolean {
  return !canConnect(state);
}
