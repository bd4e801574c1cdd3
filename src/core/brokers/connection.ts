import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { describeError, type Endpoint, type FailureCause } from './errors';
import { Emitter, type Event } from './events';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { ConnectionOptions as TlsConnectionOptions, TLSSocket } from 'node:tls';
import { CERTIFICATE_CODES, describeCertificateProblem, expiryWarning, probeCertificate, type CertificateProbe, type CertificateProblemKind } from './certificates';
import { endpointsOf, formatEndpoint, usesTls, type BrokerProfile, type ClusterEndpoint } from './profile';
import { readTlsOptions, withDefaultCa, type TlsSocketOptions } from './tlsFiles';
import { parseProxy, proxyName } from './proxy';
import { openSocket, ProxyError, startTls, type SocketRoute, type Target } from './proxyTunnel';
import type { ConnectionState } from './state';
import * as l10n from '@vscode/l10n';

export interface ConnectionLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  trace(message: string): void;
}

export const silentLog: ConnectionLog = { info() {}, warn() {}, error() {}, trace() {} };

export interface ConnectionOptions {
  /** Reads the password from secret storage when a connection is made; never kept here. */
  readonly getPassword?: () => Promise<string | undefined>;
  /** Reads another secret of this broker (e.g. 'passphrase' of a TLS key) from secret storage. */
  readonly getSecret?: (name: string) => Promise<string | undefined>;
  /** A number, or a function read at each attempt so a settings change applies at once. */
  readonly connectTimeoutMs?: number | (() => number);
  /** CA file trusted by TLS connections whose profile names none; read at each attempt. */
  readonly defaultCaFile?: () => string | undefined;
  readonly backoff?: BackoffOptions;
  readonly log?: ConnectionLog;
}

/** Called by `open`'s connection when it drops by itself; `retry` false ends in `failed` (with `cause`, if known). */
export type LostCallback = (reason: string, retry?: boolean, cause?: FailureCause) => void;

/** A connection lost within this time after connecting counts as a quick drop. */
const QUICK_DROP_MS = 5000;
const QUICK_DROPS_LIMIT = 3;

/** True for a failure that says something about the node itself (its certificate, a refusal), not that it could not be reached. */
function isAboutTheNode(err: unknown): boolean {
  if (err instanceof ConnectError) {
    return err.failureCause !== undefined || !err.retryable || (typeof err.code === 'string' && CERTIFICATE_CODES.has(err.code));
  }
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && CERTIFICATE_CODES.has(code);
}

/** A failure already put in plain words; `retryable` false stops reconnecting (bad credentials). */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly retryable = true,
    /** The library's error code (an MQTT CONNACK code, an errno string), when there was one. */
    readonly code?: unknown,
    /** Set when the fix is a setting of the broker (credentials, client id, vhost). */
    readonly failureCause?: FailureCause,
  ) {
    super(message);
    this.name = 'ConnectError';
  }
}

/**
 * Base of MQTT and AMQP connections: a state machine with events. The tree only renders
 * `state`; commands call `connect()` / `disconnect()`. Neither ever rejects for a network
 * problem: failures become the `failed` state with a reason in plain words.
 *
 * The first attempt that fails ends in `failed`, so a typo never loops silently. When an
 * established connection drops, it reconnects with jittered exponential backoff (1 s → 30 s)
 * until it succeeds, the credentials are refused, or the user disconnects.
 */
export abstract class BrokerConnection<P extends BrokerProfile = BrokerProfile> {
  private readonly stateEmitter = new Emitter<ConnectionState>();
  readonly onDidChangeState: Event<ConnectionState> = this.stateEmitter.event;
  private currentState: ConnectionState = { kind: 'disconnected' };
  private pending: Promise<ConnectionState> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  /** Bumped by every connect/disconnect so stale attempts cannot change the state. */
  private generation = 0;
  /** Drops that came right after a successful connect, in a row. */
  private quickDrops = 0;
  private connectedAt = 0;
  /** True from the loss of an established connection until it is back, given up or closed. */
  private reconnecting = false;
  /** The cluster endpoint being tried or in use; undefined means the profile's host:port. */
  private targetEndpoint: ClusterEndpoint | undefined;
  /** The endpoint of the last established connection, to tell a failover from a reconnect. */
  private lastConnected: string | undefined;
  /** Other endpoints that failed in the same attempt, named beside the reason shown. */
  private alsoTried: string[] = [];
  protected readonly log: ConnectionLog;

  protected constructor(
    public profile: P,
    protected readonly options: ConnectionOptions,
  ) {
    this.log = options.log ?? silentLog;
  }

  get id(): string {
    return this.profile.id;
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  private warningText: string | undefined;
  private readonly warningEmitter = new Emitter<string | undefined>();
  /** Fires when the connection's warning (see `warning`) appears, changes or clears. */
  readonly onDidChangeWarning: Event<string | undefined> = this.warningEmitter.event;

  /**
   * Something wrong with a working connection, in plain words: a refused subscription, RabbitMQ
   * blocking publishers. Shown on the broker's node; cleared when the connection closes.
   */
  get warning(): string | undefined {
    return this.warningText;
  }

  protected setWarning(text: string | undefined): void {
    if (this.warningText !== text) {
      this.warningText = text;
      if (text) {
        this.log.warn(`${this.protocolName} "${this.profile.name}": ${text}`);
      }
      this.warningEmitter.fire(text);
    }
  }

  /** An established connection was lost and is being re-established (reconnecting or connecting again). */
  get isReconnecting(): boolean {
    return this.reconnecting;
  }

  protected abstract readonly protocolName: Endpoint['protocol'];

  /**
   * What the server presents on this broker's port, checked with the CA and client certificate
   * a connection uses; the probe sends nothing (no CONNECT, no password). Rejects in words when
   * nothing answers TLS there.
   */
  async probeServerCertificate(timeoutMs = 5000): Promise<CertificateProbe> {
    // Through the connection's proxy when it has one: the broker may be reachable no other way.
    const route = await this.socketRoute();
    const via = route?.kind === 'proxy' ? await openSocket(route, this.target, timeoutMs) : undefined;
    return probeCertificate(this.target.host, this.target.port, await this.readTls(), timeoutMs, via);
  }

  /** The TLS options of a connection to this broker: its files (or the default CA) read now, the key's passphrase from secrets. */
  protected async readTls(): Promise<TlsSocketOptions> {
    return readTlsOptions(withDefaultCa(this.profile.tls, this.options.defaultCaFile?.()), await this.options.getSecret?.('passphrase'));
  }

  /** The TLS socket of the open connection, for its peer certificate (MQTT and AMQP say where it is). */
  protected tlsSocket(): TLSSocket | undefined {
    return undefined;
  }

  private async certificateExpiry(): Promise<string | undefined> {
    try {
      const socket = this.tlsSocket();
      const peer = socket ? socket.getPeerCertificate() : undefined;
      const server = peer?.valid_to ? new Date(peer.valid_to) : undefined;
      // The certificate the socket sent (a PEM pair or PKCS#12 alike), else the profile's PEM file.
      const local = socket?.getCertificate() as { valid_to?: string } | null | undefined;
      const clientFile = this.profile.tls?.certFile;
      const client = local?.valid_to ? new Date(local.valid_to) : clientFile ? new Date(new X509Certificate(await readFile(clientFile)).validTo) : undefined;
      return expiryWarning(server, client);
    } catch {
      return undefined;
    }
  }

  /** The refused certificate's case in one sentence and its kind, or undefined if the probe fails too. */
  private async explainCertificate(): Promise<{ readonly text: string; readonly kind: CertificateProblemKind } | undefined> {
    try {
      const probe = await this.probeServerCertificate();
      return probe.problem ? { text: describeCertificateProblem(probe.problem), kind: probe.problem.kind } : undefined;
    } catch {
      return undefined;
    }
  }

  /** The endpoint connected to, or being tried: host:port of the profile, or another node of its cluster. */
  protected get target(): ClusterEndpoint {
    return this.targetEndpoint ?? { host: this.profile.host, port: this.profile.port };
  }

  /** host:port of the node in use (or being tried), e.g. "node2:1883". */
  get currentEndpoint(): string {
    return this.where;
  }

  /**
   * How this connection's sockets reach the broker when the profile says so: directly ("none")
   * or through its proxy (with the proxy password from secrets). Undefined for "system" (the
   * default): the libraries connect as VS Code's host lets them. A bad proxy text is a final error.
   */
  protected async socketRoute(): Promise<SocketRoute | undefined> {
    const parsed = parseProxy(this.profile.proxy);
    if (parsed.error !== undefined) {
      throw new ConnectError(l10n.t('Bad proxy setting: {0}', parsed.error), false);
    }
    const route = parsed.route;
    if (route.kind === 'system') {
      return undefined;
    }
    if (route.kind === 'none') {
      return { kind: 'direct' };
    }
    return { kind: 'proxy', server: route, password: route.username ? await this.options.getSecret?.('proxyPassword') : undefined };
  }

  /** "through the SOCKS5 proxy 10.0.0.5:1080" / "directly (no proxy)", for the log. */
  protected routeText(route: SocketRoute): string {
    return route.kind === 'direct' ? 'directly (proxy: none)' : `through ${proxyName(route.server)}`;
  }

  /**
   * A socket to `target` (default: the endpoint being tried) along `route`, then TLS over it with
   * `tls` when given (the broker's name checked, a pin's check run). Failures are ConnectErrors in
   * plain words: the proxy's own (naming proxy and broker), or the broker's as without a proxy.
   */
  protected async openRouted(route: SocketRoute, timeoutMs: number, tls?: TlsConnectionOptions, target: Target = this.target): Promise<Socket> {
    const endpoint: Endpoint = { ...target, protocol: this.protocolName };
    let socket: Socket;
    try {
      socket = await openSocket(route, target, timeoutMs);
    } catch (err) {
      throw err instanceof ProxyError ? new ConnectError(err.message, err.retryable, err.failure.kind) : new ConnectError(describeError(err, endpoint), true, (err as { code?: unknown }).code);
    }
    if (!tls) {
      return socket;
    }
    try {
      return await startTls(socket, tls, target.host, timeoutMs);
    } catch (err) {
      socket.destroy();
      const code = (err as { code?: unknown }).code;
      throw new ConnectError(describeError(err, endpoint), true, code, typeof code === 'string' && CERTIFICATE_CODES.has(code) ? 'certificate' : undefined);
    }
  }

  protected get endpoint(): Endpoint {
    return { host: this.target.host, port: this.target.port, protocol: this.protocolName };
  }

  protected get where(): string {
    return formatEndpoint(this.target.host, this.target.port);
  }

  /**
   * Opens the transport. Resolves when connected; rejects with a ConnectError (or any error,
   * which is described in plain words). `onLost` is called at most once if the open
   * connection later drops by itself; `retry` false means reconnecting cannot help (the state
   * becomes `failed` with the reason).
   */
  protected abstract open(password: string | undefined, timeoutMs: number, onLost: LostCallback): Promise<void>;

  /** Closes whatever `open` made. Never rejects. */
  protected abstract close(): Promise<void>;

  /** The reason shown when the broker keeps closing fresh connections. */
  protected repeatedDropsReason(): string {
    return l10n.t('The broker closed the connection right after connecting {0} times in a row', QUICK_DROPS_LIMIT);
  }

  /** What the fix of repeated drops is, when the protocol knows (MQTT: the client id). */
  protected repeatedDropsCause(): FailureCause | undefined {
    return undefined;
  }

  private setState(state: ConnectionState): void {
    if (state.kind !== 'connected' && state.kind !== 'connecting') {
      this.setWarning(undefined);
    }
    this.currentState = state;
    this.log.trace(`[${this.profile.name}] state → ${state.kind}`);
    this.stateEmitter.fire(state);
  }

  /** Resolves once connected or failed (or at once, with its state, while reconnecting by itself). */
  connect(): Promise<ConnectionState> {
    if (this.currentState.kind === 'connected') {
      return Promise.resolve(this.currentState);
    }
    if (this.pending) {
      return this.pending;
    }
    // A connection coming back by itself keeps its backoff: a feature asking to connect now
    // (an inspector, a message file) must not turn one failed attempt into `failed`.
    if (this.reconnecting) {
      return Promise.resolve(this.currentState);
    }
    this.clearReconnect();
    this.attempt = 0;
    this.quickDrops = 0;
    const generation = ++this.generation;
    this.pending = this.attemptConnect(generation, false).finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async attemptConnect(generation: number, isReconnect: boolean): Promise<ConnectionState> {
    this.attempt++;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    const t = this.options.connectTimeoutMs;
    const timeoutMs = (typeof t === 'function' ? t() : t) ?? 10_000;
    this.log.info(`Connecting to ${this.protocolName} broker "${this.profile.name}" at ${this.where}${isReconnect ? ` (attempt ${this.attempt})` : ''}`);
    let lostReported = false;
    const onLost: LostCallback = (reason, retry = true, cause) => {
      if (lostReported || generation !== this.generation) {
        return;
      }
      lostReported = true;
      this.log.warn(`Lost the connection to "${this.profile.name}" (${this.where}): ${reason}`);
      void this.close();
      if (!retry) {
        this.generation++;
        this.reconnecting = false;
        this.setState({ kind: 'failed', reason, cause, lost: true });
        return;
      }
      // A broker that keeps closing a fresh connection is usually handing our client id to
      // another client that uses the same one: say so instead of looping.
      this.quickDrops = Date.now() - this.connectedAt < QUICK_DROP_MS ? this.quickDrops + 1 : 0;
      if (this.quickDrops >= QUICK_DROPS_LIMIT) {
        this.quickDrops = 0;
        const message = this.repeatedDropsReason();
        this.log.error(`${this.protocolName} "${this.profile.name}" (${this.where}): ${message}`);
        this.generation++;
        this.reconnecting = false;
        this.setState({ kind: 'failed', reason: message, cause: this.repeatedDropsCause(), lost: true });
        return;
      }
      this.reconnecting = true;
      this.scheduleReconnect(generation, reason);
    };
    try {
      const password = await this.options.getPassword?.();
      await this.openFirstAnswering(generation, password, timeoutMs, onLost);
    } catch (err) {
      await this.close();
      if (generation !== this.generation) {
        return this.currentState;
      }
      let reason = err instanceof ConnectError ? err.message : describeError(err, this.endpoint);
      let cause = err instanceof ConnectError ? err.failureCause : undefined;
      let certificate: CertificateProblemKind | undefined;
      const code = err instanceof ConnectError ? err.code : (err as { code?: unknown } | undefined)?.code;
      if (typeof code === 'string' && CERTIFICATE_CODES.has(code) && usesTls(this.profile)) {
        // The library only gives a code: look at what the server presents to name the case.
        const explained = await this.explainCertificate();
        reason = explained?.text ?? reason;
        certificate = explained?.kind;
        cause = 'certificate';
        if (generation !== this.generation) {
          return this.currentState;
        }
      }
      if (this.alsoTried.length) {
        reason = l10n.t('{0} (also tried {1})', reason, this.alsoTried.join(', '));
      }
      const retryable = !(err instanceof ConnectError) || err.retryable;
      // A broker that refused a connection in between was down, not handing our session away.
      this.quickDrops = 0;
      if (isReconnect && retryable) {
        this.log.warn(`${this.protocolName} "${this.profile.name}": ${reason}`);
        this.scheduleReconnect(generation, reason);
        return this.currentState;
      }
      this.log.error(`${this.protocolName} "${this.profile.name}" (${this.where}): ${reason}`);
      const lost = this.reconnecting;
      this.reconnecting = false;
      this.setState({ kind: 'failed', reason, cause, ...(lost ? { lost } : {}), ...(certificate ? { certificate } : {}) });
      return this.currentState;
    }
    if (generation !== this.generation) {
      await this.close();
      return this.currentState;
    }
    this.attempt = 0;
    this.reconnecting = false;
    this.connectedAt = Date.now();
    const cluster = endpointsOf(this.profile).length > 1;
    const failover = cluster && this.lastConnected !== undefined && this.lastConnected !== this.where;
    if (failover) {
      this.log.warn(`${this.protocolName} "${this.profile.name}": failover — reconnected to ${this.where} (was ${this.lastConnected})`);
    } else {
      this.log.info(`Connected to "${this.profile.name}" (${this.where})`);
    }
    this.lastConnected = this.where;
    // A certificate that ends within two weeks is said while there is time to renew it.
    const expiring = usesTls(this.profile) && !this.warningText ? await this.certificateExpiry() : undefined;
    if (expiring && generation === this.generation) {
      this.setWarning(expiring);
    }
    this.setState({ kind: 'connected', since: Date.now(), ...(cluster ? { endpoint: this.where, ...(failover ? { failover: true } : {}) } : {}) });
    return this.currentState;
  }

  /**
   * Opens the first endpoint that answers, in the profile's order (one endpoint: just that one).
   * A refusal no other node would change (credentials, a vhost) ends the round at once. When all
   * fail, the error kept is the first that is not about reaching the node (a certificate, a
   * refusal), else the last; the others are named beside it.
   */
  private async openFirstAnswering(generation: number, password: string | undefined, timeoutMs: number, onLost: LostCallback): Promise<void> {
    const endpoints = endpointsOf(this.profile);
    const failures: { readonly endpoint: ClusterEndpoint; readonly err: unknown }[] = [];
    this.alsoTried = [];
    for (const [i, endpoint] of endpoints.entries()) {
      this.targetEndpoint = i === 0 ? undefined : endpoint;
      try {
        await this.open(password, timeoutMs, onLost);
        return;
      } catch (err) {
        failures.push({ endpoint, err });
        const final = err instanceof ConnectError && !err.retryable;
        if (final || i === endpoints.length - 1 || generation !== this.generation) {
          break;
        }
        const reason = err instanceof ConnectError ? err.message : describeError(err, this.endpoint);
        const next = endpoints[i + 1] as ClusterEndpoint;
        this.log.warn(`${this.protocolName} "${this.profile.name}": ${this.where} failed (${reason}); trying ${formatEndpoint(next.host, next.port)}`);
        await this.close();
      }
    }
    const kept = failures.find((f) => isAboutTheNode(f.err)) ?? failures[failures.length - 1];
    if (!kept) {
      throw new ConnectError(l10n.t('This broker has no endpoint to connect to'));
    }
    this.targetEndpoint = kept.endpoint === endpoints[0] ? undefined : kept.endpoint;
    this.alsoTried = failures.filter((f) => f !== kept).map((f) => formatEndpoint(f.endpoint.host, f.endpoint.port));
    throw kept.err;
  }

  private scheduleReconnect(generation: number, reason: string): void {
    this.clearReconnect();
    const delay = backoffDelay(Math.max(1, this.attempt), this.options.backoff ?? DEFAULT_BACKOFF);
    this.setState({ kind: 'reconnecting', attempt: this.attempt + 1, at: Date.now() + delay, reason });
    this.log.info(`Reconnecting to "${this.profile.name}" in ${(delay / 1000).toFixed(1)} s`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (generation === this.generation) {
        void this.attemptConnect(generation, true);
      }
    }, delay);
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = undefined;
    }
  }

  /** Closes the connection and stops any reconnect. Safe to call in any state. */
  async disconnect(): Promise<void> {
    this.generation++;
    this.reconnecting = false;
    this.clearReconnect();
    const wasOpen = this.currentState.kind !== 'disconnected' && this.currentState.kind !== 'failed';
    await this.close();
    if (wasOpen) {
      this.log.info(`Disconnected from "${this.profile.name}"`);
    }
    if (this.currentState.kind !== 'disconnected') {
      this.setState({ kind: 'disconnected' });
    }
  }

  /** Waits until the state satisfies `predicate`, or rejects after `timeoutMs`. */
  waitFor(predicate: (s: ConnectionState) => boolean, timeoutMs = 10_000): Promise<ConnectionState> {
    if (predicate(this.currentState)) {
      return Promise.resolve(this.currentState);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a state; the last was ${this.currentState.kind}`));
      }, timeoutMs);
      const sub = this.onDidChangeState((s) => {
        if (predicate(s)) {
          clearTimeout(timer);
          sub.dispose();
          resolve(s);
        }
      });
    });
  }

  async dispose(): Promise<void> {
    await this.disconnect();
    this.stateEmitter.dispose();
    this.warningEmitter.dispose();
  }
}
