// The AMQP tree's rows as VS Code TreeItems: made from the plain rows of src/core/amqp/topologyTree.ts.
// Tooltips are made when a row is hovered (resolveTreeItem), not for every row of every poll.
import * as vscode from 'vscode';
import { codeFence, escapeMarkdown } from '../core/format/markup';
import { AmqpNode, type AmqpRow, type RowTooltip } from '../core/amqp/topologyTree';

export { AmqpNode, exchangeLabel } from '../core/amqp/topologyTree';

const COLLAPSIBLE: Record<AmqpRow['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

const icons = new Map<string, vscode.ThemeIcon>();
function icon(id: string, color?: string): vscode.ThemeIcon {
  const key = color ? `${id} ${color}` : id;
  let i = icons.get(key);
  if (!i) {
    i = new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
    icons.set(key, i);
  }
  return i;
}

export function amqpTreeItem(node: AmqpNode): vscode.TreeItem {
  const row = node.row;
  const item = new vscode.TreeItem(row.label, COLLAPSIBLE[row.collapsible]);
  item.id = node.id;
  if (row.description !== undefined) {
    item.description = row.description;
  }
  item.iconPath = icon(row.icon, row.iconColor);
  item.contextValue = row.contextValue;
  if (typeof row.tooltip === 'string') {
    item.tooltip = row.tooltip;
  }
  item.accessibilityInformation = { label: row.accessibilityLabel, role: 'treeitem' };
  return item;
}

/** Names and arguments come from the broker: escaped in the title, literal in a code block. */
function markdownTooltip(t: RowTooltip): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  md.appendMarkdown(`**${escapeMarkdown(t.title)}**\n\n`);
  md.appendMarkdown(codeFence(t.lines.join('\n'), 'yaml'));
  return md;
}

/** The hover of an exchange or queue row: its settings and counts as of the row's snapshot. */
export function resolveAmqpTreeItem(item: vscode.TreeItem, node: AmqpNode): vscode.TreeItem {
  const t = node.row.tooltip;
  if (t !== undefined && typeof t !== 'string' && item.tooltip === undefined) {
    item.tooltip = markdownTooltip(t);
  }
  return item;
}

/** What Publish Message… means on a node of the AMQP tree: the panel aimed at its broker. */
export function amqpPublishTarget(element: unknown): { brokerId: string } | undefined {
  return element instanceof AmqpNode ? { brokerId: element.connection.id } : undefined;
}
