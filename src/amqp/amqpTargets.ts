// What every AMQP command needs: the node it was run on resolved to a connected broker, queue or
// exchange (with plain-words errors), and the prompts and confirmations they share.
import * as vscode from 'vscode';
import { AmqpConnection } from '../core/amqp/amqpConnection';
import { parseHeaders } from '../core/amqp/headers';
import type { TapManager } from '../core/amqp/taps';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { Logger } from '../shared/log';
import { showWarning } from '../shared/notify';
import type { PanelOpener } from '../shared/panelOpener';
import { AmqpNode } from './amqpItems';
import type { AmqpTreeNode, AmqpTreeProvider } from './amqpTree';
import { inputBox } from '../shared/prompts';

export type Target = AmqpTreeNode | undefined;

export interface AmqpServices {
  readonly tree: AmqpTreeProvider;
  readonly registry: BrokerRegistry;
  readonly taps: TapManager;
  readonly log: Logger;
  readonly panels: PanelOpener;
}

export type AmqpCommandContext = ReturnType<typeof amqpCommandContext>;

export function amqpCommandContext(services: AmqpServices) {
  const { tree } = services;
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
  const ask = (prompt: string, value = '', validateInput?: (v: string) => string | undefined) => inputBox({ prompt, value, validateInput, ignoreFocusOut: true });
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

  return { ...services, connectionOf, sameVhost, queueTarget, exchangeTarget, vhostOf, ask, askArguments, orUndefined, nonEmpty, after, confirm };
}
