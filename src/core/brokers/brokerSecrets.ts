/**
 * A broker's secrets, bound to the broker: the keys they are kept under in the secret store
 * (SecretStorage in the extension), the endpoint a saved password belongs to (so it is not sent
 * elsewhere when brokers.json changes), and the one-at-a-time password prompt for workspace brokers.
 */
import type { BrokerConnection } from './connection';
import { formatEndpoint, isWorkspaceProfile, type BrokerProfile } from './profile';

/** Where passwords live (SecretStorage in the extension). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Asks the user for a workspace broker's password; undefined when they cancel. */
export type PasswordPrompt = (connection: BrokerConnection) => Promise<string | undefined>;

export function passwordKey(profileId: string): string {
  return `brokerExplorer.password.${profileId}`;
}

/** Other secrets of a broker, e.g. secretKey(id, 'passphrase') for a TLS key. */
export function secretKey(profileId: string, name: string): string {
  return `brokerExplorer.${name}.${profileId}`;
}

/** The endpoint (endpointOf) a broker's secrets were given for, kept beside them. */
export function endpointKey(profileId: string): string {
  return `brokerExplorer.endpoint.${profileId}`;
}

/** Secrets a broker may have besides its password. */
const SECRET_NAMES = ['passphrase', 'managementPassword', 'proxyPassword'] as const;
export type OtherSecrets = Partial<Record<(typeof SECRET_NAMES)[number], string>>;

/** Where a profile's password would go: host, port (and a cluster's other endpoints), transport, user, management API, TLS trust (CA file, verification, pinned certificate) and proxy. */
export function endpointOf(p: BrokerProfile): string {
  const endpoint: unknown[] = [p.kind, p.host, p.port, p.username ?? '', p.kind === 'mqtt' ? (p.protocol ?? 'mqtt') : (p.protocol ?? 'amqp'), p.kind === 'amqp' ? (p.managementUrl ?? '') : '', p.tls?.verify ?? true, p.tls?.caFile ?? ''];
  // Trust added later is part of the binding only when set, so bindings recorded before stay valid.
  // So are a cluster's other nodes: the password goes to each of them.
  const trust = {
    ...(p.tls?.pinned ? { pin: p.tls.pinned.sha256 } : {}),
    ...(p.tls?.caOnly ? { caOnly: true } : {}),
    ...(p.endpoints?.length ? { endpoints: p.endpoints.map((e) => formatEndpoint(e.host, e.port)) } : {}),
    // And the proxy: the secrets (the proxy's password too) go through it, or to it.
    ...(p.proxy && p.proxy !== 'system' ? { proxy: p.proxy } : {}),
  };
  return JSON.stringify(Object.keys(trust).length ? [...endpoint, trust] : endpoint);
}

/** The secrets of every broker of a registry, by profile id, over one secret store. */
export class BrokerSecrets {
  private passwordPrompt: PasswordPrompt | undefined;
  private readonly prompting = new Map<string, Promise<boolean>>();
  private promptQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: SecretStore) {}

  /**
   * The broker's password, only for the endpoint it was given for. A workspace broker's
   * brokers.json may change while VS Code is closed (a git pull): when its host, port, user,
   * transport, management URL or TLS trust no longer match, the password is withheld and the
   * user is asked again. A password saved before endpoints were recorded counts as unbound for
   * workspace brokers (asked again once) and is bound now for the user's own brokers, whose
   * settings no repository writes.
   */
  async password(profile: BrokerProfile): Promise<string | undefined> {
    return (await this.bound(profile)) ? this.secrets.get(passwordKey(profile.id)) : undefined;
  }

  /** Another secret of the broker (e.g. 'passphrase'), under the same endpoint rule as the password. */
  async secret(profile: BrokerProfile, name: string): Promise<string | undefined> {
    return (await this.bound(profile)) ? this.secrets.get(secretKey(profile.id, name)) : undefined;
  }

  private async bound(profile: BrokerProfile): Promise<boolean> {
    const recorded = await this.secrets.get(endpointKey(profile.id));
    if (recorded === undefined) {
      if (isWorkspaceProfile(profile)) {
        return false;
      }
      await this.bind(profile);
      return true;
    }
    return recorded === endpointOf(profile);
  }

  private bind(profile: BrokerProfile): Promise<void> {
    return this.secrets.store(endpointKey(profile.id), endpointOf(profile));
  }

  /** True when the secret is stored (the value itself is never shown). */
  async has(id: string, name: 'password' | 'passphrase' | 'managementPassword' | 'proxyPassword'): Promise<boolean> {
    return (await this.secrets.get(name === 'password' ? passwordKey(id) : secretKey(id, name))) !== undefined;
  }

  /** Saves the secrets of a new broker (empty ones are not saved), bound to its endpoint. */
  async storeNew(profile: BrokerProfile, password: string | undefined, others: OtherSecrets): Promise<void> {
    const id = profile.id;
    await this.bind(profile);
    if (password) {
      await this.secrets.store(passwordKey(id), password);
    }
    for (const name of SECRET_NAMES) {
      const value = others[name];
      if (value) {
        await this.secrets.store(secretKey(id, name), value);
      }
    }
  }

  /**
   * Sets (string) or clears (empty string) each secret given; leaves the others. The user edited
   * the broker: its secrets are bound to the profile as saved now.
   */
  async change(profile: BrokerProfile, secrets: { password?: string } & OtherSecrets): Promise<void> {
    const id = profile.id;
    await this.bind(profile);
    if (secrets.password !== undefined) {
      await this.storePassword(profile, secrets.password);
    }
    for (const name of SECRET_NAMES) {
      const value = secrets[name];
      if (value !== undefined) {
        const key = secretKey(id, name);
        await (value ? this.secrets.store(key, value) : this.secrets.delete(key));
      }
    }
  }

  /** Moves the binding of a broker's secrets to its new settings, only when they were valid for the old ones. */
  async rebind(from: BrokerProfile, to: BrokerProfile): Promise<void> {
    if (await this.bound(from)) {
      await this.bind(to);
    }
  }

  /** Saves (or, with an empty string, forgets) a broker's password, for the endpoint it has now. */
  async storePassword(profile: BrokerProfile, password: string): Promise<void> {
    await this.bind(profile);
    await (password ? this.secrets.store(passwordKey(profile.id), password) : this.secrets.delete(passwordKey(profile.id)));
  }

  /**
   * Saves (or, with '', forgets) one other secret, e.g. a workspace broker's proxy password.
   * Secrets given for another endpoint (brokers.json changed since) are forgotten first: binding
   * the new one must not make the old password valid for where the broker points now.
   */
  async storeSecret(profile: BrokerProfile, name: (typeof SECRET_NAMES)[number], value: string): Promise<void> {
    if (!(await this.bound(profile))) {
      await this.secrets.delete(passwordKey(profile.id));
      for (const other of SECRET_NAMES) {
        await this.secrets.delete(secretKey(profile.id, other));
      }
    }
    await this.bind(profile);
    const key = secretKey(profile.id, name);
    await (value ? this.secrets.store(key, value) : this.secrets.delete(key));
  }

  forgetPassword(id: string): Promise<void> {
    return this.secrets.delete(passwordKey(id));
  }

  /** Forgets every secret of a removed broker. */
  async forgetAll(id: string): Promise<void> {
    await this.secrets.delete(passwordKey(id));
    for (const name of SECRET_NAMES) {
      await this.secrets.delete(secretKey(id, name));
    }
    await this.secrets.delete(endpointKey(id));
  }

  /** Installs the password prompt for workspace brokers; undefined removes it. */
  setPrompt(prompt: PasswordPrompt | undefined): { dispose(): void } {
    this.passwordPrompt = prompt;
    return {
      dispose: () => {
        if (this.passwordPrompt === prompt) {
          this.passwordPrompt = undefined;
        }
      },
    };
  }

  /**
   * False when the user cancelled the password prompt. A workspace broker with a username and
   * no saved password asks for it first (once: it is kept in the secret store).
   */
  async ensurePassword(connection: BrokerConnection): Promise<boolean> {
    const prompt = this.passwordPrompt;
    if (!prompt || !isWorkspaceProfile(connection.profile) || !connection.profile.username) {
      return true;
    }
    // A password given for another endpoint (brokers.json changed) is not sent: ask again.
    if ((await this.password(connection.profile)) !== undefined) {
      return true;
    }
    // Two connects at once (auto-connect and a click) ask only once.
    let pending = this.prompting.get(connection.id);
    if (!pending) {
      // One input box at a time: VS Code closes an open one when another opens.
      const previous = this.promptQueue;
      pending = (async () => {
        await previous;
        const password = await prompt(connection);
        if (password === undefined) {
          return false;
        }
        // An empty answer is kept too: "no password", and the user is not asked again.
        await this.storePassword(connection.profile, password);
        return true;
      })().finally(() => this.prompting.delete(connection.id));
      this.promptQueue = pending.catch(() => false);
      this.prompting.set(connection.id, pending);
    }
    return pending;
  }
}
