// AMQP message commands: publish to an exchange, tap an exchange, peek and purge a queue.
import * as vscode from 'vscode';
import { AmqpNode, exchangeLabel } from './amqpItems';
import { guarded } from '../shared/log';
import type { Options } from 'amqplib';
import { TapManager } from '../core/amqp/taps';
import { escapeIcons } from '../core/format/markup';
import { showInfo, showWarning } from '../shared/notify';
import type { AmqpCommandContext, Target } from './amqpTargets';
import { registerCommand } from '../shared/commands';
import { quickPick } from '../shared/prompts';

export function amqpMessageCommands(x: AmqpCommandContext): vscode.Disposable[] {
  const { taps, log, panels, connectionOf, sameVhost, queueTarget, exchangeTarget, vhostOf, ask, after, confirm } = x;
  return [
    registerCommand(
      'brokerExplorer.publishToExchange',
      guarded(log, 'Publish to Exchange', async (target?: Target, a?: { exchange?: string; routingKey: string; body: string; contentType?: string; headers?: Record<string, unknown> }) => {
        const c = connectionOf(target);
        sameVhost(c, target);
        const exchange = a?.exchange ?? (target instanceof AmqpNode && target.exchange ? target.exchange.name : undefined);
        if (exchange === undefined) {
          throw new Error(vscode.l10n.t('Select an exchange to publish to'));
        }
        if (!a) {
          // The publish panel, aimed at this exchange (it starts from the last message sent there).
          const last = panels.publishHistory(c.id).find((h) => h.draft.amqp?.exchange === exchange)?.draft;
          panels.publish({
            brokerId: c.id,
            draft: last ?? { payload: '{}', format: 'json', amqp: { exchange, routingKey: '', mandatory: true, contentType: 'application/json', deliveryMode: 2 } },
          });
          return undefined;
        }
        const routingKey = a.routingKey;
        const body = Buffer.from(a.body);
        let contentType = a.contentType;
        if (!contentType) {
          try {
            JSON.parse(a.body);
            contentType = 'application/json';
          } catch {
            contentType = 'text/plain';
          }
        }
        const options: Options.Publish = { contentType, headers: a.headers, persistent: true };
        const result = await c.publish(exchange, routingKey, body, options);
        const where = `${exchangeLabel(exchange)} / ${routingKey || '(empty routing key)'}`;
        if (result === 'routed') {
          void showInfo(vscode.l10n.t('Routed: {0} took the message.', where));
        } else {
          void showWarning(vscode.l10n.t('Unroutable — no queue bound for this routing key ({0}). The broker returned the message.', where));
        }
        log.info(`Published to ${where} on "${c.profile.name}": ${result}`);
        await after(c);
        return result;
      }),
    ),
    registerCommand(
      'brokerExplorer.tapExchange',
      guarded(log, 'Tap Exchange', async (target?: Target, a?: { pattern?: string }) => {
        const { c, e } = exchangeTarget(target, vscode.l10n.t('Select an exchange to tap'));
        sameVhost(c, target);
        if (e.name === '') {
          throw new Error(vscode.l10n.t('The default exchange cannot be bound to: tap a queue\'s messages with Peek instead'));
        }
        const usual = e.type === 'topic' ? '#' : e.type === 'fanout' || e.type === 'headers' ? '' : undefined;
        const pattern =
          a?.pattern ??
          (await ask(
            e.type === 'topic' ? vscode.l10n.t('Routing key pattern to tap (# is everything)') : e.type === 'direct' ? vscode.l10n.t('Routing key to tap (direct exchanges match it exactly)') : vscode.l10n.t('Routing key (ignored by {0} exchanges)', e.type),
            usual ?? '',
          ));
        if (pattern === undefined) {
          return undefined;
        }
        // The inspector starts the tap and stops it when it closes.
        await panels.inspect({ kind: 'amqpTap', brokerId: c.id, vhost: c.profile.vhost, exchange: e.name, pattern });
        const key = TapManager.keyFor(c, e.name, pattern);
        if (!taps.tap(key)) {
          throw new Error(vscode.l10n.t('The tap on {0} did not start: see the inspector.', exchangeLabel(e.name)));
        }
        return key;
      }),
    ),
    registerCommand(
      'brokerExplorer.stopTap',
      guarded(log, 'Stop Tap', async (key?: string) => {
        const chosen = key ?? (taps.active.length === 1 ? taps.active[0] : (await quickPick(taps.active.map((k) => ({ label: escapeIcons(k), key: k })), { placeHolder: vscode.l10n.t('Tap to stop') }))?.key);
        return chosen ? taps.stop(chosen) : false;
      }),
    ),
    registerCommand(
      'brokerExplorer.peekQueue',
      guarded(log, 'Peek Messages', async (target?: Target, a?: { count?: number; open?: boolean; offset?: 'first' | 'last'; truncate?: number }) => {
        const { c, q } = queueTarget(target);
        if (q.type === 'stream') {
          // Streams keep their messages: read them from an offset with a consumer of our own.
          sameVhost(c, target);
          const offset =
            a?.offset ??
            (
              await quickPick(
                [
                  { label: vscode.l10n.t('From the first message'), value: 'first' as const },
                  { label: vscode.l10n.t('From the last chunk'), value: 'last' as const },
                ],
                { placeHolder: vscode.l10n.t('Read the stream {0} from', q.name) },
              )
            )?.value;
          if (!offset) {
            return undefined;
          }
          const read = await c.readStream(q.name, a?.count ?? 50, offset);
          if (a?.open !== false) {
            const doc = await vscode.workspace.openTextDocument({
              language: 'json',
              content: JSON.stringify({ stream: q.name, offset, messages: read.map((m) => ({ offset: m.offset, routing_key: m.routingKey, payload: m.body.toString('utf8') })) }, null, 2),
            });
            await vscode.window.showTextDocument(doc, { preview: true });
          }
          return read;
        }
        if (q.type === 'quorum' && a === undefined) {
          const go = await confirm(
            vscode.l10n.t('Peek {0}? Quorum queues count every requeue against their delivery limit.', q.name),
            vscode.l10n.t('Peek'),
            vscode.l10n.t('Peeked messages are taken and put back, so they come back marked redelivered.'),
          );
          if (!go) {
            return undefined;
          }
        }
        const count = a?.count ?? Number(await ask(vscode.l10n.t('How many messages to peek?'), '10', (v) => (/^[1-9]\d{0,3}$/.test(v) ? undefined : vscode.l10n.t('1 to 9999')))) ;
        if (!count) {
          return undefined;
        }
        if (a?.open !== false) {
          // The inspector peeks (and peeks again on request), keeping whole payloads.
          const panel = await panels.inspect({ kind: 'amqpPeek', brokerId: c.id, vhost: vhostOf(c, target), queue: q.name, count });
          await after(c);
          return panel.buffer.size;
        }
        // Called with { open: false } (scripts, tests): the messages, 50,000 payload bytes each unless given.
        const truncate = a?.truncate ?? 50_000;
        const messages = await c.management.peek(vhostOf(c, target), q.name, count, truncate);
        await after(c);
        return messages;
      }),
    ),
    registerCommand(
      'brokerExplorer.purgeQueue',
      guarded(log, 'Purge Queue', async (target?: Target, a?: { confirm?: boolean }) => {
        const { c, q } = queueTarget(target);
        const n = (q.messages_ready ?? 0).toLocaleString('en-US');
        if (a?.confirm !== false && !(await confirm(vscode.l10n.t('Purge {0}? Its {1} ready message(s) are deleted.', q.name, n), vscode.l10n.t('Purge')))) {
          return false;
        }
        await c.management.purge(vhostOf(c, target), q.name);
        await after(c);
        return true;
      }),
    ),
  ];
}
