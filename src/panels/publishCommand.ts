// "Publish Message…" from anywhere: the palette, a broker row, a topic or an AMQP node, or a caller
// passing `{ brokerId, draft }`. Each tree says what publishing from its own nodes means.
import * as vscode from 'vscode';
import { BrokerConnection } from '../core/brokers/connection';
import { guarded, type Logger } from '../shared/log';
import type { PanelOpener, PublishTarget } from '../shared/panelOpener';
import { registerCommand } from '../shared/commands';

/** Where a tree's node publishes to, or undefined when the node is not that tree's. */
export type PublishTargetOf = (element: unknown) => PublishTarget | undefined;

function isPublishTarget(element: unknown): element is PublishTarget {
  return typeof element === 'object' && element !== null && 'brokerId' in element;
}

export function registerPublishCommand(panels: PanelOpener, log: Logger, trees: readonly PublishTargetOf[]): vscode.Disposable {
  return registerCommand(
    'brokerExplorer.openPublishPanel',
    guarded(log, 'Publish Message', async (element?: unknown) => {
      if (element === undefined) {
        panels.publish();
      } else if (element instanceof BrokerConnection) {
        panels.publish({ brokerId: element.id });
      } else {
        const target = trees.map((targetOf) => targetOf(element)).find((t) => t !== undefined) ?? (isPublishTarget(element) ? { brokerId: element.brokerId, draft: element.draft } : undefined);
        if (!target) {
          throw new Error(vscode.l10n.t('Select a topic in the MQTT view first'));
        }
        panels.publish(target);
      }
      return true;
    }),
  );
}
