import * as vscode from 'vscode';
import { findFreePort, isLoopbackHost, isPortFree, LOCAL_BROKER_HOST, startLocalBroker, type LocalBroker } from '../core/brokers/localBroker';
import { DEFAULT_PORTS, formatEndpoint, newProfileId, validatePort, type MqttProfile } from '../core/brokers/profile';
import type { BrokerRegistry } from '../core/brokers/registry';
import type { ConnectionState } from '../core/brokers/state';
import { guarded, type Logger } from '../shared/log';
import { showInfo } from '../shared/notify';
import { registerCommand } from '../shared/commands';
import { inputBox } from '../shared/prompts';

/** Arguments that let scripts and tests skip the prompt. */
export interface StartLocalBrokerArgs {
  /** 0 picks a free port. */
  readonly port?: number;
  /** Connect the broker's connection right away (default true). */
  readonly connect?: boolean;
}

export interface LocalBrokerResult {
  readonly port: number;
  readonly brokerId: string;
}

const CONTEXT_KEY = 'brokerExplorer:localBrokerRunning';

/**
 * "Start Local MQTT Broker": an embedded aedes broker in the extension host on 127.0.0.1, with a
 * connection in the MQTT view. One at a time; it stops with the extension.
 */
export function registerLocalBrokerCommands(registry: BrokerRegistry, log: Logger): vscode.Disposable[] {
  let running: { broker: LocalBroker; brokerId: string } | undefined;
  let starting: Promise<LocalBrokerResult | undefined> | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  const item = vscode.window.createStatusBarItem('brokerExplorer.localBroker', vscode.StatusBarAlignment.Left, 49);
  item.name = vscode.l10n.t('Local MQTT Broker');
  item.command = 'brokerExplorer.stopLocalBroker';

  const updateItem = (): void => {
    if (!running) {
      item.hide();
      clearInterval(timer);
      timer = undefined;
      return;
    }
    const { broker } = running;
    item.text = `$(server-process) MQTT :${broker.port}`;
    item.tooltip = vscode.l10n.t(
      'Local MQTT broker (aedes) on {0}: {1} clients, {2} messages. Click to stop it.',
      formatEndpoint(broker.host, broker.port),
      broker.clients(),
      broker.messages(),
    );
    item.show();
    timer ??= setInterval(updateItem, 2000);
  };

  const setRunning = (value: typeof running): void => {
    running = value;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, Boolean(value));
    updateItem();
  };

  /** 1883, or a free port near it when 1883 is taken (another broker runs there). */
  const askPort = async (): Promise<number | undefined> => {
    const usual = DEFAULT_PORTS.mqtt;
    const usualFree = await isPortFree(usual);
    const suggested = usualFree ? usual : await findFreePort([1884, 1885, 1886, 1887, 1888, 1889]);
    const text = await inputBox({
      title: vscode.l10n.t('Start Local MQTT Broker'),
      prompt: usualFree
        ? vscode.l10n.t('Port on 127.0.0.1 for the local broker (only this machine can connect)')
        : vscode.l10n.t('Port on 127.0.0.1 for the local broker: {0} is in use, so {1} is suggested', usual, suggested),
      value: String(suggested),
      validateInput: (v) => (v.trim() === '0' ? undefined : validatePort(v)),
      ignoreFocusOut: true,
    });
    return text === undefined ? undefined : Number(text.trim());
  };

  /** A connection to host+port that already exists (a previous session's), else a new one. */
  const connectionFor = async (port: number): Promise<string> => {
    const existing = registry
      .list('mqtt')
      .find((c) => c.profile.kind === 'mqtt' && isLoopbackHost(c.profile.host) && c.profile.port === port && (c.profile.protocol ?? 'mqtt') === 'mqtt');
    if (existing) {
      return existing.id;
    }
    // aedes speaks MQTT 3.1.1 only.
    const profile: MqttProfile = { id: newProfileId('mqtt'), kind: 'mqtt', name: `Local broker (aedes) :${port}`, host: LOCAL_BROKER_HOST, port, protocolVersion: 4 };
    const connection = await registry.add(profile);
    log.info(`Added MQTT broker "${profile.name}" for the local broker`);
    return connection.id;
  };

  /** Connects, but not again at the next start of VS Code: the broker will not be running then. */
  const connectForSession = async (id: string): Promise<ConnectionState> => {
    const state = await registry.connect(id);
    await registry.patchProfile(id, { autoConnect: false });
    return state;
  };

  const reveal = (result: LocalBrokerResult): LocalBrokerResult => {
    void vscode.commands.executeCommand('brokerExplorer.mqtt.focus');
    void showInfo(
      vscode.l10n.t('The local MQTT broker is already running on {0}.', formatEndpoint(LOCAL_BROKER_HOST, result.port)),
    );
    return result;
  };

  const start = async (args: StartLocalBrokerArgs = {}): Promise<LocalBrokerResult | undefined> => {
    if (running) {
      if (!registry.get(running.brokerId)) {
        // The user removed its connection: add one again.
        running = { ...running, brokerId: await connectionFor(running.broker.port) };
        await connectForSession(running.brokerId);
      }
      return reveal({ port: running.broker.port, brokerId: running.brokerId });
    }
    const port = args.port ?? (await askPort());
    if (port === undefined) {
      return undefined;
    }
    const broker = await startLocalBroker({ port });
    log.info(`Started the local MQTT broker (aedes) on ${formatEndpoint(broker.host, broker.port)}`);
    let brokerId: string;
    try {
      brokerId = await connectionFor(broker.port);
    } catch (err) {
      await broker.stop();
      throw err;
    }
    setRunning({ broker, brokerId });
    if (args.connect !== false) {
      const state = await connectForSession(brokerId);
      if (state.kind === 'failed') {
        throw new Error(vscode.l10n.t('The local broker started but the connection failed: {0}', state.reason));
      }
    }
    void showInfo(
      vscode.l10n.t('Local MQTT broker running on mqtt://{0} — for testing on this machine, with no authentication.', formatEndpoint(broker.host, broker.port)),
    );
    return { port: broker.port, brokerId };
  };

  /** Disconnects the connection (it stays in the view, disconnected) and stops the broker. */
  const stop = async (): Promise<boolean> => {
    await starting?.catch(() => undefined);
    const current = running;
    if (!current) {
      return false;
    }
    setRunning(undefined);
    if (registry.get(current.brokerId)) {
      await registry.disconnect(current.brokerId);
    }
    const messages = current.broker.messages();
    await current.broker.stop();
    log.info(`Stopped the local MQTT broker on port ${current.broker.port} (${messages} messages were published)`);
    return true;
  };

  return [
    item,
    registerCommand(
      'brokerExplorer.startLocalBroker',
      guarded(log, 'Start Local MQTT Broker', async (args?: StartLocalBrokerArgs) => {
        // A second start while the first one runs waits for it and then reveals it.
        if (starting) {
          const result = await starting.catch(() => undefined);
          return result && reveal(result);
        }
        starting = start(args);
        try {
          return await starting;
        } finally {
          starting = undefined;
        }
      }),
    ),
    registerCommand(
      'brokerExplorer.stopLocalBroker',
      guarded(log, 'Stop Local MQTT Broker', () => stop()),
    ),
    {
      // Deactivation: closing the server and its sockets starts synchronously inside stop().
      dispose: () => {
        clearInterval(timer);
        const current = running;
        running = undefined;
        void current?.broker.stop();
      },
    },
  ];
}
