import * as vscode from 'vscode';
import { AmqpConnection, type QueueType } from '../core/amqp/amqpConnection';
import { guarded, type Logger } from '../shared/log';
import { AmqpNode, exchangeLabel } from './amqpItems';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { Options } from 'amqplib';
import { parseHeaders } from '../core/amqp/headers';
import type { Panels } from '../panels/panels';
import { TapManager } from './amqpTaps';
import type { BrokerNode, BrokerTreeProvider } from '../brokers/brokerTree';
import { showInfo, showWarning } from '../shared/notify';
import { escapeIcons } from '../core/format/markup';

type Target = BrokerNode | undefined;

const EXCHANGE_TYPES = ['direct', 'fanout', 'topic', 'headers'];

/** The last message published to each exchange in this session (the form starts from it). */

export function registerAmqpCommands(tree: BrokerTreeProvider, registry: BrokerRegistry, taps: TapManager, log: Logger, panels: Panels): vscode.Disposable[] {
  const connectionOf = (target: Target): AmqpConnection => {
    const c = target instanceof AmqpNode ? target.connection : target instanceof AmqpConnection ? target : tree.getChildren().find((x) => x instanceof AmqpConnection && x.state.kind === 'connected');
    if (!(c instanceof AmqpConnection)) {
      throw new Error(vscode.l10n.t('Select a connected AMQP broker first'));
    }
    if (c.state.kind !== 'connected') {
      throw new Error(vscode.l10n.t('"{0}" is not connected', c.profile.name));
    }
    return c;
  };
  /** amqplib works in the connection's vhost: say so rather than act on another one. */
  const sameVhost = (c: AmqpConnection, target: Target): void => {
    const vhost = target instanceof AmqpNode ? target.vhost?.name : undefined;
    if (vhost !== undefined && vhost !== c.profile.vhost) {
      throw new Error(vscode.l10n.t('"{0}" is connected to vhost {1}: add a broker for vhost {2} to change it', c.profile.name, c.profile.vhost, vhost));
    }
  };
  /** The queue (or exchange) node a command was run on, with its connected broker. */
  const queueTarget = (target: Target) => {
    if (!(target instanceof AmqpNode) || !target.queue) {
      throw new Error(vscode.l10n.t('Select a queue'));
    }
    return { c: connectionOf(target), q: target.queue };
  };
  const exchangeTarget = (target: Target, message = vscode.l10n.t('Select an exchange')) => {
    if (!(target instanceof AmqpNode) || !target.exchange) {
      throw new Error(message);
    }
    return { c: connectionOf(target), e: target.exchange };
  };
  const vhostOf = (c: AmqpConnection, target: Target) => (target instanceof AmqpNode ? (target.vhost?.name ?? c.profile.vhost) : c.profile.vhost);
  const ask = (prompt: string, value = '', validateInput?: (v: string) => string | undefined) => vscode.window.showInputBox({ prompt, value, validateInput, ignoreFocusOut: true });
  /** Asks for "key=value, …" arguments: resolves with them ({} when left empty) or null when cancelled. */
  const askArguments = async (prompt: string, value = ''): Promise<Record<string, string | number | boolean> | null> => {
    const text = await ask(prompt, value, (v) => {
      const h = parseHeaders(v);
      return typeof h === 'string' ? h : undefined;
    });
    const parsed = text === undefined ? undefined : parseHeaders(text);
    return parsed === undefined || typeof parsed === 'string' ? null : parsed;
  };
  const orUndefined = (args: Record<string, unknown>) => (Object.keys(args).length ? args : undefined);
  const nonEmpty = (v: string) => (v.trim() ? undefined : vscode.l10n.t('Enter a name'));
  const after = async (c: AmqpConnection) => tree.refreshAmqp(c);
  const confirm = async (message: string, action: string, detail?: string): Promise<boolean> =>
    (await showWarning(message, { modal: true, detail }, action)) === action;

  return [
    vscode.commands.registerCommand(
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
    vscode.commands.registerCommand(
      'brokerExplorer.watchName',
      guarded(log, 'Show Exchange or Queue by Name', async (target?: Target, a?: { kind: 'exchange' | 'queue'; name: string }) => {
        const c = connectionOf(target);
        const kind =
          a?.kind ??
          (
            await vscode.window.showQuickPick(
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
    vscode.commands.registerCommand(
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
    vscode.commands.registerCommand(
      'brokerExplorer.declareExchange',
      guarded(log, 'Declare Exchange', async (target?: Target, a?: { name: string; type: string; durable?: boolean; autoDelete?: boolean; arguments?: Record<string, unknown> }) => {
        const c = connectionOf(target);
        sameVhost(c, target);
        const name = a?.name ?? (await ask(vscode.l10n.t('Exchange name, e.g. logs'), '', nonEmpty));
        if (!name) {
          return undefined;
        }
        const type = a?.type ?? (await vscode.window.showQuickPick(EXCHANGE_TYPES, { placeHolder: vscode.l10n.t('Exchange type') }));
        if (!type) {
          return undefined;
        }
        let durable = a?.durable ?? true;
        let autoDelete = a?.autoDelete ?? false;
        let args = a?.arguments;
        if (!a) {
          const life = await vscode.window.showQuickPick(
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
    vscode.commands.registerCommand(
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
            await vscode.window.showQuickPick(
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
          const life = await vscode.window.showQuickPick([vscode.l10n.t('durable'), vscode.l10n.t('transient')], { placeHolder: vscode.l10n.t('Survives a broker restart?') });
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
    vscode.commands.registerCommand(
      'brokerExplorer.bindQueue',
      guarded(log, 'Bind Queue', async (target?: Target, a?: { queue: string; exchange: string; routingKey: string; arguments?: Record<string, unknown> }) => {
        const c = connectionOf(target);
        sameVhost(c, target);
        const vhost = c.topology?.vhosts.find((v) => v.name === vhostOf(c, target));
        const queue = a?.queue ?? (target instanceof AmqpNode && target.queue ? target.queue.name : (await vscode.window.showQuickPick(vhost?.queues.map((q) => ({ label: escapeIcons(q.name), name: q.name })) ?? [], { placeHolder: vscode.l10n.t('Queue to bind') }))?.name);
        if (!queue) {
          return undefined;
        }
        const exchange =
          a?.exchange ??
          (target instanceof AmqpNode && target.exchange
            ? target.exchange.name
            : (await vscode.window.showQuickPick(vhost?.exchanges.filter((e) => e.name !== '').map((e) => ({ label: escapeIcons(e.name), name: e.name })) ?? [], { placeHolder: vscode.l10n.t('Exchange to bind {0} to', queue) }))?.name);
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
    vscode.commands.registerCommand(
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
    vscode.commands.registerCommand(
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
          const last = panels.publisher?.history(c.id).find((h) => h.draft.amqp?.exchange === exchange)?.draft;
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
    vscode.commands.registerCommand(
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
    vscode.commands.registerCommand(
      'brokerExplorer.stopTap',
      guarded(log, 'Stop Tap', async (key?: string) => {
        const chosen = key ?? (taps.active.length === 1 ? taps.active[0] : (await vscode.window.showQuickPick(taps.active.map((k) => ({ label: escapeIcons(k), key: k })), { placeHolder: vscode.l10n.t('Tap to stop') }))?.key);
        return chosen ? taps.stop(chosen) : false;
      }),
    ),
    vscode.commands.registerCommand(
      'brokerExplorer.peekQueue',
      guarded(log, 'Peek Messages', async (target?: Target, a?: { count?: number; open?: boolean; offset?: 'first' | 'last'; truncate?: number }) => {
        const { c, q } = queueTarget(target);
        if (q.type === 'stream') {
          // Streams keep their messages: read them from an offset with a consumer of our own.
          sameVhost(c, target);
          const offset =
            a?.offset ??
            (
              await vscode.window.showQuickPick(
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
    vscode.commands.registerCommand(
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
    vscode.commands.registerCommand(
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
    vscode.commands.registerCommand(
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
