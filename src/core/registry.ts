import { AmqpConnection } from './amqp/amqpConnection';
import type { BrokerConnection, ConnectionLog } from './connection';
import { Emitter, type Disposable, type Event } from './events';
import { MqttConnection } from './mqtt/mqttConnection';
import type { TopicModelOptions } from './mqtt/topicModel';
import type { BrokerKind, BrokerProfile } from './profile';
import type { ConnectionState } from './state';

/** Where profiles live (globalState in the extension, a Map in tests). Never holds secrets. */
export interface ProfileStore {
  load(): readonly BrokerProfile[];
  save(profiles: readonly BrokerProfile[]): Promise<void>;
}

/** Where passwords live (SecretStorage in the extension). */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface RegistryOptions {
  readonly log?: ConnectionLog;
  /** Read at each connection attempt so a settings change applies without reload. */
  readonly connectTimeoutMs?: () => number;
  /** Limits for each MQTT connection's topic model (history and memory budget). */
  readonly topicModel?: () => Partial<TopicModelOptions>;
}

export type RegistryChange =
  | { readonly type: 'added' | 'removed' | 'updated'; readonly connection: BrokerConnection }
  | { readonly type: 'state'; readonly connection: BrokerConnection; readonly state: ConnectionState };

export function passwordKey(profileId: string): string {
  return `brokerExplorer.password.${profileId}`;
}

/** Other secrets of a broker, e.g. secretKey(id, 'passphrase') for a TLS key. */
export function secretKey(profileId: string, name: string): string {
  return `brokerExplorer.${name}.${profileId}`;
}

/** Secrets a broker may have besides its password. */
const SECRET_NAMES = ['passphrase', 'managementPassword'] as const;
type OtherSecrets = Partial<Record<(typeof SECRET_NAMES)[number], string>>;

/** All configured brokers and their live connections. The trees render this. */
export class BrokerRegistry {
  private readonly connections = new Map<string, BrokerConnection>();
  private readonly subscriptions = new Map<string, Disposable>();
  private readonly changeEmitter = new Emitter<RegistryChange>();
  readonly onDidChange: Event<RegistryChange> = this.changeEmitter.event;

  constructor(
    private readonly store: ProfileStore,
    private readonly secrets: SecretStore,
    private readonly options: RegistryOptions = {},
  ) {
    for (const profile of store.load()) {
      this.attach(profile);
    }
  }

  list(kind?: BrokerKind): BrokerConnection[] {
    const all = [...this.connections.values()];
    return kind ? all.filter((c) => c.profile.kind === kind) : all;
  }

  get(id: string): BrokerConnection | undefined {
    return this.connections.get(id);
  }

  /** Profiles the user left connected last time. */
  autoConnectIds(): string[] {
    return this.list()
      .filter((c) => c.profile.autoConnect)
      .map((c) => c.id);
  }

  async add(profile: BrokerProfile, password?: string, others: OtherSecrets = {}): Promise<BrokerConnection> {
    if (this.connections.has(profile.id)) {
      throw new Error(`A broker with id ${profile.id} already exists`);
    }
    if (password) {
      await this.secrets.store(passwordKey(profile.id), password);
    }
    for (const name of SECRET_NAMES) {
      const value = others[name];
      if (value) {
        await this.secrets.store(secretKey(profile.id, name), value);
      }
    }
    const connection = this.attach(profile);
    await this.persist();
    this.changeEmitter.fire({ type: 'added', connection });
    return connection;
  }

  async remove(id: string): Promise<void> {
    const connection = this.connections.get(id);
    if (!connection) {
      return;
    }
    this.connections.delete(id);
    this.subscriptions.get(id)?.dispose();
    this.subscriptions.delete(id);
    await connection.dispose();
    await this.secrets.delete(passwordKey(id));
    for (const name of SECRET_NAMES) {
      await this.secrets.delete(secretKey(id, name));
    }
    await this.persist();
    this.changeEmitter.fire({ type: 'removed', connection });
  }

  /**
   * Replaces a broker's settings (a new connection object with the same id). It reconnects if
   * it was connected. `secrets` sets (string) or clears (empty string) password / passphrase.
   */
  async update(profile: BrokerProfile, secrets: { password?: string } & OtherSecrets = {}): Promise<BrokerConnection> {
    const old = this.require(profile.id);
    const wasActive = old.state.kind !== 'disconnected' && old.state.kind !== 'failed';
    this.subscriptions.get(profile.id)?.dispose();
    await old.dispose();
    if (secrets.password !== undefined) {
      await (secrets.password ? this.secrets.store(passwordKey(profile.id), secrets.password) : this.secrets.delete(passwordKey(profile.id)));
    }
    for (const name of SECRET_NAMES) {
      const value = secrets[name];
      if (value !== undefined) {
        const key = secretKey(profile.id, name);
        await (value ? this.secrets.store(key, value) : this.secrets.delete(key));
      }
    }
    const connection = this.attach(profile);
    await this.persist();
    this.changeEmitter.fire({ type: 'updated', connection });
    if (wasActive) {
      void connection.connect();
    }
    return connection;
  }

  /** Changes profile fields that need no reconnect (e.g. watched names); the tree refreshes. */
  async patchProfile(id: string, patch: Partial<BrokerProfile>): Promise<void> {
    const connection = this.require(id);
    connection.profile = { ...connection.profile, ...patch } as BrokerProfile;
    await this.persist();
    this.changeEmitter.fire({ type: 'updated', connection });
  }

  /** True when a password is stored for this broker (the value itself is never shown). */
  async hasSecret(id: string, name: 'password' | 'passphrase' | 'managementPassword'): Promise<boolean> {
    return (await this.secrets.get(name === 'password' ? passwordKey(id) : secretKey(id, name))) !== undefined;
  }

  /** Connects and remembers to connect again next session. Never rejects for network errors. */
  async connect(id: string): Promise<ConnectionState> {
    const connection = this.require(id);
    await this.setAutoConnect(connection, true);
    return connection.connect();
  }

  async disconnect(id: string): Promise<void> {
    const connection = this.require(id);
    await this.setAutoConnect(connection, false);
    await connection.disconnect();
  }

  /** Applies new topic model limits to every MQTT connection at once. */
  configureTopicModels(options: Partial<TopicModelOptions>): void {
    for (const c of this.list('mqtt')) {
      if (c instanceof MqttConnection) {
        c.topics.configure(options);
      }
    }
  }

  async dispose(): Promise<void> {
    const all = [...this.connections.values()];
    for (const sub of this.subscriptions.values()) {
      sub.dispose();
    }
    this.subscriptions.clear();
    this.connections.clear();
    await Promise.all(all.map((c) => c.dispose()));
    this.changeEmitter.dispose();
  }

  private require(id: string): BrokerConnection {
    const connection = this.connections.get(id);
    if (!connection) {
      throw new Error(`No broker with id ${id}`);
    }
    return connection;
  }

  private async setAutoConnect(connection: BrokerConnection, autoConnect: boolean): Promise<void> {
    if (Boolean(connection.profile.autoConnect) !== autoConnect) {
      connection.profile = { ...connection.profile, autoConnect };
      await this.persist();
    }
  }

  private attach(profile: BrokerProfile): BrokerConnection {
    const options = {
      log: this.options.log,
      connectTimeoutMs: this.options.connectTimeoutMs,
      getPassword: () => this.secrets.get(passwordKey(profile.id)),
      getSecret: (name: string) => this.secrets.get(secretKey(profile.id, name)),
    };
    const connection: BrokerConnection =
      profile.kind === 'mqtt' ? new MqttConnection(profile, { ...options, topicModel: this.options.topicModel?.() }) : new AmqpConnection(profile, options);
    this.connections.set(profile.id, connection);
    this.subscriptions.set(
      profile.id,
      connection.onDidChangeState((state) => this.changeEmitter.fire({ type: 'state', connection, state })),
    );
    return connection;
  }

  private persist(): Promise<void> {
    return this.store.save(this.list().map((c) => c.profile));
  }
}
