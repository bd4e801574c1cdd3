// The row of a broker connection, the root of both broker trees (MQTT and AMQP add their own
// details): label, state icon, description, context value for menus, tooltip, accessibility.
import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/brokers/connection';
import { codeSpan, escapeMarkdown } from '../core/format/markup';
import { formatEndpoint, tlsUnverified, type BrokerKind } from '../core/brokers/profile';
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
 * Brokers from `.vscode/brokers.json` end with `+workspace`.
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
  return flags.join('+');
}

/** What the MQTT or AMQP tree adds to the common row. */
export interface ConnectionRowDetails {
  readonly hasChildren: boolean;
  /** Shown after the endpoint in the description (topic count, server, filter). */
  readonly details: readonly string[];
  /** The tree's topic filter on this broker, if any. */
  readonly filter?: string;
  /** Tooltip markdown before the user line (the AMQP vhost) and after the TLS line (the MQTT session). */
  readonly tooltipBeforeUser?: string;
  readonly tooltipAfterTls?: string;
}

export function connectionTreeItem(connection: BrokerConnection, row: ConnectionRowDetails): vscode.TreeItem {
  const { profile, state } = connection;
  const endpoint = formatEndpoint(profile.host, profile.port);
  const item = new vscode.TreeItem(profile.name, row.hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  // VS Code keeps an item that had no children collapsed when children arrive: a new id for
  // the broker with children makes it honour Expanded on the first render.
  item.id = `${profile.kind}/${profile.id}${row.hasChildren ? '' : '/empty'}`;
  const stateText = describeState(state);
  const details = [profile.name === endpoint ? '' : endpoint, ...row.details];
  if (row.filter !== undefined) {
    details.push(`filter: ${row.filter}`);
  }
  if (profile.source?.kind === 'workspace') {
    details.push(vscode.l10n.t('workspace: {0}', profile.source.name));
  }
  const unverified = tlsUnverified(profile);
  if (unverified) {
    details.unshift(vscode.l10n.t('TLS not verified'));
  }
  // Why it is reconnecting, and what is wrong with a working connection, are said on the node.
  const problem = state.kind === 'reconnecting' ? state.reason : connection.warning;
  item.description = [stateText, ...(problem ? [problem] : []), ...details.filter(Boolean)].join(' · ');
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
  md.appendMarkdown(`${codeSpan(endpoint)}\n\n`);
  if (profile.source?.kind === 'workspace') {
    md.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('workspace: {0}', profile.source.name))} — ${escapeMarkdown(vscode.l10n.t('defined in .vscode/brokers.json'))}\n\n`);
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
