import * as vscode from 'vscode';
import { formatEndpointList, parseEndpointList, type ClusterEndpoint, type TlsOptions } from '../core/brokers/profile';
import { parseProxy } from '../core/brokers/proxy';
import { escapeIcons } from '../core/format/markup';
import { inputBox, quickPick } from '../shared/prompts';

/** One line of a connection form: picking it edits the setting, or saves the form. */
export interface FormField extends vscode.QuickPickItem {
  readonly edit?: () => Promise<void>;
  readonly save?: boolean;
}

export const onOff = (v: boolean | undefined, dflt: boolean): string => ((v ?? dflt) ? vscode.l10n.t('on') : vscode.l10n.t('off'));

/** "set" / "not set" / "changed" / "cleared": a secret's state, never its value. */
export function secretState(changed: string | undefined, stored: boolean): string {
  if (changed !== undefined) {
    return changed ? vscode.l10n.t('changed') : vscode.l10n.t('cleared');
  }
  return stored ? vscode.l10n.t('set') : vscode.l10n.t('not set');
}

/** Building blocks shared by the MQTT and AMQP connection forms. */
export function formKit(title: string) {
  const input = async (prompt: string, value: string, validateInput?: (v: string) => string | undefined, password = false) =>
    inputBox({ title, prompt, value, validateInput, password, ignoreFocusOut: true });

  /** A text setting: `apply` gets the typed value (the prompt was not cancelled). */
  const text = (label: string, description: string, prompt: string, value: string, apply: (v: string) => void, validate?: (v: string) => string | undefined): FormField => ({
    label,
    description: escapeIcons(description),
    edit: async () => {
      const v = await input(prompt, value, validate);
      if (v !== undefined) {
        apply(v);
      }
    },
  });

  /** A cluster's other nodes, "node2:1883, node3:1883" (a missing port is the broker's). */
  const endpoints = (value: readonly ClusterEndpoint[] | undefined, port: number, apply: (v: readonly ClusterEndpoint[] | undefined) => void): FormField =>
    text(
      vscode.l10n.t('More endpoints (cluster)'),
      formatEndpointList(value) || vscode.l10n.t('none'),
      vscode.l10n.t('Other nodes of the same cluster, tried in order after host:port, e.g. "node2:1883, node3:1883" (empty: none)'),
      formatEndpointList(value),
      (v) => {
        const list = parseEndpointList(v, port).endpoints;
        apply(list.length ? list : undefined);
      },
      (v) => parseEndpointList(v, port).error,
    );

  /** The connection's proxy: system (default), none, or a socks5:// / http:// URL; its password when the URL names a user. */
  const proxy = (value: string | undefined, apply: (v: string | undefined) => void, password: string, setPassword: (v: string) => void): FormField[] => {
    const route = parseProxy(value).route;
    return [
      text(
        vscode.l10n.t('Proxy'),
        !route || route.kind === 'system' ? vscode.l10n.t("system (VS Code's http.proxy for HTTP)") : (value ?? ''),
        vscode.l10n.t('none (direct, also bypassing http.proxy), system (default) or socks5://user@host:port, http://user@host:port (HTTP CONNECT)'),
        value ?? 'system',
        (v) => {
          const r = parseProxy(v).route;
          apply(!r || r.kind === 'system' ? undefined : v.trim());
        },
        (v) => parseProxy(v).error,
      ),
      ...(route && (route.kind === 'socks5' || route.kind === 'http') && route.username
        ? [secret(vscode.l10n.t('Proxy password'), password, vscode.l10n.t('Password of the proxy user {0} (empty: none)', route.username), setPassword, vscode.l10n.t('Kept in VS Code secret storage'))]
        : []),
    ];
  };

  /** A PEM (or, with `filters`, another kind of) file setting: choose, type a path, or none. */
  const file = (label: string, value: string | undefined, apply: (v: string | undefined) => void, filters: Record<string, string[]> = { 'PEM files': ['pem', 'crt', 'key', 'cer'] }): FormField => ({
    label,
    description: value ?? vscode.l10n.t('none'),
    edit: async () => {
      const choose = vscode.l10n.t('Choose a file…');
      const type = vscode.l10n.t('Type a path…');
      const none = vscode.l10n.t('None');
      const choice = await quickPick([choose, type, none], { title: `${title}: ${label}` });
      if (choice === choose) {
        const uri = await vscode.window.showOpenDialog({ title: label, canSelectMany: false, openLabel: label, filters: { ...filters, 'All files': ['*'] } });
        if (uri?.[0]) {
          apply(uri[0].fsPath);
        }
      } else if (choice === type) {
        const f = await input(label, value ?? '');
        if (f !== undefined) {
          apply(f.trim() || undefined);
        }
      } else if (choice === none) {
        apply(undefined);
      }
    },
  });

  /** A secret: masked input; '' clears it. */
  const secret = (label: string, state: string, prompt: string, apply: (v: string) => void, detail?: string): FormField => ({
    label,
    description: state,
    detail,
    edit: async () => {
      const v = await input(prompt, '', undefined, true);
      if (v !== undefined) {
        apply(v);
      }
    },
  });

  /** The TLS section: verification, CA, client certificate and key, key passphrase, SNI. */
  const tls = (options: TlsOptions | undefined, apply: (patch: Partial<TlsOptions>) => void, passphrase: string, setPassphrase: (v: string) => void): FormField[] => [
    { label: 'TLS', kind: vscode.QuickPickItemKind.Separator },
    {
      label: vscode.l10n.t('Verify server certificate'),
      description: onOff(options?.verify, true),
      detail: options?.verify === false ? vscode.l10n.t('Off: anyone in the middle can read this connection') : undefined,
      edit: async () => apply({ verify: options?.verify === false }),
    },
    file(vscode.l10n.t('CA certificate'), options?.caFile, (v) => apply({ caFile: v })),
    ...(options?.caFile
      ? [
          {
            label: vscode.l10n.t('CA trust'),
            description: options.caOnly ? vscode.l10n.t('only this CA') : vscode.l10n.t('this CA and the default roots'),
            detail: options.caOnly ? vscode.l10n.t('Certificates from any other CA are refused') : vscode.l10n.t('Pick to trust only this CA'),
            edit: async () => apply({ caOnly: options.caOnly ? undefined : true }),
          },
        ]
      : []),
    ...(options?.pinned ? [{ label: vscode.l10n.t('Trusted certificate'), description: options.pinned.sha256, detail: vscode.l10n.t('Pick to stop trusting this exact certificate (chain and host name are checked again)'), edit: async () => apply({ pinned: undefined }) }] : []),
    file(vscode.l10n.t('Client certificate'), options?.certFile, (v) => apply({ certFile: v })),
    file(vscode.l10n.t('Client key'), options?.keyFile, (v) => apply({ keyFile: v })),
    file(vscode.l10n.t('Client certificate (PKCS#12)'), options?.pfxFile, (v) => apply({ pfxFile: v }), { 'PKCS#12 files': ['p12', 'pfx'] }),
    secret(vscode.l10n.t('Key passphrase'), passphrase, vscode.l10n.t('Passphrase of the client key or PKCS#12 file (empty: none)'), setPassphrase),
    text(vscode.l10n.t('Server name (SNI)'), options?.servername ?? vscode.l10n.t('the host'), vscode.l10n.t('Server name for SNI and the certificate check (empty: the host)'), options?.servername ?? '', (v) =>
      apply({ servername: v.trim() || undefined }),
    ),
    text(
      vscode.l10n.t('ALPN protocols'),
      options?.alpnProtocols?.join(', ') || vscode.l10n.t('none'),
      vscode.l10n.t('ALPN protocols offered in the handshake, comma separated (e.g. x-amzn-mqtt-ca for AWS IoT on port 443; empty: none)'),
      options?.alpnProtocols?.join(', ') ?? '',
      (v) => {
        const list = v.split(',').map((p) => p.trim()).filter(Boolean);
        apply({ alpnProtocols: list.length ? list : undefined });
      },
      (v) => (v.split(',').every((p) => !p.trim() || /^[\x21-\x7e]{1,255}$/.test(p.trim())) ? undefined : vscode.l10n.t('Protocol names without spaces, separated by commas')),
    ),
  ];

  /** Shows the fields until Save (true) or Escape (false); `fields` is rebuilt after each edit. */
  const run = async (fields: () => FormField[], saveLabel = vscode.l10n.t('Save'), saveIcon = 'check'): Promise<boolean> => {
    for (;;) {
      const pick = await quickPick(
        [{ label: `$(${saveIcon}) ${saveLabel}`, save: true, alwaysShow: true }, { label: '', kind: vscode.QuickPickItemKind.Separator }, ...fields()] as FormField[],
        { title, placeHolder: vscode.l10n.t('Pick a setting to change it, or {0}', saveLabel), ignoreFocusOut: true },
      );
      if (!pick) {
        return false;
      }
      if (pick.save) {
        return true;
      }
      await pick.edit?.();
    }
  };

  return { input, text, endpoints, proxy, file, secret, tls, run };
}
