// AMQP view commands: refresh a broker, show an exchange or queue by name (or say it does not exist), filter queues.
import * as vscode from 'vscode';
import { guarded } from '../shared/log';
import type { AmqpCommandContext, Target } from './amqpTargets';
import { registerCommand } from '../shared/commands';
import { showWarning } from '../shared/notify';

export function amqpViewCommands(x: AmqpCommandContext): vscode.Disposable[] {
  const { tree, registry, log, connectionOf, ask, nonEmpty } = x;
  return [
    registerCommand(
      'brokerExplorer.refreshBroker',
      guarded(log, 'Refresh', async (target?: Target) => {
        const c = connectionOf(target);
        await tree.refreshAmqp(c);
        if (c.topology?.error) {
          void log.showError(c.topology.error);
        }
        return c.topology;
      }),
    ),
    registerCommand(
      'brokerExplorer.watchName',
      guarded(log, 'Show Exchange or Queue by Name', async (target?: Target, a?: { kind?: 'exchange' | 'queue'; name: string }) => {
        const c = connectionOf(target);
        const typed = a?.name ?? (await ask(vscode.l10n.t('Name of a queue or an exchange in vhost "{0}"', c.profile.vhost), '', nonEmpty));
        const name = typed?.trim();
        if (!name) {
          return undefined;
        }
        // Passive declares answer with or without the management API; a 404 closes only its own
        // channel, never the connection.
        const exists = (kind: 'exchange' | 'queue'): Promise<boolean> =>
          c.withChannel((ch) => (kind === 'queue' ? ch.checkQueue(name) : ch.checkExchange(name))).then(
            () => true,
            () => false,
          );
        const kinds = a?.kind ? [a.kind] : (['queue', 'exchange'] as const);
        const found: ('exchange' | 'queue')[] = [];
        for (const kind of kinds) {
          if (await exists(kind)) {
            found.push(kind);
          }
        }
        if (!found.length) {
          const message =
            a?.kind === 'queue'
              ? vscode.l10n.t('No queue named "{0}" in vhost "{1}"', name, c.profile.vhost)
              : a?.kind === 'exchange'
                ? vscode.l10n.t('No exchange named "{0}" in vhost "{1}"', name, c.profile.vhost)
                : vscode.l10n.t('No queue or exchange named "{0}" in vhost "{1}"', name, c.profile.vhost);
          void showWarning(message);
          return undefined;
        }
        // Watched names are what the tree shows without the management API (checked one by one).
        let watched = c.profile.watched ?? {};
        for (const kind of found) {
          const list = kind === 'queue' ? (watched.queues ?? []) : (watched.exchanges ?? []);
          const next = list.includes(name) ? list : [...list, name];
          watched = kind === 'queue' ? { ...watched, queues: next } : { ...watched, exchanges: next };
        }
        await registry.patchProfile(c.id, { watched });
        await tree.refreshAmqp(c);
        return name;
      }),
    ),
    registerCommand(
      'brokerExplorer.filterQueues',
      guarded(log, 'Filter Queues', async (target?: Target, regexArg?: string) => {
        const c = connectionOf(target);
        const regex =
          regexArg ??
          (await ask(vscode.l10n.t('Regular expression on queue names, e.g. ^orders\\. (empty: all queues)'), c.queueFilter ?? '', (v) => {
            try {
              new RegExp(v);
              return undefined;
            } catch (err) {
              return err instanceof Error ? err.message : String(err);
            }
          }));
        if (regex === undefined) {
          return undefined;
        }
        c.queueFilter = regex.trim() || undefined;
        await tree.refreshAmqp(c);
        return c.queueFilter ?? '';
      }),
    ),
  ];
}
