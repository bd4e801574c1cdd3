/**
 * All configured brokers and their live connections (the trees render this): the user's own
 * profiles (added, updated, removed, saved to the profile store), the workspace brokers each
 * folder's brokers.json defines (never saved), and connecting, disconnecting and disposing them.
 * Their secrets are kept by BrokerSecrets (brokerSecrets.ts).
 */
import * as l10n from '@vscode/l10n';
import { BrokerSecrets, endpointOf, type OtherSecrets, type PasswordPrompt, type SecretStore } from './brokerSecrets';
import type { BrokerConnection, ConnectionLog, ConnectionOptions } from './connection';
import { Emitter, type Disposable, type Event } from './events';
import { isWorkspaceProfile, type BrokerKind, type BrokerProfile, type PinnedCertificate } from './profile';
import { WorkspacePins, type PinStore } from './workspacePins';
import type { ConnectionState } from './state';

/** Where profiles live (globalState in the extension, a Map in tests). Never holds secrets. */
export interface ProfileStore {
  load(): readonly BrokerProfile[];
  save(profiles: readonly BrokerProfile[]): Promise<void>;
}

export interface RegistryOptions {
  readonly log?: ConnectionLog;
  /** Read at each connection attempt so a settings change applies without reload. */
  readonly connectTimeoutMs?: () => number;
  /** CA file for TLS brokers that name none (setting brokerExplorer.tls.defaultCaFile). */
  readonly defaultCaFile?: () => string | undefined;
  /** Where certificates trusted for workspace brokers are kept (never in their brokers.json). */
  readonly workspacePins?: PinStore;
}

/** Makes the live connection of a profile (src/core/index.ts has the MQTT and AMQP one): the registry knows connections only as BrokerConnection. */
export type ConnectionFactory = (profile: BrokerProfile, options: ConnectionOptions) => BrokerConnection;

export type RegistryChange =
  | { readonly type: 'added' | 'removed' | 'updated'; readonly connection: BrokerConnection }
  | { readonly type: 'state'; readonly connection: BrokerConnection; readonly state: ConnectionState }
  | { readonly type: 'warning'; readonly connection: BrokerConnection; readonly warning: string | undefined };

/** All configured brokers and their live connections. The trees render this. */
export class BrokerRegistry {
  private readonly connections = new Map<string, BrokerConnection>();
  private readonly subscriptions = new Map<string, Disposable>();
  private readonly changeEmitter = new Emitter<RegistryChange>();
  readonly onDidChange: Event<RegistryChange> = this.changeEmitter.event;
  /** Workspace brokers of each folder, as `.vscode/brokers.json` last gave them. */
  private readonly workspaceProfiles = new Map<string, Map<string, BrokerProfile>>();
  private readonly secrets: BrokerSecrets;
  private readonly pins: WorkspacePins | undefined;

  constructor(
    private readonly store: ProfileStore,
    secrets: SecretStore,
    private readonly createConnection: ConnectionFactory,
    private readonly options: RegistryOptions = {},
  ) {
    this.secrets = new BrokerSecrets(secrets);
    this.pins = options.workspacePins ? new WorkspacePins(options.workspacePins) : undefined;
    for (const profile of store.load()) {
      if (isWorkspaceProfile(profile)) {
        continue; // never saved; an older build may have
      }
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
      throw new Error(l10n.t('A broker with id {0} already exists', profile.id));
    }
    await this.secrets.storeNew(profile, password, others);
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
    if (isWorkspaceProfile(connection.profile)) {
      throw new Error(l10n.t('"{0}" is defined in .vscode/brokers.json: edit that file to remove it', connection.profile.name));
    }
    this.connections.delete(id);
    this.subscriptions.get(id)?.dispose();
    this.subscriptions.delete(id);
    await connection.dispose();
    await this.secrets.forgetAll(id);
    await this.persist();
    this.changeEmitter.fire({ type: 'removed', connection });
  }

  /**
   * Replaces a broker's settings (a new connection object with the same id). It connects again
   * with the new settings unless the user had disconnected it: a broker that was connecting,
   * connected, reconnecting or failed (the usual reason to edit it). `secrets` sets (string) or
   * clears (empty string) password / passphrase.
   */
  async update(profile: BrokerProfile, secrets: { password?: string } & OtherSecrets = {}): Promise<BrokerConnection> {
    const old = this.require(profile.id);
    const wasActive = old.state.kind !== 'disconnected';
    this.subscriptions.get(profile.id)?.dispose();
    await old.dispose();
    await this.secrets.change(profile, secrets);
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
  async hasSecret(id: string, name: 'password' | 'passphrase' | 'managementPassword' | 'proxyPassword'): Promise<boolean> {
    return this.secrets.has(id, name);
  }

  /**
   * Connects and remembers to connect again next session. Never rejects for network errors.
   * A workspace broker with a username and no saved password asks for it first (once: it is
   * kept in the secret store); when the user cancels, it stays as it was.
   */
  async connect(id: string): Promise<ConnectionState> {
    const connection = this.require(id);
    if (!(await this.secrets.ensurePassword(connection))) {
      return connection.state;
    }
    await this.setAutoConnect(connection, true);
    return connection.connect();
  }

  /** Installs the password prompt for workspace brokers (the extension shows an input box). */
  setPasswordPrompt(prompt: PasswordPrompt | undefined): Disposable {
    return this.secrets.setPrompt(prompt);
  }

  /** Saves (or, with an empty string, forgets) a broker's password without reconnecting. */
  /** Saves (or, with '', forgets) a broker's other secret, e.g. a workspace broker's proxy password. */
  async storeSecret(id: string, name: 'passphrase' | 'managementPassword' | 'proxyPassword', value: string): Promise<void> {
    await this.secrets.storeSecret(this.require(id).profile, name, value);
  }

  async storePassword(id: string, password: string): Promise<void> {
    const connection = this.require(id);
    await this.secrets.storePassword(connection.profile, password);
  }

  /** What the profile store holds: the user's own brokers, never workspace ones. */
  savedProfiles(): readonly BrokerProfile[] {
    return this.store.load();
  }

  /**
   * Sets the brokers `.vscode/brokers.json` defines for one workspace folder (`[]` removes them).
   * An unchanged broker keeps its connection; a changed one gets a new connection (connected
   * again if it was active); each fires the usual change. They are never saved to the profile store.
   */
  setWorkspaceProfiles(folderKey: string, profiles: readonly BrokerProfile[]): void {
    const previous = this.workspaceProfiles.get(folderKey) ?? new Map<string, BrokerProfile>();
    const next = new Map<string, BrokerProfile>();
    for (const entry of profiles) {
      // A certificate the user trusted for this entry, from our own storage (while the entry points where it did).
      const profile = this.pins ? this.pins.apply(entry) : entry;
      if (this.pins?.isStale(entry) && (!previous.has(entry.id) || previous.get(entry.id)?.tls?.pinned)) {
        this.options.log?.warn(`Workspace broker "${entry.name}": the certificate trusted for it is not used, its entry in brokers.json points elsewhere now`);
      }
      const owned = previous.has(profile.id);
      if (next.has(profile.id) || (!owned && this.connections.has(profile.id)) || !isWorkspaceProfile(profile)) {
        this.options.log?.warn(`Workspace broker "${profile.name}" (${profile.id}) is skipped: its id is taken or it is not a workspace profile`);
        continue;
      }
      next.set(profile.id, profile);
    }
    for (const [id] of previous) {
      if (next.has(id)) {
        continue;
      }
      const connection = this.connections.get(id);
      if (connection) {
        this.detach(id);
        void connection.dispose();
        // The password stays: the same folder and name give the same id when the file comes back.
        this.changeEmitter.fire({ type: 'removed', connection });
      }
    }
    for (const [id, profile] of next) {
      const before = previous.get(id);
      const old = this.connections.get(id);
      if (before && old && sameProfile(before, profile)) {
        continue;
      }
      if (old) {
        // A failed broker whose entry changed is tried again: the change may be the fix.
        const wasActive = old.state.kind !== 'disconnected';
        // A stored password follows the broker's name: when the file now points it somewhere else
        // (a pulled change), forget it and ask again rather than send it to the new endpoint.
        const moved = before !== undefined && endpointOf(before) !== endpointOf(profile);
        if (moved) {
          void this.secrets.forgetPassword(id).catch(() => undefined);
        }
        this.detach(id);
        void old.dispose();
        const connection = this.attach(profile);
        this.changeEmitter.fire({ type: 'updated', connection });
        if (wasActive && !moved) {
          void this.connect(id).catch(() => undefined);
        }
      } else {
        const connection = this.attach(profile);
        this.changeEmitter.fire({ type: 'added', connection });
      }
    }
    if (next.size) {
      this.workspaceProfiles.set(folderKey, next);
    } else {
      this.workspaceProfiles.delete(folderKey);
    }
  }

  /**
   * Trust This Certificate for a broker of brokers.json (`undefined`: stop trusting it): the pin
   * is kept in our own storage, bound to the entry's endpoint, and the file is left alone. The
   * broker gets a new connection with it; its saved secrets follow only if they were valid.
   */
  async pinWorkspaceCertificate(id: string, pin: PinnedCertificate | undefined): Promise<BrokerConnection> {
    const old = this.require(id);
    if (!isWorkspaceProfile(old.profile) || !this.pins) {
      throw new Error(l10n.t('"{0}" is not a broker of .vscode/brokers.json', old.profile.name));
    }
    // From the entry as its file has it: the connection's own copy also holds what this session
    // changed (autoConnect once connected), which would make the next reload of an unchanged
    // brokers.json look like an edit and reconnect the broker.
    const entry = [...this.workspaceProfiles.values()].find((folder) => folder.has(id))?.get(id) ?? old.profile;
    const profile = await this.pins.trust(entry, pin);
    await this.secrets.rebind(old.profile, profile);
    for (const folder of this.workspaceProfiles.values()) {
      if (folder.has(id)) {
        folder.set(id, profile);
      }
    }
    this.detach(id);
    await old.dispose();
    const connection = this.attach(profile);
    this.changeEmitter.fire({ type: 'updated', connection });
    return connection;
  }

  /** True when a certificate trusted for this workspace broker is kept but no longer used: its entry points elsewhere now. */
  workspacePinIsStale(id: string): boolean {
    const profile = this.connections.get(id)?.profile;
    return profile !== undefined && this.pins !== undefined && this.pins.isStale(profile);
  }

  /** Ids of the workspace brokers a folder defines (all folders without a key). */
  workspaceIds(folderKey?: string): string[] {
    const maps = folderKey === undefined ? [...this.workspaceProfiles.values()] : [this.workspaceProfiles.get(folderKey) ?? new Map<string, BrokerProfile>()];
    return maps.flatMap((m) => [...m.keys()]).filter((id) => this.connections.has(id));
  }

  async disconnect(id: string): Promise<void> {
    const connection = this.require(id);
    await this.setAutoConnect(connection, false);
    await connection.disconnect();
  }

  async dispose(): Promise<void> {
    this.workspaceProfiles.clear();
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
      throw new Error(l10n.t('No broker with id {0}', id));
    }
    return connection;
  }

  private async setAutoConnect(connection: BrokerConnection, autoConnect: boolean): Promise<void> {
    if (Boolean(connection.profile.autoConnect) !== autoConnect) {
      connection.profile = { ...connection.profile, autoConnect };
      if (!isWorkspaceProfile(connection.profile)) {
        await this.persist(); // a workspace broker's autoConnect comes from its brokers.json
      }
    }
  }

  private detach(id: string): void {
    this.connections.delete(id);
    this.subscriptions.get(id)?.dispose();
    this.subscriptions.delete(id);
  }

  private attach(profile: BrokerProfile): BrokerConnection {
    const current = (): BrokerProfile => this.connections.get(profile.id)?.profile ?? profile;
    const options: ConnectionOptions = {
      log: this.options.log,
      connectTimeoutMs: this.options.connectTimeoutMs,
      defaultCaFile: this.options.defaultCaFile,
      // Read at each attempt for the profile the connection has then, bound to its endpoint.
      getPassword: () => this.secrets.password(current()),
      getSecret: (name: string) => this.secrets.secret(current(), name),
    };
    const connection = this.createConnection(profile, options);
    this.connections.set(profile.id, connection);
    const stateSub = connection.onDidChangeState((state) => this.changeEmitter.fire({ type: 'state', connection, state }));
    const warningSub = connection.onDidChangeWarning((warning) => this.changeEmitter.fire({ type: 'warning', connection, warning }));
    this.subscriptions.set(profile.id, { dispose: () => (stateSub.dispose(), warningSub.dispose()) });
    return connection;
  }

  /** Saves the user's own brokers; workspace brokers live in their folder's brokers.json only. */
  private persist(): Promise<void> {
    return this.store.save(
      this.list()
        .map((c) => c.profile)
        .filter((p) => !isWorkspaceProfile(p)),
    );
  }
}

/** Same settings (key order aside): a reload of an unchanged brokers.json keeps the connection. */
function sameProfile(a: BrokerProfile, b: BrokerProfile): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(',')}]`;
  }
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
