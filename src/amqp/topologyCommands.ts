// AMQP topology commands: declare, bind, unbind and delete exchanges and queues.
import * as vscode from 'vscode';
import { AmqpNode, exchangeLabel } from './amqpItems';
import { type QueueType } from '../core/amqp/amqpConnection';
import { guarded } from '../shared/log';
import { escapeIcons } from '../core/format/markup';
import { showWarning } from '../shared/notify';
import type { AmqpCommandContext, Target } from './amqpTargets';
import { registerCommand } from '../shared/commands';
import { quickPick } from '../shared/prompts';

const EXCHANGE_TYPES = ['direct', 'fanout', 'topic', 'headers'];

export function amqpTopologyCommands(x: AmqpCommandContext): vscode.Disposable[] {
  const { log, connectionOf, sameVhost, queueTarget, exchangeTarget, vhostOf, ask, askArguments, orUndefined, after, nonEmpty } = x;
  return [
    registerCommand(
      'brokerExplorer.declareExchange',
      guarded(log, 'Declare Exchange', async (target?: Target, a?: { name: string; type: string; durable?: boolean; autoDelete?: boolean; arguments?: Record<string, unknown> }) => {
        const c = connectionOf(target);
        sameVhost(c, target);
        const name = a?.name ?? (await ask(vscode.l10n.t('Exchange name, e.g. logs'), '', nonEmpty));
        if (!name) {
          return undefined;
        }
        const type = a?.type ?? (await quickPick(EXCHANGE_TYPES, { placeHolder: vscode.l10n.t('Exchange type') }));
        if (!type) {
          return undefined;
        }
        let durable = a?.durable ?? true;
        let autoDelete = a?.autoDelete ?? false;
        let args = a?.arguments;
        if (!a) {
          const life = await quickPick(
            [
              { label: vscode.l10n.t('durable'), description: vscode.l10n.t('survives a broker restart'), value: [true, false] as const },
              { label: vscode.l10n.t('transient'), description: vscode.l10n.t('gone after a broker restart'), value: [false, false] as const },
              { label: vscode.l10n.t('auto-delete'), description: vscode.l10n.t('deleted when its last binding goes'), value: [false, true] as const },
            ],
            { placeHolder: vscode.l10n.t('Lifetime of the exchange') },
          );
          if (!life) {
            return undefined;
          }
          [durable, autoDelete] = life.value;
          const asked = await askArguments(vscode.l10n.t('Arguments (optional), e.g. alternate-exchange=unrouted'));
          if (!asked) {
            return undefined;
          }
          args = orUndefined(asked);
        }
        await c.declareExchange(name.trim(), type, { durable, autoDelete, arguments: args });
        log.info(`Declared ${type} exchange "${name}" on "${c.profile.name}"`);
        await after(c);
        return name.trim();
      }),
    ),
    registerCommand(
      'brokerExplorer.declareQueue',
      guarded(log, 'Declare Queue', async (target?: Target, a?: { name: string; type?: QueueType; durable?: boolean; arguments?: Record<string, unknown> }) => {
        const c = connectionOf(target);
        sameVhost(c, target);
        const name = a?.name ?? (await ask(vscode.l10n.t('Queue name'), '', nonEmpty));
        if (!name) {
          return undefined;
        }
        const type =
          a?.type ??
          (
            await quickPick(
              [
                { label: 'classic', value: 'classic' as const },
                { label: 'quorum', description: vscode.l10n.t('replicated, durable'), value: 'quorum' as const },
                { label: 'stream', description: vscode.l10n.t('append-only log'), value: 'stream' as const },
              ],
              { placeHolder: vscode.l10n.t('Queue type') },
            )
          )?.value;
        if (!type) {
          return undefined;
        }
        let args = a?.arguments;
        let durable = a?.durable ?? true;
        if (!a && type === 'classic') {
          const life = await quickPick([vscode.l10n.t('durable'), vscode.l10n.t('transient')], { placeHolder: vscode.l10n.t('Survives a broker restart?') });
          if (!life) {
            return undefined;
          }
          durable = life === vscode.l10n.t('durable');
        }
        if (!a) {
          const asked = await askArguments(vscode.l10n.t('Arguments (optional), e.g. x-dead-letter-exchange=dlx, x-message-ttl=60000, x-max-length=1000'));
          if (!asked) {
            return undefined;
          }
          args = orUndefined(asked);
        }
        const queue = await c.declareQueue(name.trim(), type, { durable, arguments: args });
        await after(c);
        return queue;
      }),
    ),
    registerCommand(
      'brokerExplorer.bindQueue',
      guarded(log, 'Bind Queue', async (target?: Target, a?: { queue: string; exchange: string; routingKey: string; arguments?: Record<string, unknown> }) => {
        const c = connectionOf(target);
        sameVhost(c, target);
        const vhost = c.topology?.vhosts.find((v) => v.name === vhostOf(c, target));
        const queue = a?.queue ?? (target instanceof AmqpNode && target.queue ? target.queue.name : (await quickPick(vhost?.queues.map((q) => ({ label: escapeIcons(q.name), name: q.name })) ?? [], { placeHolder: vscode.l10n.t('Queue to bind') }))?.name);
        if (!queue) {
          return undefined;
        }
        const exchange =
          a?.exchange ??
          (target instanceof AmqpNode && target.exchange
            ? target.exchange.name
            : (await quickPick(vhost?.exchanges.filter((e) => e.name !== '').map((e) => ({ label: escapeIcons(e.name), name: e.name })) ?? [], { placeHolder: vscode.l10n.t('Exchange to bind {0} to', queue) }))?.name);
        if (!exchange) {
          return undefined;
        }
        const exchangeType = vhost?.exchanges.find((e) => e.name === exchange)?.type;
        let bindArgs = a?.arguments;
        let routingKey = a?.routingKey;
        if (routingKey === undefined && exchangeType === 'headers') {
          // Headers exchanges route on header values, not on the routing key.
          const asked = await askArguments(vscode.l10n.t('Headers to match, e.g. x-match=all, site=north, kind=temperature'), 'x-match=all');
          if (!asked) {
            return undefined;
          }
          bindArgs = asked;
          routingKey = '';
        }
        routingKey ??= await ask(vscode.l10n.t('Routing key (a pattern such as sensors.*.temperature for topic exchanges)'));
        if (routingKey === undefined) {
          return undefined;
        }
        await c.bindQueue(queue, exchange, routingKey, bindArgs);
        await after(c);
        return true;
      }),
    ),
    registerCommand(
      'brokerExplorer.unbindQueue',
      guarded(log, 'Unbind', async (target?: Target) => {
        if (!(target instanceof AmqpNode) || !target.binding) {
          throw new Error(vscode.l10n.t('Select a binding'));
        }
        const c = connectionOf(target);
        sameVhost(c, target);
        const b = target.binding;
        await c.unbindQueue(b.destination, b.source, b.routing_key, b.arguments);
        await after(c);
        return true;
      }),
    ),
    registerCommand(
      'brokerExplorer.deleteQueue',
      guarded(log, 'Delete Queue', async (target?: Target, a?: { confirm?: boolean; ifEmpty?: boolean; ifUnused?: boolean }) => {
        const { c, q } = queueTarget(target);
        let options = { ifEmpty: a?.ifEmpty, ifUnused: a?.ifUnused };
        if (a?.confirm !== false) {
          const always = vscode.l10n.t('Delete');
          const safe = vscode.l10n.t('Delete if empty and unused');
          const choice = await showWarning(
            vscode.l10n.t('Delete the queue {0} with {1} message(s)?', q.name, (q.messages ?? q.messages_ready ?? 0).toLocaleString('en-US')),
            { modal: true },
            safe,
            always,
          );
          if (!choice) {
            return false;
          }
          options = choice === safe ? { ifEmpty: true, ifUnused: true } : { ifEmpty: undefined, ifUnused: undefined };
        }
        await c.management.deleteQueue(vhostOf(c, target), q.name, options);
        await after(c);
        return true;
      }),
    ),
    registerCommand(
      'brokerExplorer.deleteExchange',
      guarded(log, 'Delete Exchange', async (target?: Target, a?: { confirm?: boolean; ifUnused?: boolean }) => {
        const { c, e } = exchangeTarget(target);
        if (e.name === '' || e.name.startsWith('amq.')) {
          throw new Error(vscode.l10n.t('{0} is built into RabbitMQ and cannot be deleted', exchangeLabel(e.name)));
        }
        let ifUnused = a?.ifUnused;
        if (a?.confirm !== false) {
          const always = vscode.l10n.t('Delete');
          const safe = vscode.l10n.t('Delete if unused');
          const choice = await showWarning(vscode.l10n.t('Delete the exchange {0}? Its bindings go with it.', e.name), { modal: true }, safe, always);
          if (!choice) {
            return false;
          }
          ifUnused = choice === safe;
        }
        await c.management.deleteExchange(vhostOf(c, target), e.name, { ifUnused });
        await after(c);
        return true;
      }),
    ),
  ];
}
