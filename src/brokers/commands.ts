import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/brokers/connection';
import { MqttConnection } from '../core/mqtt/mqttConnection';
import { parseSubscriptions } from '../core/brokers/subscriptions';
import { DEFAULT_PORTS, DEFAULT_SUBSCRIPTIONS, formatEndpoint, mosquittoSubCommand, newProfileId, validateHost, validatePort, type BrokerKind, type BrokerProfile, type MqttProfile } from '../core/brokers/profile';
import { amqpForm, mqttForm, type AmqpFormResult, type MqttFormResult } from './brokerForms';
import type { BrokerRegistry } from '../core/brokers/registry';
import { guarded, type Logger } from '../shared/log';
import { editWorkspaceBroker, explainWorkspaceRemove } from './workspaceBrokers';
import { showInfo, showWarning } from '../shared/notify';
import { notifyFailure } from '../shared/connectFailure';
import { registerCertificateCommands } from './certificateCommands';
import { escapeIcons } from '../core/format/markup';
import { registerCommand } from '../shared/commands';
import { SHELL_LABEL, shellKindOf } from '../core/format/shellQuote';
import { setting } from '../shared/settings';
import { inputBox, quickPick } from '../shared/prompts';

/** Arguments that let scripts and tests skip the prompts; a missing field is asked for. */
export interface AddBrokerArgs {
  readonly name?: string;
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly vhost?: string;
  /** AMQP: the management API URL (default https://host:15671 for amqps, http://host:15672 for amqp). */
  readonly managementUrl?: string;
  /** Connect right after adding (default true). */
  readonly connect?: boolean;
}

type Target = BrokerConnection | string | undefined;

export function registerBrokerCommands(registry: BrokerRegistry, log: Logger): vscode.Disposable[] {
  /** Warnings of working connections already shown (broker id + text), this session. */
  const warned = new Set<string>();
  const resolve = async (target: Target, placeHolder: string): Promise<BrokerConnection | undefined> => {
    if (typeof target === 'string') {
      return registry.get(target);
    }
    if (target) {
      return registry.get(target.id);
    }
    const picked = await quickPick(
      registry.list().map((c) => ({ label: escapeIcons(c.profile.name), description: escapeIcons(formatEndpoint(c.profile.host, c.profile.port)), id: c.id })),
      { placeHolder },
    );
    return picked && registry.get(picked.id);
  };

  const connect = async (connection: BrokerConnection): Promise<void> => {
    const state = await registry.connect(connection.id);
    if (state.kind === 'failed') {
      notifyFailure(log, connection, state);
    }
  };

  /** Optional steps of the add flow: Escape cancels the whole flow, an empty answer skips the step. */
  const ask = (title: string, prompt: string, value = '', password = false): Thenable<string | undefined> => inputBox({ title, prompt, value, password, ignoreFocusOut: true });

  const add = async (kind: BrokerKind, args: AddBrokerArgs = {}): Promise<string | undefined> => {
    const label = kind === 'mqtt' ? 'MQTT' : 'AMQP';
    const title = vscode.l10n.t('Add {0} Broker', label);
    const host =
      args.host ??
      (await inputBox({
        title,
        prompt: vscode.l10n.t('Host name or IP address of the {0} broker', label),
        value: 'localhost',
        validateInput: validateHost,
        ignoreFocusOut: true,
      }));
    if (host === undefined) {
      return undefined;
    }
    const portText =
      args.port !== undefined
        ? String(args.port)
        : await inputBox({
            title,
            prompt: vscode.l10n.t('Port ({0} is the default for {1})', DEFAULT_PORTS[kind], label),
            value: String(DEFAULT_PORTS[kind]),
            validateInput: validatePort,
            ignoreFocusOut: true,
          });
    if (portText === undefined) {
      return undefined;
    }
    const hostError = validateHost(host) ?? validatePort(portText);
    if (hostError) {
      throw new Error(hostError);
    }
    const port = Number(portText);
    const endpoint = formatEndpoint(host.trim(), port);
    // Asked when a person runs the command; scripts and tests that give the host skip what they leave out.
    const interactive = args.host === undefined;
    let name = args.name;
    if (name === undefined && interactive) {
      name = await ask(title, vscode.l10n.t('Name shown in the tree and used by message files (mqtt://NAME/topic); empty: {0}', endpoint), endpoint);
      if (name === undefined) {
        return undefined;
      }
    }
    let username = args.username;
    let password = args.password;
    let vhost = args.vhost ?? '/';
    if (kind === 'amqp' && interactive && args.vhost === undefined) {
      const v = await ask(title, vscode.l10n.t('Virtual host'), '/');
      if (v === undefined) {
        return undefined;
      }
      vhost = v || '/';
    }
    if (username === undefined && interactive) {
      username = await ask(
        title,
        kind === 'mqtt' ? vscode.l10n.t('Username, if the broker asks for one (empty: connect without credentials)') : vscode.l10n.t('Username (RabbitMQ\'s default user "guest" connects only from this machine)'),
        kind === 'mqtt' ? '' : 'guest',
      );
      if (username === undefined) {
        return undefined;
      }
    }
    if (username && password === undefined && interactive) {
      password = await ask(title, vscode.l10n.t('Password for {0} (kept in VS Code secret storage; empty: none)', username), '', true);
      if (password === undefined) {
        return undefined;
      }
    }
    name = name?.trim() || endpoint;
    const base = { id: newProfileId(kind), name, host: host.trim(), port, username: username || undefined };
    const profile: BrokerProfile = kind === 'mqtt' ? { ...base, kind, subscriptions: defaultSubscriptions(log) } : { ...base, kind, vhost, managementUrl: args.managementUrl };
    const connection = await registry.add(profile, password || undefined);
    log.info(`Added ${label} broker "${name}" (${formatEndpoint(profile.host, profile.port)})`);
    if (args.connect !== false) {
      await connect(connection);
    }
    return connection.id;
  };

  return [
    ...registerCertificateCommands(registry, log),
    registerCommand('brokerExplorer.addMqttBroker', guarded(log, 'Add MQTT Broker', (args?: AddBrokerArgs) => add('mqtt', args))),
    registerCommand('brokerExplorer.addAmqpBroker', guarded(log, 'Add AMQP Broker', (args?: AddBrokerArgs) => add('amqp', args))),
    registerCommand(
      'brokerExplorer.connectBroker',
      guarded(log, 'Connect', async (target?: Target, options?: { password?: string }) => {
        const connection = await resolve(target, vscode.l10n.t('Broker to connect'));
        if (connection) {
          // Scripts and tests give the password here; people are asked (workspace brokers) or set it in Edit.
          if (options?.password !== undefined) {
            await registry.storePassword(connection.id, options.password);
          }
          await connect(connection);
        }
        return connection?.state.kind;
      }),
    ),
    registerCommand(
      'brokerExplorer.disconnectBroker',
      guarded(log, 'Disconnect', async (target?: Target) => {
        const connection = await resolve(target, vscode.l10n.t('Broker to disconnect'));
        if (connection) {
          await registry.disconnect(connection.id);
        }
      }),
    ),
    registerCommand(
      'brokerExplorer.removeBroker',
      guarded(log, 'Remove Broker', async (target?: Target, options?: { confirm?: boolean }) => {
        const connection = await resolve(target, vscode.l10n.t('Broker to remove'));
        if (!connection) {
          return false;
        }
        if (connection.profile.source?.kind === 'workspace') {
          await explainWorkspaceRemove(connection);
          return false;
        }
        if (options?.confirm !== false) {
          const remove = vscode.l10n.t('Remove');
          const answer = await showWarning(
            vscode.l10n.t('Remove the broker "{0}"? Its saved password is deleted too.', connection.profile.name),
            { modal: true },
            remove,
          );
          if (answer !== remove) {
            return false;
          }
        }
        await registry.remove(connection.id);
        log.info(`Removed broker "${connection.profile.name}"`);
        return true;
      }),
    ),
    registerCommand(
      'brokerExplorer.editBroker',
      guarded(log, 'Edit Broker', async (target?: Target, result?: MqttFormResult | AmqpFormResult) => {
        const connection = await resolve(target, vscode.l10n.t('Broker to edit'));
        if (!connection) {
          return undefined;
        }
        if (connection.profile.source?.kind === 'workspace') {
          await editWorkspaceBroker(registry, connection);
          return undefined;
        }
        const secrets = {
          password: await registry.hasSecret(connection.id, 'password'),
          passphrase: await registry.hasSecret(connection.id, 'passphrase'),
          managementPassword: await registry.hasSecret(connection.id, 'managementPassword'),
          proxyPassword: await registry.hasSecret(connection.id, 'proxyPassword'),
        };
        const title = vscode.l10n.t('Edit {0}', escapeIcons(connection.profile.name));
        const p = connection.profile;
        const edited: MqttFormResult | AmqpFormResult | undefined = result ?? (p.kind === 'mqtt' ? await mqttForm(title, p, secrets) : await amqpForm(title, p, secrets));
        if (!edited) {
          return undefined;
        }
        const profile: BrokerProfile = { ...edited.profile, id: connection.id, kind: p.kind } as BrokerProfile;
        // Unless the user had disconnected it, the broker connects again with the new settings
        // (a failed one too: fixing it is why people edit it) and a failure is told.
        const updated = await registry.update(profile, { password: edited.password, passphrase: edited.passphrase, managementPassword: edited.managementPassword, proxyPassword: edited.proxyPassword });
        log.info(`Updated broker "${updated.profile.name}"`);
        if (updated.state.kind !== 'disconnected') {
          await connect(updated);
        }
        return updated.id;
      }),
    ),
    registerCommand(
      'brokerExplorer.enterCredentials',
      guarded(log, 'Enter Credentials', async (target?: Target, answers?: { username?: string; password?: string }) => {
        const connection = await resolve(target, vscode.l10n.t('Broker to enter credentials for'));
        if (!connection) {
          return undefined;
        }
        if (connection.profile.source?.kind === 'workspace') {
          // The username is shared in .vscode/brokers.json; the password is this machine's.
          await editWorkspaceBroker(registry, connection);
          return connection.id;
        }
        const p = connection.profile;
        const title = vscode.l10n.t('Credentials for {0}', escapeIcons(p.name));
        const username = answers?.username ?? (await ask(title, vscode.l10n.t('Username (empty: connect without credentials)'), p.username ?? ''));
        if (username === undefined) {
          return undefined;
        }
        let password = answers?.password;
        if (password === undefined && username) {
          password = await ask(title, vscode.l10n.t('Password for {0} (kept in VS Code secret storage; empty: none)', username), '', true);
          if (password === undefined) {
            return undefined;
          }
        }
        const updated = await registry.update({ ...p, username: username || undefined }, { password: username ? password : '' });
        log.info(`Updated the credentials of "${updated.profile.name}"`);
        await connect(updated);
        return updated.id;
      }),
    ),
    registerCommand(
      'brokerExplorer.duplicateBroker',
      guarded(log, 'Duplicate Broker', async (target?: Target, result?: MqttFormResult) => {
        const connection = await resolve(target, vscode.l10n.t('Broker to duplicate'));
        if (!connection || connection.profile.kind !== 'mqtt') {
          throw new Error(vscode.l10n.t('Select an MQTT broker to duplicate'));
        }
        // A copy never shares the client id: two clients with one id keep kicking each other.
        const copy: MqttProfile = {
          ...connection.profile,
          id: newProfileId('mqtt'),
          name: vscode.l10n.t('{0} (copy)', connection.profile.name),
          clientId: undefined,
          autoConnect: false,
          // A copy of a workspace broker is the user's own (saved, editable).
          source: undefined,
        };
        const edited = result ?? (await mqttForm(vscode.l10n.t('Duplicate {0}', escapeIcons(connection.profile.name)), copy, { password: false, passphrase: false }));
        if (!edited) {
          return undefined;
        }
        const added = await registry.add({ ...edited.profile, id: copy.id, kind: 'mqtt' }, edited.password || undefined, { passphrase: edited.passphrase, proxyPassword: edited.proxyPassword });
        await connect(added);
        return added.id;
      }),
    ),
    registerCommand(
      'brokerExplorer.copyMosquittoSub',
      guarded(log, 'Copy as mosquitto_sub', async (target?: Target) => {
        const connection = await resolve(target, vscode.l10n.t('Broker to copy as a command'));
        if (!connection || connection.profile.kind !== 'mqtt') {
          throw new Error(vscode.l10n.t('Select an MQTT broker'));
        }
        // Quoted for the shell of VS Code's terminal, which the message names.
        const shell = shellKindOf(vscode.env.shell);
        const command = mosquittoSubCommand(connection.profile, connection instanceof MqttConnection ? connection.clientId : undefined, shell);
        await vscode.env.clipboard.writeText(command);
        void showInfo(
          connection.profile.username
            ? vscode.l10n.t('Copied the mosquitto_sub command for {0}. The password is read from the MQTT_PASSWORD environment variable, never copied.', SHELL_LABEL[shell])
            : vscode.l10n.t('Copied the mosquitto_sub command for {0}.', SHELL_LABEL[shell]),
        );
        return command;
      }),
    ),
    registerCommand('brokerExplorer.showLog', () => log.show()),
    // A connection that had been established and then failed for good (a client-id clash, the
    // credentials refused on reconnect), or any failure whose fix is a setting, is told once,
    // whoever started it (a command's own connect is the same state: told once).
    registry.onDidChange((change) => {
      if (change.type === 'state' && change.state.kind === 'failed' && (change.state.lost || change.state.cause)) {
        notifyFailure(log, change.connection, change.state);
      } else if (change.type === 'warning' && change.warning) {
        // A working connection with a problem (a refused subscription, RabbitMQ blocking
        // publishers): the narrow row cannot hold the sentence. Told once per text and broker.
        const key = `${change.connection.id}\n${change.warning}`;
        if (!warned.has(key)) {
          warned.add(key);
          void showWarning(vscode.l10n.t('"{0}": {1}', change.connection.profile.name, change.warning));
        }
      }
    }),
  ];
}

/** `brokerExplorer.mqtt.defaultSubscriptions`, read when a broker is added (so a change applies to the next one). */
export function defaultSubscriptions(log: Logger): MqttProfile['subscriptions'] {
  const filters = [...setting('mqtt.defaultSubscriptions')];
  const parsed = parseSubscriptions(Array.isArray(filters) ? filters.filter((f) => typeof f === 'string').join(', ') : '');
  if (typeof parsed === 'string') {
    log.warn(`brokerExplorer.mqtt.defaultSubscriptions: ${parsed}; using #, $SYS/#`);
    return DEFAULT_SUBSCRIPTIONS;
  }
  return parsed;
}
