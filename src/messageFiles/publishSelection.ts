// "Publish Selection / File to…": the editor's selection (or the whole document) sent to a topic or an
// exchange picked once per file and remembered, then re-used with one action.
import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/brokers/connection';
import type { PublishDraft } from '../core/protocol/publish';
import { sendDraft } from '../core/publish/publish';
import type { BrokerRegistry } from '../core/brokers/registry';
import { guarded, type Logger } from '../shared/log';
import { escapeIcons } from '../core/format/markup';
import { registerCommand } from '../shared/commands';
import { payloadLimitBytes } from '../shared/settings';
import { inputBox, quickPick } from '../shared/prompts';

const TARGETS_KEY = 'brokerExplorer.publishTargets';

/** Where a file's content went last time (workspace state, per document URI). */
export interface PublishTarget {
  readonly brokerId: string;
  readonly topic?: string;
  readonly exchange?: string;
  readonly routingKey?: string;
}

export interface PublishSelectionArgs extends Partial<PublishTarget> {
  /** Pick again even when the file has a remembered target. */
  readonly pick?: boolean;
}

/** The draft for a text: JSON documents and JSON-looking selections go as JSON. */
export function draftFor(text: string, languageId: string, target: PublishTarget, kind: 'mqtt' | 'amqp'): PublishDraft {
  let format: PublishDraft['format'] = 'text';
  if (languageId === 'json' || languageId === 'jsonc' || /^\s*[[{]/.test(text)) {
    try {
      JSON.parse(text);
      format = 'json';
    } catch {
      format = 'text';
    }
  }
  const contentType = format === 'json' ? 'application/json' : undefined;
  return kind === 'mqtt'
    ? { payload: text, format, mqtt: { topic: target.topic ?? '', qos: 1, retain: false, ...(contentType ? { contentType } : {}) } }
    : { payload: text, format, amqp: { exchange: target.exchange ?? '', routingKey: target.routingKey ?? '', mandatory: true, ...(contentType ? { contentType } : {}) } };
}

export function registerPublishSelection(registry: BrokerRegistry, log: Logger, state: vscode.Memento): vscode.Disposable[] {
  const remembered = (uri: vscode.Uri): PublishTarget | undefined => state.get<Record<string, PublishTarget>>(TARGETS_KEY, {})[uri.toString()];
  const remember = (uri: vscode.Uri, t: PublishTarget): Thenable<void> => state.update(TARGETS_KEY, { ...state.get<Record<string, PublishTarget>>(TARGETS_KEY, {}), [uri.toString()]: t });

  const pickTarget = async (previous: PublishTarget | undefined): Promise<PublishTarget | undefined> => {
    const items = registry.list().map((c) => ({
      label: escapeIcons(c.profile.name),
      description: `${c.profile.kind.toUpperCase()} · ${c.state.kind}`,
      id: c.id,
      picked: c.id === previous?.brokerId,
    }));
    if (!items.length) {
      throw new Error(vscode.l10n.t('Add a broker first (Brokers view).'));
    }
    items.sort((a, b) => Number(b.picked) - Number(a.picked));
    const chosen = await quickPick(items, { placeHolder: vscode.l10n.t('Publish to which broker?') });
    const c = chosen && registry.get(chosen.id);
    if (!c) {
      return undefined;
    }
    const same = previous?.brokerId === c.id ? previous : undefined;
    if (c.profile.kind === 'mqtt') {
      const topic = await inputBox({ prompt: vscode.l10n.t('Topic on {0}', c.profile.name), value: same?.topic ?? '', ignoreFocusOut: true });
      return topic === undefined ? undefined : { brokerId: c.id, topic };
    }
    const exchange = await inputBox({ prompt: vscode.l10n.t('Exchange on {0} (empty: the default exchange)', c.profile.name), value: same?.exchange ?? '', ignoreFocusOut: true });
    if (exchange === undefined) {
      return undefined;
    }
    const routingKey = await inputBox({ prompt: vscode.l10n.t('Routing key'), value: same?.routingKey ?? '', ignoreFocusOut: true });
    return routingKey === undefined ? undefined : { brokerId: c.id, exchange, routingKey };
  };

  const publish = guarded(log, 'Publish Selection', async (args: PublishSelectionArgs = {}) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      throw new Error(vscode.l10n.t('Open a file to publish from.'));
    }
    const doc = editor.document;
    const selection = editor.selection;
    const text = selection.isEmpty ? doc.getText() : doc.getText(selection);
    const given = args.brokerId ? { brokerId: args.brokerId, topic: args.topic, exchange: args.exchange, routingKey: args.routingKey } : undefined;
    const last = remembered(doc.uri);
    const target = given ?? (!args.pick && last && registry.get(last.brokerId) ? last : await pickTarget(last));
    if (!target) {
      return undefined;
    }
    const c: BrokerConnection | undefined = registry.get(target.brokerId);
    if (!c) {
      throw new Error(vscode.l10n.t('That broker is no longer configured.'));
    }
    if (c.state.kind !== 'connected') {
      const s = await registry.connect(c.id);
      if (s.kind !== 'connected') {
        throw new Error(vscode.l10n.t('Could not connect to "{0}": {1}', c.profile.name, s.kind === 'failed' ? s.reason : s.kind));
      }
    }
    const outcome = await sendDraft(c, draftFor(text, doc.languageId, target, c.profile.kind), { maxPayloadBytes: payloadLimitBytes() });
    log.info(`Published ${selection.isEmpty ? 'file' : 'selection'} of ${vscode.workspace.asRelativePath(doc.uri)} to "${c.profile.name}": ${outcome.text}`);
    if (!outcome.ok) {
      throw new Error(outcome.text);
    }
    await remember(doc.uri, target);
    const where = target.topic ?? `${target.exchange || '(AMQP default)'} / ${target.routingKey ?? ''}`;
    vscode.window.setStatusBarMessage(`$(send) ${outcome.text} — ${c.profile.name} ${where}`, 8000);
    return outcome.text;
  });

  return [
    registerCommand('brokerExplorer.publishSelection', publish),
    registerCommand('brokerExplorer.publishSelectionTo', (args: PublishSelectionArgs = {}) => publish({ ...args, pick: true })),
  ];
}
