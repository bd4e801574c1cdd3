/**
 * A broker's secrets, bound to the broker: the keys they are kept under in the secret store
 * (SecretStorage in the extension), the endpoint a saved password belongs to (so it is not sent
 * elsewhere when brokers.json changes), and the one-at-a-time password prompt for workspace brokers.
 */
import type { BrokerConnection } from './connection';
import { isWorkspaceProfile, type BrokerProfile } from './profile';

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

/** Secrets a broker may have besides its password. */
const SECRET_NAMES = ['passphrase', 'managementPassword'] as const;
export type OtherSecrets = Partial<Record<(typeof SECRET_NAMES)[number], string>>;

/** Where a profile's password would go: host, port, transport, user, management API and TLS trust. */
export function endpointOf(p: BrokerProfile): string {
  return JSON.stringify([p.kind, p.host, p.port, p.username ?? '', p.kind === 'mqtt' ? (p.protocol ?? 'mqtt') : (p.protocol ?? 'amqp'), p.kind === 'amqp' ? (p.managementUrl ?? '') : '', p.tls?.verify ?? true, p.tls?.caFile ?? ''] as const);
}

/** The secrets of every broker of a registry, by profile id, over one secret store. */
export class BrokerSecrets {
  private passwordPrompt: PasswordPrompt | undefined;
  private readonly prompting = new Map<string, Promise<boolean>>();
  private promptQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly secrets: SecretStore) {}

  password(id: string): Promise<string | undefined> {
    return this.secrets.get(passwordKey(id));
  }

  secret(id: string, name: string): Promise<string | undefined> {
    return this.secrets.get(secretKey(id, name));
  }

  /** True when the secret is stored (the value itself is never shown). */
  async has(id: string, name: 'password' | 'passphrase' | 'managementPassword'): Promise<boolean> {
    return (await this.secrets.get(name === 'password' ? passwordKey(id) : secretKey(id, name))) !== undefined;
  }

  /** Saves the secrets of a new broker (empty ones are not saved). */
  async storeNew(id: string, password: string | undefined, others: OtherSecrets): Promise<void> {
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

  /** Sets (string) or clears (empty string) each secret given; leaves the others. */
  async change(id: string, secrets: { password?: string } & OtherSecrets): Promise<void> {
    if (secrets.password !== undefined) {
      await this.storePassword(id, secrets.password);
    }
    for (const name of SECRET_NAMES) {
      const value = secrets[name];
      if (value !== undefined) {
        const key = secretKey(id, name);
        await (value ? this.secrets.store(key, value) : this.secrets.delete(key));
      }
    }
  }

  /** Saves (or, with an empty string, forgets) a broker's password. */
  storePassword(id: string, password: string): Promise<void> {
    return password ? this.secrets.store(passwordKey(id), password) : this.secrets.delete(passwordKey(id));
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
    if ((await this.secrets.get(passwordKey(connection.id))) !== undefined) {
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
        await this.secrets.store(passwordKey(connection.id), password);
        return true;
      })().finally(() => this.prompting.delete(connection.id));
      this.promptQueue = pending.catch(() => false);
      this.prompting.set(connection.id, pending);
    }
    return pending;
  }
}
