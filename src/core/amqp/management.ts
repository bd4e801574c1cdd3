/**
 * RabbitMQ's management HTTP API (plugin rabbitmq_management, port 15672): AMQP 0-9-1 itself
 * cannot list exchanges, queues or bindings. Uses Node's fetch; no vscode.
 */
import * as l10n from '@vscode/l10n';
import { ProxyError } from '../brokers/proxyTunnel';

export interface ExchangeInfo {
  /** True when known only from a passive check by name (no management API). */
  readonly passive?: boolean;
  readonly name: string;
  readonly vhost: string;
  readonly type: string;
  readonly durable: boolean;
  readonly auto_delete: boolean;
  readonly internal: boolean;
  readonly arguments: Readonly<Record<string, unknown>>;
}

export interface QueueInfo {
  /** True when known only from a passive check by name (no management API). */
  readonly passive?: boolean;
  readonly name: string;
  readonly vhost: string;
  readonly durable: boolean;
  readonly auto_delete: boolean;
  readonly exclusive: boolean;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly type?: string;
  readonly messages_ready?: number;
  readonly messages_unacknowledged?: number;
  readonly messages?: number;
  readonly consumers?: number;
  readonly state?: string;
  readonly message_stats?: { readonly publish_details?: { readonly rate: number }; readonly deliver_get_details?: { readonly rate: number } };
}

export interface BindingInfo {
  readonly source: string;
  readonly vhost: string;
  readonly destination: string;
  readonly destination_type: 'queue' | 'exchange';
  readonly routing_key: string;
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly properties_key: string;
}

export interface PeekedMessage {
  readonly payload: string;
  readonly payload_encoding: 'string' | 'base64';
  readonly payload_bytes: number;
  readonly redelivered: boolean;
  readonly exchange: string;
  readonly routing_key: string;
  readonly message_count: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface PublishRequest {
  readonly routingKey: string;
  readonly payload: Uint8Array;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** An HTTP failure already put in plain words (status 0: the API could not be reached). */
export class ManagementError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ManagementError';
  }
}

/** The command stays as is (it is typed in a shell); the words around it are localized. */
export const enableManagementHint = (): string => l10n.t('enable it on the broker with: {0}', 'rabbitmq-plugins enable rabbitmq_management');

const enc = encodeURIComponent;

/** The most of one management API answer that is read (listings, peeked messages): 32 MB. */
export const RESPONSE_LIMIT = 32 * 1024 * 1024;
/** An error answer is read for its reason only. */
const ERROR_BODY_LIMIT = 64 * 1024;

/**
 * A response body as text, read as a stream and stopped past `limit` bytes (the reader is
 * cancelled, the rest never arrives); `tooLarge` says so, by default the text is cut.
 */
export async function readCapped(response: Response, limit: number, tooLarge?: () => never): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) {
    return '';
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const next = (await reader.read()) as { readonly done: boolean; readonly value?: Uint8Array };
    const value = next.value;
    if (next.done || !value) {
      break;
    }
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      if (tooLarge) {
        tooLarge();
      }
      chunks.push(value.subarray(0, value.length - (total - limit)));
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const QUEUE_COLUMNS = [
  'name',
  'vhost',
  'durable',
  'auto_delete',
  'exclusive',
  'arguments',
  'type',
  'state',
  'messages',
  'messages_ready',
  'messages_unacknowledged',
  'consumers',
  'message_stats.publish_details.rate',
  'message_stats.deliver_get_details.rate',
].join(',');

export class ManagementClient {
  private readonly auth: string;

  constructor(
    readonly baseUrl: string,
    username: string,
    password: string,
    private readonly timeoutMs = 10_000,
    /** fetch, or one whose sockets go the connection's own way (its proxy setting: proxyTunnel.ts). */
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {
    this.auth = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}/api${path}`;
    let response: Response;
    try {
      response = await this.fetcher(url, {
        method,
        headers: { authorization: this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // Through a proxy: its own plain words (it could not be reached, refused us or the broker).
      if (err instanceof ProxyError) {
        throw new ManagementError(l10n.t('The RabbitMQ management API at {0} is not reachable: {1}', this.baseUrl, err.message), 0);
      }
      const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as { name?: string }).name;
      const why = cause === 'ECONNREFUSED' ? l10n.t('nothing is listening there') : cause === 'TimeoutError' ? l10n.t('no answer') : String(cause ?? err);
      throw new ManagementError(l10n.t('The RabbitMQ management API at {0} is not reachable ({1}) — {2}', this.baseUrl, why, enableManagementHint()), 0);
    }
    if (!response.ok) {
      let reason = '';
      try {
        const j = JSON.parse(await readCapped(response, ERROR_BODY_LIMIT)) as { reason?: string; error?: string };
        reason = j.reason ?? j.error ?? '';
      } catch {
        // not JSON
      }
      const what =
        response.status === 401
          ? l10n.t('Not authorized: the management API refused the username or password')
          : response.status === 404
            ? reason
              ? l10n.t('Not found: {0}', reason)
              : l10n.t('Not found')
            : reason
              ? l10n.t('The management API answered {0}: {1}', response.status, reason)
              : l10n.t('The management API answered {0}', response.status);
      throw new ManagementError(what, response.status);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await readCapped(response, RESPONSE_LIMIT, () => {
      throw new ManagementError(l10n.t('The management API at {0} answered with more than {1} MB for {2}: not read', this.baseUrl, String(RESPONSE_LIMIT / 1024 / 1024), path), response.status);
    });
    return (text ? JSON.parse(text) : undefined) as T;
  }

  overview(): Promise<{ rabbitmq_version?: string; cluster_name?: string; management_version?: string }> {
    return this.request('GET', '/overview');
  }
  async vhosts(): Promise<string[]> {
    return (await this.request<{ name: string }[]>('GET', '/vhosts')).map((v) => v.name);
  }
  exchanges(vhost: string): Promise<ExchangeInfo[]> {
    return this.request('GET', `/exchanges/${enc(vhost)}`);
  }
  /**
   * The first `pageSize` queues by name (RabbitMQ pages at most 500), only the columns the tree
   * shows, and how many there are in all: at thousands of queues the full listing is slow.
   */
  async queues(vhost: string, pageSize = 500, nameRegex?: string): Promise<{ items: QueueInfo[]; total: number; matching: number }> {
    const filter = nameRegex ? `&name=${enc(nameRegex)}&use_regex=true` : '';
    const page = await this.request<{ items: QueueInfo[]; total_count: number; filtered_count: number }>(
      'GET',
      `/queues/${enc(vhost)}?page=1&page_size=${Math.min(500, Math.max(1, pageSize))}&sort=name&columns=${QUEUE_COLUMNS}${filter}`,
    );
    return { items: page.items, total: page.total_count, matching: page.filtered_count };
  }
  bindings(vhost: string): Promise<BindingInfo[]> {
    return this.request('GET', `/bindings/${enc(vhost)}`);
  }
  /** Bindings from one exchange; an exchange deleted since it was listed has none. */
  async sourceBindings(vhost: string, exchange: string): Promise<BindingInfo[]> {
    try {
      return await this.request('GET', `/exchanges/${enc(vhost)}/${enc(exchange)}/bindings/source`);
    } catch (err) {
      if (err instanceof ManagementError && err.status === 404) {
        return [];
      }
      throw err;
    }
  }
  /** Publishes through the API; `routed` false means no queue got it. */
  async publish(vhost: string, exchange: string, req: PublishRequest): Promise<{ routed: boolean }> {
    return this.request('POST', `/exchanges/${enc(vhost)}/${enc(exchange || 'amq.default')}/publish`, {
      routing_key: req.routingKey,
      payload: Buffer.from(req.payload).toString('base64'),
      payload_encoding: 'base64',
      properties: req.properties ?? {},
    });
  }
  /**
   * Reads up to `count` messages and puts them back (ack_requeue_true): they come back marked
   * redelivered, and quorum queues count it against their delivery limit.
   */
  peek(vhost: string, queue: string, count: number, truncate?: number): Promise<PeekedMessage[]> {
    return this.request('POST', `/queues/${enc(vhost)}/${enc(queue)}/get`, {
      count,
      ackmode: 'ack_requeue_true',
      encoding: 'auto',
      ...(truncate ? { truncate } : {}),
    });
  }
  async purge(vhost: string, queue: string): Promise<void> {
    await this.request('DELETE', `/queues/${enc(vhost)}/${enc(queue)}/contents`);
  }
  async deleteQueue(vhost: string, queue: string, options: { ifEmpty?: boolean; ifUnused?: boolean } = {}): Promise<void> {
    const q = [options.ifEmpty ? 'if-empty=true' : '', options.ifUnused ? 'if-unused=true' : ''].filter(Boolean).join('&');
    await this.request('DELETE', `/queues/${enc(vhost)}/${enc(queue)}${q ? `?${q}` : ''}`);
  }
  async deleteExchange(vhost: string, exchange: string, options: { ifUnused?: boolean } = {}): Promise<void> {
    await this.request('DELETE', `/exchanges/${enc(vhost)}/${enc(exchange)}${options.ifUnused ? '?if-unused=true' : ''}`);
  }
}
