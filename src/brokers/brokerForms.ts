import * as vscode from 'vscode';
import { receiveMaximumProblem, topicAliasMaximumProblem, typedNumber } from '../core/brokers/flowControl';
import { formatSubscriptions, parseSubscriptions } from '../core/brokers/subscriptions';
import { DEFAULT_SUBSCRIPTIONS, managementUrlOf, MQTT_TRANSPORT_PORTS, validateHost, validatePort, type AmqpProfile, type MqttProfile, type MqttTransport } from '../core/brokers/profile';
import { formKit, onOff, secretState, type FormField } from './formKit';
import { quickPick } from '../shared/prompts';

export interface FormResult<P> {
  readonly profile: P;
  /** New password / passphrase: a string sets it, '' clears it, undefined leaves it. */
  readonly password?: string;
  readonly passphrase?: string;
  readonly managementPassword?: string;
  readonly proxyPassword?: string;
}
export type MqttFormResult = FormResult<MqttProfile>;
export type AmqpFormResult = FormResult<AmqpProfile>;

const seconds = (max: number) => (v: string) => (/^\d+$/.test(v) && Number(v) <= max ? undefined : vscode.l10n.t('A number of seconds, 0 to {0}', max));

/**
 * The MQTT connection form: a quick pick listing every setting with its value; picking one edits
 * it, "Save" returns. Passwords and passphrases are asked with masked input and go to secret
 * storage; the form only says whether one is set.
 */
export async function mqttForm(title: string, initial: MqttProfile, secrets: { password: boolean; passphrase: boolean; proxyPassword?: boolean }): Promise<MqttFormResult | undefined> {
  let p: MqttProfile = initial;
  let password: string | undefined;
  let passphrase: string | undefined;
  let proxyPassword: string | undefined;
  const set = (patch: Partial<MqttProfile>) => (p = { ...p, ...patch });
  const kit = formKit(title);
  const fields = (): FormField[] => {
    const tls = p.protocol === 'mqtts' || p.protocol === 'wss';
    const ws = p.protocol === 'ws' || p.protocol === 'wss';
    return [
      kit.text(vscode.l10n.t('Name'), p.name, vscode.l10n.t('Name shown in the tree'), p.name, (v) => set({ name: v.trim() || p.name })),
      kit.text(vscode.l10n.t('Host'), p.host, vscode.l10n.t('Host name or IP address'), p.host, (v) => set({ host: v.trim() }), validateHost),
      kit.text(vscode.l10n.t('Port'), String(p.port), vscode.l10n.t('Port'), String(p.port), (v) => set({ port: Number(v) }), validatePort),
      kit.endpoints(p.endpoints, p.port, (endpoints) => set({ endpoints })),
      {
        label: vscode.l10n.t('Protocol'),
        description: p.protocol ?? 'mqtt',
        edit: async () => {
          const items: (vscode.QuickPickItem & { value: MqttTransport })[] = [
            { label: 'mqtt', description: vscode.l10n.t('TCP, port 1883'), value: 'mqtt' },
            { label: 'mqtts', description: vscode.l10n.t('TLS, port 8883'), value: 'mqtts' },
            { label: 'ws', description: vscode.l10n.t('WebSocket'), value: 'ws' },
            { label: 'wss', description: vscode.l10n.t('WebSocket over TLS'), value: 'wss' },
          ];
          const pick = await quickPick(items, { title: `${title}: ${vscode.l10n.t('Protocol')}` });
          if (pick) {
            const usual = Object.values(MQTT_TRANSPORT_PORTS).includes(p.port);
            set({ protocol: pick.value, port: usual ? MQTT_TRANSPORT_PORTS[pick.value] : p.port });
          }
        },
      },
      ...(ws ? [kit.text(vscode.l10n.t('WebSocket path'), p.path ?? '/mqtt', vscode.l10n.t('WebSocket path'), p.path ?? '/mqtt', (v) => set({ path: v.trim() || '/mqtt' }))] : []),
      {
        label: vscode.l10n.t('MQTT version'),
        description: p.protocolVersion === 4 ? '3.1.1' : p.protocolVersion === 5 ? '5' : vscode.l10n.t('5, or 3.1.1 if refused'),
        edit: async () => {
          const pick = await quickPick(
            [
              { label: vscode.l10n.t('5, or 3.1.1 if refused'), value: undefined },
              { label: '5', value: 5 as const },
              { label: '3.1.1', value: 4 as const },
            ],
            { title: `${title}: ${vscode.l10n.t('MQTT version')}` },
          );
          if (pick) {
            set({ protocolVersion: pick.value });
          }
        },
      },
      kit.text(vscode.l10n.t('Client ID'), p.clientId ?? vscode.l10n.t('random (broker-explorer-…)'), vscode.l10n.t('Client ID (empty: a random one)'), p.clientId ?? '', (v) => set({ clientId: v.trim() || undefined })),
      kit.text(vscode.l10n.t('Username'), p.username ?? vscode.l10n.t('none'), vscode.l10n.t('Username (empty: none)'), p.username ?? '', (v) => set({ username: v || undefined })),
      kit.secret(vscode.l10n.t('Password'), secretState(password, secrets.password), vscode.l10n.t('Password (empty: none)'), (v) => (password = v), vscode.l10n.t('Kept in VS Code secret storage')),
      kit.text(
        vscode.l10n.t('Subscriptions'),
        formatSubscriptions(p.subscriptions ?? DEFAULT_SUBSCRIPTIONS),
        vscode.l10n.t('Topic filters with QoS, comma separated, e.g. "#:0, $SYS/#:0"'),
        formatSubscriptions(p.subscriptions ?? DEFAULT_SUBSCRIPTIONS),
        (v) => {
          const r = parseSubscriptions(v);
          if (typeof r !== 'string') {
            set({ subscriptions: r });
          }
        },
        (v) => {
          const r = parseSubscriptions(v);
          return typeof r === 'string' ? r : undefined;
        },
      ),
      // TLS before the session and flow-control settings: it decides whether the connection works at all.
      ...(tls ? kit.tls(p.tls, (patch) => set({ tls: { ...p.tls, ...patch } }), secretState(passphrase, secrets.passphrase), (v) => (passphrase = v)) : []),
      kit.text(vscode.l10n.t('Keepalive'), `${p.keepalive ?? 60} s`, vscode.l10n.t('Keepalive in seconds (0 turns it off)'), String(p.keepalive ?? 60), (v) => set({ keepalive: Number(v) }), seconds(65535)),
      { label: vscode.l10n.t('Clean start'), description: onOff(p.clean, true), edit: async () => void set({ clean: !(p.clean ?? true) }) },
      ...(p.clean === false && p.protocolVersion !== 4
        ? [kit.text(vscode.l10n.t('Session expiry'), `${p.sessionExpiry ?? 3600} s`, vscode.l10n.t('Session expiry in seconds'), String(p.sessionExpiry ?? 3600), (v) => set({ sessionExpiry: Number(v) }), seconds(4294967295))]
        : []),
      ...(p.protocolVersion !== 4
        ? [
            kit.text(
              vscode.l10n.t('Receive Maximum'),
              p.receiveMaximum === undefined ? vscode.l10n.t('65535 (default)') : String(p.receiveMaximum),
              vscode.l10n.t('MQTT 5 Receive Maximum: QoS 1 and 2 messages the broker may send before we acknowledge them, 1 to 65535 (empty: 65535)'),
              p.receiveMaximum === undefined ? '' : String(p.receiveMaximum),
              (v) => set({ receiveMaximum: v.trim() ? Number(v) : undefined }),
              (v) => (v.trim() ? receiveMaximumProblem(typedNumber(v)) : undefined),
            ),
            kit.text(
              vscode.l10n.t('Topic Alias Maximum'),
              p.topicAliasMaximum ? String(p.topicAliasMaximum) : vscode.l10n.t('0 (no aliases)'),
              vscode.l10n.t('MQTT 5 Topic Alias Maximum: topic aliases the broker may use towards us, 0 to 65535 (0: none)'),
              p.topicAliasMaximum ? String(p.topicAliasMaximum) : '',
              (v) => set({ topicAliasMaximum: v.trim() && Number(v) > 0 ? Number(v) : undefined }),
              (v) => (v.trim() ? topicAliasMaximumProblem(typedNumber(v)) : undefined),
            ),
          ]
        : []),
      ...kit.proxy(p.proxy, (proxy) => set({ proxy }), secretState(proxyPassword, secrets.proxyPassword ?? false), (v) => (proxyPassword = v)),
    ];
  };
  return (await kit.run(fields)) ? { profile: p, password, passphrase, proxyPassword } : undefined;
}

/** The AMQP connection form: endpoint, vhost, credentials, TLS, heartbeat, management API URL. */
export async function amqpForm(title: string, initial: AmqpProfile, secrets: { password: boolean; passphrase: boolean; managementPassword?: boolean; proxyPassword?: boolean }): Promise<AmqpFormResult | undefined> {
  let p: AmqpProfile = initial;
  let password: string | undefined;
  let proxyPassword: string | undefined;
  let passphrase: string | undefined;
  let managementPassword: string | undefined;
  const set = (patch: Partial<AmqpProfile>) => (p = { ...p, ...patch });
  const kit = formKit(title);
  const fields = (): FormField[] => [
    kit.text(vscode.l10n.t('Name'), p.name, vscode.l10n.t('Name shown in the tree'), p.name, (v) => set({ name: v.trim() || p.name })),
    kit.text(vscode.l10n.t('Host'), p.host, vscode.l10n.t('Host name or IP address'), p.host, (v) => set({ host: v.trim() }), validateHost),
    kit.text(vscode.l10n.t('Port'), String(p.port), vscode.l10n.t('Port'), String(p.port), (v) => set({ port: Number(v) }), validatePort),
    kit.endpoints(p.endpoints, p.port, (endpoints) => set({ endpoints })),
    {
      label: vscode.l10n.t('Protocol'),
      description: p.protocol ?? 'amqp',
      edit: async () => {
        const pick = await quickPick(
          [
            { label: 'amqp', description: vscode.l10n.t('TCP, port 5672'), value: 'amqp' as const },
            { label: 'amqps', description: vscode.l10n.t('TLS, port 5671'), value: 'amqps' as const },
          ],
          { title: `${title}: ${vscode.l10n.t('Protocol')}` },
        );
        if (pick) {
          set({ protocol: pick.value, port: p.port === 5672 || p.port === 5671 ? (pick.value === 'amqps' ? 5671 : 5672) : p.port });
        }
      },
    },
    kit.text(vscode.l10n.t('Virtual host'), p.vhost, vscode.l10n.t('Virtual host'), p.vhost, (v) => set({ vhost: v || '/' })),
    kit.text(vscode.l10n.t('Username'), p.username ?? 'guest', vscode.l10n.t('Username'), p.username ?? 'guest', (v) => set({ username: v || undefined })),
    kit.secret(vscode.l10n.t('Password'), secretState(password, secrets.password), vscode.l10n.t('Password (empty: none)'), (v) => (password = v), vscode.l10n.t('Kept in VS Code secret storage')),
    kit.text(vscode.l10n.t('Heartbeat'), `${p.heartbeat ?? 30} s`, vscode.l10n.t('Heartbeat in seconds (0 turns it off)'), String(p.heartbeat ?? 30), (v) => set({ heartbeat: Number(v) }), seconds(65535)),
    kit.text(
      vscode.l10n.t('Management API'),
      managementUrlOf(p),
      vscode.l10n.t('URL of the RabbitMQ management API (empty: https://host:15671 for amqps, http://host:15672 for amqp); same credentials'),
      p.managementUrl ?? '',
      (v) => set({ managementUrl: v.trim() || undefined }),
      (v) => (!v.trim() || /^https?:\/\/[^\s/]+/.test(v.trim()) ? undefined : vscode.l10n.t('An http:// or https:// URL')),
    ),
    kit.text(vscode.l10n.t('Management user'), p.managementUsername ?? vscode.l10n.t('same as AMQP'), vscode.l10n.t('User of the management API (empty: the AMQP user and password)'), p.managementUsername ?? '', (v) =>
      set({ managementUsername: v.trim() || undefined }),
    ),
    ...(p.managementUsername
      ? [kit.secret(vscode.l10n.t('Management password'), secretState(managementPassword, secrets.managementPassword ?? false), vscode.l10n.t('Password of the management user'), (v) => (managementPassword = v))]
      : []),
    ...(p.protocol === 'amqps' ? kit.tls(p.tls, (patch) => set({ tls: { ...p.tls, ...patch } }), secretState(passphrase, secrets.passphrase), (v) => (passphrase = v)) : []),
    ...kit.proxy(p.proxy, (proxy) => set({ proxy }), secretState(proxyPassword, secrets.proxyPassword ?? false), (v) => (proxyPassword = v)),
  ];
  return (await kit.run(fields)) ? { profile: p, password, passphrase, managementPassword, proxyPassword } : undefined;
}
