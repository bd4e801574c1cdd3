// The row of a broker connection, the root of both broker trees (MQTT and AMQP add their own
// details): label, state icon, description, context value for menus, tooltip, accessibility.
import * as vscode from 'vscode';
import { BrokerConnection } from '../core/brokers/connection';
import { codeSpan, escapeMarkdown } from '../core/format/markup';
import { endpointsOf, formatEndpoint, tlsUnverified, usesTls, type BrokerKind } from '../core/brokers/profile';
import { canConnect, canDisconnect, describeState, type ConnectionState } from '../core/brokers/state';

const KIND_LABEL: Record<BrokerKind, string> = { mqtt: 'MQTT', amqp: 'AMQP' };

function stateIcon(state: ConnectionState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'connected':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'connecting':
      return new vscode.ThemeIcon('loading~spin');
    case 'reconnecting':
      return new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('list.warningForeground'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'disconnected':
      return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('disabledForeground'));
  }
}

/**
 * `broker+mqtt+connected+canDisconnect`: menus match `viewItem =~ /^broker\b.*\+canDisconnect/`.
 * Brokers from `.vscode/brokers.json` have `+workspace`, TLS brokers end with `+tls`.
 */
export function contextValue(connection: BrokerConnection, filtered = false): string {
  const flags = ['broker', connection.profile.kind, connection.state.kind];
  if (canConnect(connection.state)) {
    flags.push('canConnect');
  }
  if (canDisconnect(connection.state)) {
    flags.push('canDisconnect');
  }
  if (filtered) {
    flags.push('filtered');
  }
  if (connection.profile.source?.kind === 'workspace') {
    flags.push('workspace');
  }
  if (usesTls(connection.profile)) {
    flags.push('tls');
  }
  return flags.join('+');
}

/**
 * The broker rows' expansion, the same for both trees. VS Code applies a row's collapsible state
 * only to an id it has not seen, and keeps a row that had no children collapsed when children
 * arrive: so each time a broker row gains children it gets a fresh id, expanded unless the user
 * collapsed that broker last. While it has children the id stays, and VS Code keeps whatever the
 * user does — a row is never expanded or collapsed by us after the user touched it.
 */
class BrokerExpansion {
  /** The user's last choice per broker id: true expanded, false collapsed. */
  private readonly chosen = new Map<string, boolean>();
  /** Per broker id: the id suffix in use while it has children, undefined while it has none. */
  private readonly current = new Map<string, string | undefined>();
  private generation = 0;

  /** Follows the user's expand and collapse of broker rows in `view`. */
  watch(view: vscode.TreeView<unknown>): vscode.Disposable {
    const note = (element: unknown, expanded: boolean) => {
      if (element instanceof BrokerConnection) {
        this.chosen.set(element.id, expanded);
      }
    };
    return vscode.Disposable.from(
      view.onDidExpandElement((e) => note(e.element, true)),
      view.onDidCollapseElement((e) => note(e.element, false)),
    );
  }

  row(connection: BrokerConnection, hasChildren: boolean): { id: string; state: vscode.TreeItemCollapsibleState } {
    const base = `${connection.profile.kind}/${connection.id}`;
    if (!hasChildren) {
      this.current.set(connection.id, undefined);
      return { id: `${base}/empty`, state: vscode.TreeItemCollapsibleState.None };
    }
    let suffix = this.current.get(connection.id);
    if (suffix === undefined) {
      suffix = String(++this.generation);
      this.current.set(connection.id, suffix);
    }
    const collapsed = this.chosen.get(connection.id) === false;
    return { id: `${base}/${suffix}`, state: collapsed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded };
  }

  /** The user's last choice for this broker, if they made one (for tests). */
  choiceOf(connectionId: string): boolean | undefined {
    return this.chosen.get(connectionId);
  }
}

export const brokerExpansion = new BrokerExpansion();

/** What the MQTT or AMQP tree adds to the common row. */
export interface ConnectionRowDetails {
  readonly hasChildren: boolean;
  /** Shown right after the state in the description (topic count and rate, server). */
  readonly details: readonly string[];
  /** The tree's topic filter on this broker, if any. */
  readonly filter?: string;
  /** Tooltip markdown before the user line (the AMQP vhost) and after the TLS line (the MQTT session). */
  readonly tooltipBeforeUser?: string;
  readonly tooltipAfterTls?: string;
}

export function connectionTreeItem(connection: BrokerConnection, row: ConnectionRowDetails): vscode.TreeItem {
  const { profile, state } = connection;
  // A cluster's row names the node in use; its tooltip lists them all.
  const endpoint = connection.currentEndpoint;
  const expansion = brokerExpansion.row(connection, row.hasChildren);
  const item = new vscode.TreeItem(profile.name, expansion.state);
  item.id = expansion.id;
  const stateText = describeState(state);
  // Narrow sidebars cut the end: the state first, then the counts, then the rest, the endpoint last
  // (the tooltip has it all).
  const unverified = tlsUnverified(profile);
  // A connection anyone on the path can read is said before anything else but the state.
  const parts = [stateText, ...(unverified ? [vscode.l10n.t('TLS not verified')] : []), ...row.details];
  // Why it is reconnecting, and what is wrong with a working connection, are said on the node.
  const problem = state.kind === 'reconnecting' ? state.reason : connection.warning;
  if (problem) {
    parts.push(problem);
  }
  if (row.filter !== undefined) {
    parts.push(`filter: ${row.filter}`);
  }
  if (profile.source?.kind === 'workspace') {
    parts.push(vscode.l10n.t('workspace: {0}', profile.source.name));
  }
  // A connected cluster's state already names its node ("connected to node2:1883").
  if (profile.name !== endpoint && !(state.kind === 'connected' && state.endpoint)) {
    parts.push(endpoint);
  }
  item.description = parts.filter(Boolean).join(' · ');
  // The state icon keeps its shape; a broker without certificate checks wears the warning colour,
  // a working connection with a problem (a refused subscription, RabbitMQ blocking) a warning icon.
  item.iconPath =
    connection.warning && state.kind === 'connected'
      ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
      : unverified
        ? new vscode.ThemeIcon(stateIcon(state).id, new vscode.ThemeColor('list.warningForeground'))
        : stateIcon(state);
  item.contextValue = contextValue(connection, row.filter !== undefined);
  item.tooltip = tooltip(connection, row, stateText, endpoint);
  item.accessibilityInformation = {
    label: vscode.l10n.t('{0} broker {1} at {2}: {3}', KIND_LABEL[profile.kind], profile.name, endpoint, stateText) + (unverified ? `, ${vscode.l10n.t('TLS not verified')}` : ''),
    role: 'treeitem',
  };
  if (canConnect(state)) {
    item.command = { command: 'brokerExplorer.connectBroker', title: vscode.l10n.t('Connect'), arguments: [connection] };
  }
  return item;
}

/** Names, users, filters and failure reasons are data (a shared brokers.json, the broker): escaped, no icons. */
function tooltip(connection: BrokerConnection, row: ConnectionRowDetails, stateText: string, endpoint: string): vscode.MarkdownString {
  const { profile } = connection;
  const md = new vscode.MarkdownString(undefined, false);
  md.supportHtml = false;
  md.isTrusted = false;
  md.supportThemeIcons = false;
  md.appendMarkdown(`**${escapeMarkdown(profile.name)}** — ${KIND_LABEL[profile.kind]}\n\n`);
  const nodes = endpointsOf(profile);
  md.appendMarkdown(
    nodes.length > 1
      ? `${escapeMarkdown(vscode.l10n.t('cluster:'))} ${nodes.map((n) => formatEndpoint(n.host, n.port)).map((n) => (n === endpoint ? `**${codeSpan(n)}**` : codeSpan(n))).join(', ')}\n\n`
      : `${codeSpan(endpoint)}\n\n`,
  );
  if (profile.source?.kind === 'workspace') {
    md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('workspace: {0}', profile.source.name))} — ${escapeMarkdown(vscode.l10n.t('defined in .vscode/brokers.json'))}\n\n`);
  }
  if (profile.proxy && profile.proxy !== 'system') {
    md.appendMarkdown(`${escapeMarkdown(profile.proxy === 'none' ? vscode.l10n.t('proxy: none (direct)') : vscode.l10n.t('proxy:'))}${profile.proxy === 'none' ? '' : ` ${codeSpan(profile.proxy)}`}\n\n`);
  }
  md.appendMarkdown(row.tooltipBeforeUser ?? '');
  if (profile.username) {
    md.appendMarkdown(`user ${codeSpan(profile.username)}\n\n`);
  }
  if (tlsUnverified(profile)) {
    md.appendMarkdown(`**${escapeMarkdown(vscode.l10n.t('TLS certificate not verified'))}**: ${escapeMarkdown(vscode.l10n.t('anyone on the network path can read and change this connection'))}\n\n`);
  }
  md.appendMarkdown(row.tooltipAfterTls ?? '');
  md.appendMarkdown(escapeMarkdown(stateText));
  const state = connection.state;
  if (state.kind === 'reconnecting') {
    md.appendMarkdown(`\n\n${escapeMarkdown(state.reason)}`);
  }
  if (connection.warning) {
    md.appendMarkdown(`\n\n**${escapeMarkdown(vscode.l10n.t('Warning'))}:** ${escapeMarkdown(connection.warning)}`);
  }
  return md;
}
