// AMQP view commands: refresh a broker, show an exchange or queue by name, filter queues.
import * as vscode from 'vscode';
import { guarded } from '../shared/log';
import type { AmqpCommandContext, Target } from './amqpTargets';
import { registerCommand } from '../shared/commands';
import { quickPick } from '../shared/prompts';

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
      guarded(log, 'Show Exchange or Queue by Name', async (target?: Target, a?: { kind: 'exchange' | 'queue'; name: string }) => {
        const c = connectionOf(target);
        const kind =
          a?.kind ??
          (
            await quickPick(
              [
                { label: vscode.l10n.t('Queue'), value: 'queue' as const },
                { label: vscode.l10n.t('Exchange'), value: 'exchange' as const },
              ],
              { placeHolder: vscode.l10n.t('Without the management API, named exchanges and queues are checked one by one') },
            )
          )?.value;
        if (!kind) {
          return undefined;
        }
        const name = a?.name ?? (await ask(kind === 'queue' ? vscode.l10n.t('Queue name') : vscode.l10n.t('Exchange name'), '', nonEmpty));
        if (!name) {
          return undefined;
        }
        const watched = c.profile.watched ?? {};
        const list = kind === 'queue' ? (watched.queues ?? []) : (watched.exchanges ?? []);
        const next = list.includes(name.trim()) ? list : [...list, name.trim()];
        await registry.patchProfile(c.id, { watched: kind === 'queue' ? { ...watched, queues: next } : { ...watched, exchanges: next } });
        await tree.refreshAmqp(c);
        return name.trim();
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
