import * as vscode from 'vscode';
import { codeFence, escapeMarkdown } from '../core/format/markup';
import type { AmqpConnection, VhostTopology } from '../core/amqp/amqpConnection';
import type { BindingInfo, ExchangeInfo, QueueInfo } from '../core/amqp/management';

/** Nodes of the AMQP tree below a broker, made from its last topology snapshot. */
export class AmqpNode {
  constructor(
    readonly type: 'vhost' | 'exchanges' | 'queues' | 'defaultExchanges' | 'exchange' | 'queue' | 'binding' | 'notice',
    readonly connection: AmqpConnection,
    readonly vhost: VhostTopology | undefined,
    readonly exchange?: ExchangeInfo,
    readonly queue?: QueueInfo,
    readonly binding?: BindingInfo,
    readonly message?: string,
  ) {}
}

const isDefaultExchange = (e: ExchangeInfo) => e.name === '' || e.name.startsWith('amq.');
export const exchangeLabel = (name: string) => (name === '' ? '(AMQP default)' : name);

export function amqpChildren(node: AmqpConnection | AmqpNode): AmqpNode[] {
  if (!(node instanceof AmqpNode)) {
    const topology = node.topology;
    if (!topology) {
      return [];
    }
    const notice = topology.error ? [new AmqpNode('notice', node, undefined, undefined, undefined, undefined, topology.error)] : [];
    return [...notice, ...topology.vhosts.map((v) => new AmqpNode('vhost', node, v))];
  }
  const { connection: c, vhost: v } = node;
  if (!v) {
    return [];
  }
  switch (node.type) {
    case 'vhost':
      return [new AmqpNode('exchanges', c, v), new AmqpNode('queues', c, v)];
    case 'exchanges':
      return [
        ...v.exchanges
          .filter((e) => !isDefaultExchange(e))
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((e) => new AmqpNode('exchange', c, v, e)),
        new AmqpNode('defaultExchanges', c, v),
      ];
    case 'defaultExchanges':
      return v.exchanges
        .filter(isDefaultExchange)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((e) => new AmqpNode('exchange', c, v, e));
    case 'queues': {
      const queues = [...v.queues].sort((a, b) => a.name.localeCompare(b.name)).map((q) => new AmqpNode('queue', c, v, undefined, q));
      const hidden = (v.queueMatching ?? v.queueTotal) - v.queues.length;
      return hidden > 0
        ? [...queues, new AmqpNode('notice', c, v, undefined, undefined, undefined, `${hidden.toLocaleString('en-US')} more queues not listed (the first ${v.queues.length} by name are shown) — use Filter Queues`)]
        : queues;
    }
    case 'exchange':
      return v.bindings.filter((b) => b.source === node.exchange!.name && node.exchange!.name !== '').map((b) => new AmqpNode('binding', c, v, node.exchange, undefined, b));
    case 'queue':
      return v.bindings.filter((b) => b.destination_type === 'queue' && b.destination === node.queue!.name).map((b) => new AmqpNode('binding', c, v, undefined, node.queue, b));
    default:
      return [];
  }
}

function args(a: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(a);
  return entries.length ? entries.map(([k, val]) => `${k}=${JSON.stringify(val)}`).join(', ') : '';
}

/** Names and arguments come from the broker: escaped in the title, literal in a code block. */
function tooltip(title: string, rows: [string, string | number | boolean | undefined][]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  md.appendMarkdown(`**${escapeMarkdown(title)}**\n\n`);
  md.appendMarkdown(
    codeFence(
      rows
        .filter(([, val]) => val !== undefined && val !== '')
        .map(([k, val]) => `${k}: ${String(val)}`)
        .join('\n'),
      'yaml',
    ),
  );
  return md;
}

export function amqpTreeItem(node: AmqpNode): vscode.TreeItem {
  const item = amqpTreeItemOf(node);
  // Screen readers hear what kind of node this is with what the row shows (label · description).
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const kind = node.type === 'notice' || label.toLowerCase().startsWith(node.type.slice(0, 5).toLowerCase()) ? '' : `${node.type} `;
  item.accessibilityInformation = { label: `${kind}${label}${item.description ? `, ${String(item.description).replace(/ · /g, ', ')}` : ''}`, role: 'treeitem' };
  return item;
}

function amqpTreeItemOf(node: AmqpNode): vscode.TreeItem {
  const id = (...parts: string[]) => [node.connection.id, node.vhost?.name ?? '', ...parts].join('\u0000');
  const C = vscode.TreeItemCollapsibleState;
  const v = node.vhost;
  switch (node.type) {
    case 'notice': {
      const item = new vscode.TreeItem(node.message ?? '', C.None);
      item.id = id('notice', node.message ?? '');
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.tooltip = node.message;
      item.contextValue = 'amqpNotice';
      return item;
    }
    case 'vhost': {
      const item = new vscode.TreeItem(v!.name, C.Expanded);
      item.id = id('vhost');
      const n = (k: number, one: string) => `${k} ${one}${k === 1 ? '' : 's'}`;
      item.description = `vhost · ${n(v!.exchanges.length, 'exchange')}, ${n(v!.queueTotal, 'queue')}`;
      item.iconPath = new vscode.ThemeIcon('server-environment');
      item.contextValue = 'vhost';
      return item;
    }
    case 'exchanges':
    case 'queues':
    case 'defaultExchanges': {
      const label = node.type === 'exchanges' ? 'Exchanges' : node.type === 'queues' ? 'Queues' : 'Default exchanges';
      const item = new vscode.TreeItem(label, node.type === 'defaultExchanges' ? C.Collapsed : C.Expanded);
      item.id = id(node.type);
      const count = node.type === 'queues' ? v!.queueTotal : v!.exchanges.filter((e) => (node.type === 'exchanges' ? !isDefaultExchange(e) : isDefaultExchange(e))).length;
      item.description = node.type === 'queues' && node.connection.queueFilter ? `${(v!.queueMatching ?? count).toLocaleString('en-US')} of ${count.toLocaleString('en-US')} · filter: ${node.connection.queueFilter}` : String(count);
      item.iconPath = new vscode.ThemeIcon(node.type === 'queues' ? 'inbox' : node.type === 'exchanges' ? 'arrow-swap' : 'library');
      item.contextValue = node.type;
      return item;
    }
    case 'exchange': {
      const e = node.exchange!;
      const bindings = v!.bindings.filter((b) => b.source === e.name && e.name !== '').length;
      const item = new vscode.TreeItem(exchangeLabel(e.name), bindings ? C.Collapsed : C.None);
      item.id = id('exchange', e.name);
      item.description = e.passive ? `${e.type} · checked by name` : [e.type, e.durable ? 'durable' : 'transient', e.auto_delete ? 'auto-delete' : '', e.internal ? 'internal' : '', bindings ? `${bindings} binding${bindings > 1 ? 's' : ''}` : ''].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(e.internal ? 'lock' : 'arrow-swap');
      item.contextValue = `exchange+${e.type}${e.name === '' ? '+default' : ''}${e.name.startsWith('amq.') ? '+amq' : ''}`;
      item.tooltip = tooltip(`Exchange ${exchangeLabel(e.name)}`, [
        ['type', e.type],
        ['durable', e.durable],
        ['auto-delete', e.auto_delete],
        ['internal', e.internal],
        ['arguments', args(e.arguments)],
        ['vhost', e.vhost],
      ]);
      return item;
    }
    case 'queue': {
      const q = node.queue!;
      const bindings = v!.bindings.filter((b) => b.destination_type === 'queue' && b.destination === q.name).length;
      const item = new vscode.TreeItem(q.name, bindings ? C.Collapsed : C.None);
      item.id = id('queue', q.name);
      const ready = q.messages_ready ?? 0;
      const unacked = q.messages_unacknowledged ?? 0;
      const inRate = q.message_stats?.publish_details?.rate;
      const outRate = q.message_stats?.deliver_get_details?.rate;
      item.description = q.passive
        ? q.state === 'running'
          ? `${ready.toLocaleString('en-US')} message${ready === 1 ? '' : 's'} · ${q.consumers ?? 0} consumer${q.consumers === 1 ? '' : 's'} · checked by name`
          : 'not found · checked by name'
        : [
        `${ready.toLocaleString('en-US')} ready`,
        unacked ? `${unacked.toLocaleString('en-US')} unacked` : '',
        `${q.consumers ?? 0} consumer${q.consumers === 1 ? '' : 's'}`,
        q.type && q.type !== 'classic' ? q.type : '',
        inRate || outRate ? `${(inRate ?? 0).toFixed(1)}/s in, ${(outRate ?? 0).toFixed(1)}/s out` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      item.iconPath = new vscode.ThemeIcon(q.type === 'stream' ? 'list-flat' : 'inbox');
      item.contextValue = `queue+${q.type ?? 'classic'}${ready + unacked > 0 ? '+hasMessages' : ''}${q.consumers ? '+hasConsumers' : ''}`;
      const a = q.arguments;
      item.tooltip = tooltip(`Queue ${q.name}`, [
        ['type', q.type ?? 'classic'],
        ['messages ready', ready],
        ['messages unacknowledged', unacked],
        ['consumers', q.consumers ?? 0],
        ['durable', q.durable],
        ['exclusive', q.exclusive],
        ['auto-delete', q.auto_delete],
        ['dead-letter exchange', a['x-dead-letter-exchange'] as string | undefined],
        ['message TTL (ms)', a['x-message-ttl'] as number | undefined],
        ['arguments', args(a)],
        ['state', q.state],
      ]);
      return item;
    }
    case 'binding': {
      const b = node.binding!;
      const out = node.exchange !== undefined;
      const item = new vscode.TreeItem(out ? `→ ${b.destination}` : `← ${exchangeLabel(b.source)}`, C.None);
      item.id = id('binding', out ? 'out' : 'in', b.source, b.destination_type, b.destination, b.properties_key);
      item.description = [b.routing_key ? `routing key ${b.routing_key}` : '(no routing key)', args(b.arguments)].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon('link');
      item.contextValue = `binding+${b.destination_type}${b.source === '' ? '+default' : ''}`;
      return item;
    }
  }
}

/** What Publish Message… means on a node of the AMQP tree: the panel aimed at its broker. */
export function amqpPublishTarget(element: unknown): { brokerId: string } | undefined {
  return element instanceof AmqpNode ? { brokerId: element.connection.id } : undefined;
}
