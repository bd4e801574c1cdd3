import * as vscode from 'vscode';
import { BrokerConnection } from '../core/brokers/connection';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import { classifyPayload } from '../core/mqtt/payload';
import { validateFilter, validateTopic } from '../core/brokers/subscriptions';
import type { TopicModel } from '../core/mqtt/topicModel';
import { TopicNode } from '../core/mqtt/topicNode';
import { guarded, type Logger } from '../shared/log';
import type { PanelOpener, PublishTarget } from '../shared/panelOpener';
import type { PublishDraft } from '../core/protocol/publish';
import type { BrokerRegistry } from '../core/brokers/registry';
import { MoreTopics, type MqttTreeNode, type MqttTreeProvider } from './mqttTree';
import { showInfo, showWarning } from '../shared/notify';
import { escapeIcons, noLinks } from '../core/format/markup';
import { registerCommand } from '../shared/commands';
import { inputBox } from '../shared/prompts';

/** Topics under `node` (itself included) whose newest message is a non-empty retained one. */
export function retainedTopicsBelow(model: TopicModel, node: TopicNode): string[] {
  const topics: string[] = [];
  model.walkTopics(node, (n) => {
    if (n.last?.retain && n.last.size > 0) {
      topics.push(n.topic);
    }
  });
  return topics;
}

/** The topic node a command was run on, with its broker. */
function topicOfNode(tree: MqttTreeProvider, element: MqttTreeNode | undefined): { connection: MqttConnection; node: TopicNode } {
  if (!(element instanceof TopicNode)) {
    throw new Error(vscode.l10n.t('Select a topic in the MQTT view first'));
  }
  const connection = tree.ownerOf(element);
  if (!connection) {
    throw new Error(vscode.l10n.t('This topic belongs to a broker that was removed'));
  }
  return { connection, node: element };
}

/** A publish draft for a topic, from its last message (binary as base64). */
function draftFor(node: TopicNode): PublishDraft {
  const last = node.last;
  const kind = last ? classifyPayload(last.payload, last.payload.length < last.size) : 'empty';
  const payload = !last || kind === 'empty' ? '' : kind === 'binary' ? Buffer.from(last.payload).toString('base64') : Buffer.from(last.payload).toString('utf8');
  return { payload, format: kind === 'binary' ? 'base64' : kind === 'json' ? 'json' : 'text', mqtt: { topic: node.topic, qos: 0, retain: false } };
}

/** What Publish Message… means on a node of the MQTT tree: a topic's last message as the draft. */
export function mqttPublishTarget(tree: MqttTreeProvider): (element: unknown) => PublishTarget | undefined {
  return (element) => {
    if (element instanceof MoreTopics) {
      return {};
    }
    if (element instanceof TopicNode) {
      const { connection, node } = topicOfNode(tree, element);
      return { brokerId: connection.id, draft: draftFor(node) };
    }
    return undefined;
  };
}

export function registerTopicCommands(tree: MqttTreeProvider, registry: BrokerRegistry, log: Logger, panels: PanelOpener): vscode.Disposable[] {
  const topicOf = (element: MqttTreeNode | undefined) => topicOfNode(tree, element);
  const liveClient = (connection: MqttConnection) => {
    const client = connection.mqttClient;
    if (!client) {
      throw new Error(vscode.l10n.t('"{0}" is not connected', connection.profile.name));
    }
    return client;
  };
  const mqttBroker = (element: MqttTreeNode | undefined): MqttConnection => {
    if (element instanceof MqttConnection) {
      return element;
    }
    throw new Error(vscode.l10n.t('Select an MQTT broker first'));
  };

  /** Publishes an empty retained message to each topic; resolves with how many were deleted. */
  const deleteRetained = async (connection: MqttConnection, topics: string[], progress?: vscode.Progress<{ message?: string; increment?: number }>, token?: vscode.CancellationToken): Promise<number> => {
    const client = liveClient(connection);
    let done = 0;
    for (const topic of topics) {
      if (token?.isCancellationRequested) {
        break;
      }
      await client.publishAsync(topic, Buffer.alloc(0), { retain: true, qos: 1 });
      done++;
      progress?.report({ message: `${done} / ${topics.length}`, increment: 100 / topics.length });
    }
    log.info(`Deleted ${done} retained message(s) on "${connection.profile.name}"`);
    return done;
  };

  /** The MQTT filter a node stands for: itself, or `node/#` for its subtree (`#` for a broker). */
  const filterOf = (element: MqttTreeNode | undefined, subtree: boolean): { connection: MqttConnection; filter: string } => {
    if (element instanceof MqttConnection) {
      return { connection: element, filter: '#' };
    }
    const { connection, node } = topicOf(element);
    return { connection, filter: subtree ? (node.isRoot ? '#' : `${node.topic}/#`) : node.topic };
  };

  return [
    registerCommand(
      'brokerExplorer.inspectTopic',
      guarded(log, 'Inspect Messages', async (element?: MqttTreeNode, options?: { subtree?: boolean }) => {
        const { connection, filter } = filterOf(element, options?.subtree ?? false);
        const panel = await panels.inspect({ kind: 'mqtt', brokerId: connection.id, filter });
        return panel.source;
      }),
    ),
    registerCommand(
      'brokerExplorer.inspectSubtree',
      guarded(log, 'Inspect Messages Below', async (element?: MqttTreeNode) => {
        const { connection, filter } = filterOf(element, true);
        const panel = await panels.inspect({ kind: 'mqtt', brokerId: connection.id, filter });
        return panel.source;
      }),
    ),
    registerCommand(
      'brokerExplorer.copyTopic',
      guarded(log, 'Copy Topic', async (element?: MqttTreeNode) => {
        const { node } = topicOf(element);
        await vscode.env.clipboard.writeText(node.topic);
        return node.topic;
      }),
    ),
    registerCommand(
      'brokerExplorer.copyPayload',
      guarded(log, 'Copy Payload', async (element?: MqttTreeNode) => {
        const { node } = topicOf(element);
        const last = node.last;
        if (!last) {
          throw new Error(vscode.l10n.t('No message was received on {0}', node.topic));
        }
        const kind = classifyPayload(last.payload, last.payload.length < last.size);
        const text = kind === 'binary' ? Buffer.from(last.payload).toString('base64') : Buffer.from(last.payload).toString('utf8');
        await vscode.env.clipboard.writeText(text);
        if (kind === 'binary') {
          void showInfo(vscode.l10n.t('The payload is binary: copied as base64.'));
        } else if (last.payload.length < last.size) {
          void showWarning(vscode.l10n.t('Copied the first {0} bytes of {1}: larger payloads are stored truncated.', last.payload.length, last.size));
        }
        return text;
      }),
    ),
    registerCommand(
      'brokerExplorer.publishToTopic',
      guarded(log, 'Publish to Topic', async (element?: MqttTreeNode, payloadArg?: string) => {
        const { connection, node } = topicOf(element);
        const topicError = validateTopic(node.topic);
        if (topicError) {
          throw new Error(topicError);
        }
        if (payloadArg === undefined) {
          // The publish panel, aimed at this topic and starting from its last payload.
          panels.publish({ brokerId: connection.id, draft: draftFor(node) });
          return true;
        }
        await liveClient(connection).publishAsync(node.topic, payloadArg, { qos: 0 });
        return true;
      }),
    ),
    registerCommand(
      'brokerExplorer.deleteRetained',
      guarded(log, 'Delete Retained Message', async (element?: MqttTreeNode) => {
        const { connection, node } = topicOf(element);
        return deleteRetained(connection, [node.topic]);
      }),
    ),
    registerCommand(
      'brokerExplorer.deleteRetainedBelow',
      guarded(log, 'Delete Retained Messages Below', async (element?: MqttTreeNode, options?: { confirm?: boolean }) => {
        const { connection, node } = element instanceof MqttConnection ? { connection: element, node: element.topics.root } : topicOf(element);
        const topics = retainedTopicsBelow(connection.topics, node);
        const where = node.isRoot ? connection.profile.name : node.topic;
        if (!topics.length) {
          void showInfo(vscode.l10n.t('No retained messages under {0}.', where));
          return 0;
        }
        if (options?.confirm !== false) {
          const remove = vscode.l10n.t('Delete {0}', topics.length);
          const answer = await showWarning(
            vscode.l10n.t('Delete {0} retained message(s) under {1}? The broker forgets them; this cannot be undone.', topics.length, where),
            { modal: true, detail: topics.slice(0, 10).join('\n') + (topics.length > 10 ? `\n… ${topics.length - 10} more` : '') },
            remove,
          );
          if (answer !== remove) {
            return 0;
          }
        }
        return vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: noLinks(vscode.l10n.t('Deleting retained messages under {0}', where)), cancellable: true },
          (progress, token) => deleteRetained(connection, topics, progress, token),
        );
      }),
    ),
    registerCommand(
      'brokerExplorer.filterTopics',
      guarded(log, 'Filter Topics', async (element?: MqttTreeNode, queryArg?: string) => {
        const connection =
          element instanceof MoreTopics
            ? mqttBroker(element.parent instanceof BrokerConnection ? element.parent : tree.ownerOf(element.parent))
            : element && !(element instanceof BrokerConnection)
              ? topicOf(element).connection
              : mqttBroker(element ?? tree.getChildren().find((c) => c instanceof MqttConnection));
        const query =
          queryArg ??
          (await inputBox({
            title: vscode.l10n.t('Filter topics of {0}', escapeIcons(connection.profile.name)),
            prompt: vscode.l10n.t('A topic filter such as sensors/+/temperature or /weather/#, or text to find in topics. Empty shows all.'),
            value: tree.searchOf(connection) ?? '',
            validateInput: (v) => (/[+#]/.test(v) ? validateFilter(v) : undefined),
          }));
        if (query === undefined) {
          return undefined;
        }
        tree.setSearch(connection, query.trim() || undefined);
        return query.trim();
      }),
    ),
    registerCommand(
      'brokerExplorer.clearTopicFilter',
      guarded(log, 'Clear Topic Filter', async (element?: MqttTreeNode) => {
        tree.setSearch(mqttBroker(element), undefined);
      }),
    ),
    registerCommand(
      'brokerExplorer.subscribeOnlyTo',
      guarded(log, 'Subscribe Only to This', async (element?: MqttTreeNode) => {
        const { connection, node } = topicOf(element);
        // "a/#" also matches "a" itself; a leaf gets its exact topic.
        const filter = node.childCount > 0 ? `${node.topic}/#` : node.topic;
        const updated = await registry.update({ ...connection.profile, subscriptions: [{ filter, qos: 0 }] });
        await updated.connect();
        void showInfo(vscode.l10n.t('"{0}" now subscribes to {1} only. Edit the broker to change its subscriptions.', connection.profile.name, filter));
        return filter;
      }),
    ),
    registerCommand(
      'brokerExplorer.clearTopics',
      guarded(log, 'Clear Topics', async (element?: MqttTreeNode) => {
        mqttBroker(element).topics.clear();
      }),
    ),
  ];
}
