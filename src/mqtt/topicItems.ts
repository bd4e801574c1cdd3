import * as vscode from 'vscode';
import { shortCount } from '../core/format/counts';
import { formatJsonPrefix } from '../core/format/json';
import { codeFence, codeSpan } from '../core/format/markup';
import { formatBytes, previewPayload, type PayloadKind } from '../core/mqtt/payload';
import type { StoredMessage } from '../core/mqtt/messageStore';
import { RATE_WINDOW_MS, type TopicNode } from '../core/mqtt/topicNode';
import type { DecodedPayload } from '../core/protocol/inspect';
import { oneLine } from '../core/mqtt/treeDecodes';

/** How an empty topic level (the first level of "/weather/…") is labelled. */
export const EMPTY_LEVEL_LABEL = '(empty)';

const KIND_ICON: Record<PayloadKind, string> = { empty: 'circle-slash', json: 'json', text: 'symbol-string', binary: 'file-binary' };

/** Characters of a topic level shown in the tree (MQTT allows 65,535 bytes); the tooltip shows more. */
export const LABEL_CHARS = 200;
/** Characters of the full topic shown in the tooltip. */
const TOOLTIP_TOPIC_CHARS = 4096;
/** Payload bytes shown in the tooltip (text and hex), and characters of indented JSON. */
const TOOLTIP_PAYLOAD_BYTES = 2048;
const TOOLTIP_JSON_CHARS = 4000;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters)` : text;
}

export function levelLabel(node: TopicNode): string {
  return node.name === '' ? EMPTY_LEVEL_LABEL : cut(node.name, LABEL_CHARS);
}

/** Characters of the payload preview in a row's description (the tooltip shows the payload). */
const DESCRIPTION_PREVIEW_CHARS = 48;

function payloadKind(message: StoredMessage, chars = DESCRIPTION_PREVIEW_CHARS): { kind: PayloadKind; text: string } {
  return previewPayload(message.payload, chars, message.payload.length < message.size);
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function shortCountOf(n: number, one: string, many: string): string {
  return `${shortCount(n)} ${n === 1 ? one : many}`;
}

/** `contextValue`: `topic+message+retained+children`; menus match `viewItem =~ /^topic\b.*\+retained/`. */
export function topicContextValue(node: TopicNode): string {
  const flags = ['topic'];
  if (node.last) {
    flags.push('message');
    if (node.last.retain && node.last.size > 0) {
      flags.push('retained');
    }
  }
  if (node.childCount > 0) {
    flags.push('children');
  }
  return flags.join('+');
}

/**
 * A topic row. The description puts first what matters at the default sidebar width — a
 * leaf's payload, a folder's counts — then the rate; exact figures are in the tooltip.
 * `rate`: the row's rate as shown ("3/s"), undefined for none (a disconnected broker, a quiet topic).
 * `decoded`: the last payload decoded by a codec (treeDecodes.ts), shown instead of its bytes.
 */
export function topicTreeItem(connectionId: string, node: TopicNode, rate: string | undefined, decoded?: DecodedPayload): vscode.TreeItem {
  const label = levelLabel(node);
  const item = new vscode.TreeItem(label, node.childCount > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `${connectionId}/t/${node.topic}`;
  item.contextValue = topicContextValue(node);
  const parts: string[] = [];
  let kind: PayloadKind | undefined;
  let preview: string | undefined;
  if (node.last) {
    if (decoded) {
      preview = oneLine(decoded.text, DESCRIPTION_PREVIEW_CHARS);
    } else {
      const shown = payloadKind(node.last);
      kind = shown.kind;
      preview = shown.kind === 'empty' ? '(empty payload)' : shown.text;
    }
  }
  if (node.childCount > 0) {
    parts.push(`${shortCountOf(node.subtreeTopics, 'topic', 'topics')}, ${shortCountOf(node.subtreeMessages, 'message', 'messages')}`);
    if (rate) {
      parts.push(rate);
    }
    if (preview !== undefined) {
      parts.push(preview);
    }
  } else {
    if (preview !== undefined) {
      parts.push(preview);
    }
    if (node.messages > 1) {
      parts.push(`×${shortCount(node.messages)}`);
    }
    if (rate) {
      parts.push(rate);
    }
  }
  item.description = parts.join(' · ');
  if (node.last?.retain && node.last.size > 0) {
    item.iconPath = new vscode.ThemeIcon('pinned', new vscode.ThemeColor('charts.purple'));
  } else if (decoded) {
    item.iconPath = new vscode.ThemeIcon('symbol-structure');
  } else if (kind) {
    item.iconPath = new vscode.ThemeIcon(KIND_ICON[kind]);
  } else {
    item.iconPath = new vscode.ThemeIcon('folder');
  }
  // The tooltip is built when VS Code asks for it (resolveTreeItem, on hover), not on every render.
  item.accessibilityInformation = {
    label: `${node.topic === '' ? 'empty topic level' : `topic ${cut(node.topic, LABEL_CHARS)}`}${node.last ? `, last payload${decoded ? ` decoded as ${decoded.codec}` : ''} ${item.description}` : `, ${item.description}`}${node.last?.retain ? ', retained' : ''}`,
    role: 'treeitem',
  };
  return item;
}

/**
 * Markdown tooltip: the full topic, the last payload, QoS, retain, properties. Topic and payload
 * are broker data: they go in code blocks only (literal text, never HTML, links or icons).
 */
export function topicTooltip(node: TopicNode, rate?: number, decoded?: DecodedPayload, matched: readonly string[] = []): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  md.appendMarkdown('**Topic**\n\n');
  md.appendMarkdown(codeFence(node.topic === '' ? '(empty level)' : cut(node.topic, TOOLTIP_TOPIC_CHARS)) + '\n\n');
  if (decoded) {
    // The codec and schema names come from the user's files and the registry; the text from the broker.
    md.appendMarkdown('**Decoded** — ');
    md.appendText(`${decoded.codec}${decoded.schema ? `, ${decoded.schema}` : ''}${decoded.error ? ` (${decoded.error})` : ''}`);
    md.appendMarkdown('\n\n' + codeFence(cut(decoded.text, TOOLTIP_JSON_CHARS)) + '\n\n');
  }
  const last = node.last;
  if (last) {
    const { kind } = payloadKind(last, 80);
    const truncated = last.payload.length < last.size;
    const shown = last.payload.subarray(0, TOOLTIP_PAYLOAD_BYTES);
    let body: string;
    if (kind === 'binary') {
      body = [...shown].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    } else if (kind === 'json' && !truncated) {
      // Indented up to what the tooltip shows: the work is bounded by the output, whatever the nesting.
      const pretty = formatJsonPrefix(new TextDecoder().decode(last.payload), TOOLTIP_JSON_CHARS);
      body = pretty ? pretty.text + (pretty.cut ? '\n…' : '') : new TextDecoder().decode(shown);
    } else {
      body = new TextDecoder().decode(shown);
    }
    md.appendMarkdown(`**Last payload** — ${kind}, ${formatBytes(last.size)}${truncated || last.payload.length > TOOLTIP_PAYLOAD_BYTES ? ` (showing the first ${formatBytes(Math.min(TOOLTIP_PAYLOAD_BYTES, last.payload.length))})` : ''}\n\n`);
    if (kind !== 'empty') {
      md.appendMarkdown(codeFence(body, kind === 'json' ? 'json' : 'text') + '\n');
    }
    md.appendMarkdown(`\n\nQoS ${last.qos} · ${last.retain ? 'retained' : 'not retained'} · received ${new Date(last.time).toLocaleTimeString()}`);
    md.appendMarkdown(` · ${count(node.messages, 'message', 'messages')}\n\n`);
    if (matched.length) {
      // MQTT 5 subscription identifiers of the last message, by the filters they were given to.
      const filters = matched.map((f) => codeSpan(f)).join(', ');
      md.appendMarkdown(`${matched.length > 1 ? vscode.l10n.t('matched subscriptions {0}', filters) : vscode.l10n.t('matched subscription {0}', filters)}\n\n`);
    }
    if (last.properties && Object.keys(last.properties).length) {
      md.appendMarkdown('**MQTT 5 properties**\n\n');
      md.appendMarkdown(codeFence(JSON.stringify(last.properties, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2), 'json') + '\n');
    }
  }
  if (node.childCount > 0) {
    md.appendMarkdown(`\n\n${count(node.subtreeTopics, 'topic', 'topics')} and ${count(node.subtreeMessages, 'message', 'messages')} below`);
  }
  if (rate !== undefined && rate >= 1) {
    md.appendMarkdown(`\n\n${Math.round(rate).toLocaleString('en-US')} messages/s${node.childCount > 0 ? ' in this subtree' : ''} over the last ${RATE_WINDOW_MS / 1000} s`);
  }
  return md;
}
