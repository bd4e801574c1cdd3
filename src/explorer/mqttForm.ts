import * as vscode from 'vscode';
import { formatSubscriptions, parseSubscriptions } from '../core/mqtt/topicFilter';
import { DEFAULT_SUBSCRIPTIONS, MQTT_TRANSPORT_PORTS, validateHost, validatePort, type MqttProfile, type MqttTransport } from '../core/profile';

export interface MqttFormResult {
  readonly profile: MqttProfile;
  /** New password / passphrase: a string sets it, '' clears it, undefined leaves it. */
  readonly password?: string;
  readonly passphrase?: string;
}

interface Field extends vscode.QuickPickItem {
  readonly edit?: () => Promise<void>;
  readonly save?: boolean;
}

const onOff = (v: boolean | undefined, dflt: boolean) => ((v ?? dflt) ? vscode.l10n.t('on') : vscode.l10n.t('off'));

/**
 * The MQTT connection form: a quick pick listing every setting with its value; picking one edits
 * it, "Save" returns. Passwords and passphrases are asked with masked input and go to secret
 * storage; the form only says whether one is set.
 */
export async function mqttForm(title: string, initial: MqttProfile, secrets: { password: boolean; passphrase: boolean }): Promise<MqttFormResult | undefined> {
  let p: MqttProfile = initial;
  let password: string | undefined;
  let passphrase: string | undefined;
  const set = (patch: Partial<MqttProfile>) => (p = { ...p, ...patch });
  const setTls = (patch: Partial<NonNullable<MqttProfile['tls']>>) => set({ tls: { ...p.tls, ...patch } });
  const input = async (prompt: string, value: string, validateInput?: (v: string) => string | undefined, pwd = false) =>
    vscode.window.showInputBox({ title, prompt, value, validateInput, password: pwd, ignoreFocusOut: true });
  const pickFile = async (label: string): Promise<string | undefined> => {
    const uri = await vscode.window.showOpenDialog({ title: label, canSelectMany: false, openLabel: label, filters: { 'PEM files': ['pem', 'crt', 'key', 'cer'], 'All files': ['*'] } });
    return uri?.[0]?.fsPath;
  };
  const fileField = (label: string, value: string | undefined, apply: (v: string | undefined) => void): Field => ({
    label,
    description: value ?? vscode.l10n.t('none'),
    edit: async () => {
      const choice = await vscode.window.showQuickPick([vscode.l10n.t('Choose a file…'), vscode.l10n.t('Type a path…'), vscode.l10n.t('None')], { title: `${title}: ${label}` });
      if (choice === vscode.l10n.t('Choose a file…')) {
        const f = await pickFile(label);
        if (f) {
          apply(f);
        }
      } else if (choice === vscode.l10n.t('Type a path…')) {
        const f = await input(label, value ?? '');
        if (f !== undefined) {
          apply(f.trim() || undefined);
        }
      } else if (choice === vscode.l10n.t('None')) {
        apply(undefined);
      }
    },
  });

  for (;;) {
    const tls = p.protocol === 'mqtts' || p.protocol === 'wss';
    const ws = p.protocol === 'ws' || p.protocol === 'wss';
    const passwordState = password !== undefined ? (password ? vscode.l10n.t('changed') : vscode.l10n.t('cleared')) : secrets.password ? vscode.l10n.t('set') : vscode.l10n.t('not set');
    const fields: Field[] = [
      { label: `$(check) ${vscode.l10n.t('Save')}`, save: true, alwaysShow: true },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      { label: vscode.l10n.t('Name'), description: p.name, edit: async () => void ((v) => v !== undefined && set({ name: v.trim() || p.name }))(await input(vscode.l10n.t('Name shown in the tree'), p.name)) },
      { label: vscode.l10n.t('Host'), description: p.host, edit: async () => void ((v) => v !== undefined && set({ host: v.trim() }))(await input(vscode.l10n.t('Host name or IP address'), p.host, validateHost)) },
      { label: vscode.l10n.t('Port'), description: String(p.port), edit: async () => void ((v) => v !== undefined && set({ port: Number(v) }))(await input(vscode.l10n.t('Port'), String(p.port), validatePort)) },
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
          const pick = await vscode.window.showQuickPick(items, { title: `${title}: ${vscode.l10n.t('Protocol')}` });
          if (pick) {
            const usual = Object.values(MQTT_TRANSPORT_PORTS).includes(p.port);
            set({ protocol: pick.value, port: usual ? MQTT_TRANSPORT_PORTS[pick.value] : p.port });
          }
        },
      },
      ...(ws ? [{ label: vscode.l10n.t('WebSocket path'), description: p.path ?? '/mqtt', edit: async () => void ((v?: string) => v !== undefined && set({ path: v.trim() || '/mqtt' }))(await input(vscode.l10n.t('WebSocket path'), p.path ?? '/mqtt')) }] : []),
      {
        label: vscode.l10n.t('MQTT version'),
        description: p.protocolVersion === 4 ? '3.1.1' : p.protocolVersion === 5 ? '5' : vscode.l10n.t('5, or 3.1.1 if refused'),
        edit: async () => {
          const pick = await vscode.window.showQuickPick(
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
      { label: vscode.l10n.t('Client ID'), description: p.clientId ?? vscode.l10n.t('random (broker-explorer-…)'), edit: async () => void ((v?: string) => v !== undefined && set({ clientId: v.trim() || undefined }))(await input(vscode.l10n.t('Client ID (empty: a random one)'), p.clientId ?? '')) },
      { label: vscode.l10n.t('Username'), description: p.username ?? vscode.l10n.t('none'), edit: async () => void ((v?: string) => v !== undefined && set({ username: v || undefined }))(await input(vscode.l10n.t('Username (empty: none)'), p.username ?? '')) },
      {
        label: vscode.l10n.t('Password'),
        description: passwordState,
        detail: vscode.l10n.t('Kept in VS Code secret storage'),
        edit: async () => {
          const v = await input(vscode.l10n.t('Password (empty: none)'), '', undefined, true);
          if (v !== undefined) {
            password = v;
          }
        },
      },
      {
        label: vscode.l10n.t('Keepalive'),
        description: `${p.keepalive ?? 60} s`,
        edit: async () => void ((v?: string) => v !== undefined && set({ keepalive: Number(v) }))(await input(vscode.l10n.t('Keepalive in seconds (0 turns it off)'), String(p.keepalive ?? 60), (v) => (/^\d+$/.test(v) && Number(v) <= 65535 ? undefined : vscode.l10n.t('A number of seconds, 0 to 65535')))),
      },
      { label: vscode.l10n.t('Clean start'), description: onOff(p.clean, true), edit: async () => void set({ clean: !(p.clean ?? true) }) },
      ...(p.clean === false && p.protocolVersion !== 4
        ? [
            {
              label: vscode.l10n.t('Session expiry'),
              description: `${p.sessionExpiry ?? 3600} s`,
              edit: async () => {
                const v = await input(vscode.l10n.t('Session expiry in seconds'), String(p.sessionExpiry ?? 3600), (t) => (/^\d+$/.test(t) ? undefined : vscode.l10n.t('A number of seconds')));
                if (v !== undefined) {
                  set({ sessionExpiry: Number(v) });
                }
              },
            },
          ]
        : []),
      {
        label: vscode.l10n.t('Subscriptions'),
        description: formatSubscriptions(p.subscriptions ?? DEFAULT_SUBSCRIPTIONS),
        edit: async () => {
          const v = await input(vscode.l10n.t('Topic filters with QoS, comma separated, e.g. "#:0, $SYS/#:0"'), formatSubscriptions(p.subscriptions ?? DEFAULT_SUBSCRIPTIONS), (t) => {
            const r = parseSubscriptions(t);
            return typeof r === 'string' ? r : undefined;
          });
          const r = v === undefined ? undefined : parseSubscriptions(v);
          if (r && typeof r !== 'string') {
            set({ subscriptions: r });
          }
        },
      },
      ...(tls
        ? [
            { label: 'TLS', kind: vscode.QuickPickItemKind.Separator },
            { label: vscode.l10n.t('Verify server certificate'), description: onOff(p.tls?.verify, true), detail: p.tls?.verify === false ? vscode.l10n.t('Off: anyone in the middle can read this connection') : undefined, edit: async () => void setTls({ verify: p.tls?.verify === false }) },
            fileField(vscode.l10n.t('CA certificate'), p.tls?.caFile, (v) => setTls({ caFile: v })),
            fileField(vscode.l10n.t('Client certificate'), p.tls?.certFile, (v) => setTls({ certFile: v })),
            fileField(vscode.l10n.t('Client key'), p.tls?.keyFile, (v) => setTls({ keyFile: v })),
            {
              label: vscode.l10n.t('Key passphrase'),
              description: passphrase !== undefined ? (passphrase ? vscode.l10n.t('changed') : vscode.l10n.t('cleared')) : secrets.passphrase ? vscode.l10n.t('set') : vscode.l10n.t('not set'),
              edit: async () => {
                const v = await input(vscode.l10n.t('Passphrase of the client key (empty: none)'), '', undefined, true);
                if (v !== undefined) {
                  passphrase = v;
                }
              },
            },
            { label: vscode.l10n.t('Server name (SNI)'), description: p.tls?.servername ?? vscode.l10n.t('the host'), edit: async () => void ((v?: string) => v !== undefined && setTls({ servername: v.trim() || undefined }))(await input(vscode.l10n.t('Server name for SNI and the certificate check (empty: the host)'), p.tls?.servername ?? '')) },
          ]
        : []),
    ];
    const pick = await vscode.window.showQuickPick(fields, { title, placeHolder: vscode.l10n.t('Pick a setting to change it, or Save'), ignoreFocusOut: true });
    if (!pick) {
      return undefined;
    }
    if (pick.save) {
      return { profile: p, password, passphrase };
    }
    await pick.edit?.();
  }
}
