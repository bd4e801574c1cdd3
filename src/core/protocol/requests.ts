/**
 * Requests and their replies over a webview's postMessage, on both sides (the pattern of
 * vscode-hexeditor's MessageHandler). The asking side (`Requester`) gives each request a fresh
 * `id` and resolves with the typed reply that carries it as `inReplyTo`; it rejects when the
 * other side answers with an `error`, with a reply of the wrong type, when no answer comes in time,
 * or when it is disposed; replies nobody waits for any more are ignored. The answering side runs
 * one handler per message type (`dispatch`) and posts a request's reply with its `inReplyTo`.
 * No DOM, no vscode: it takes a post function and an onMessage subscription.
 */
import { isNum, isObject, type ErrorMessage } from './shared';

/** A message that asks for an answer. */
export interface RequestMessage {
  readonly type: string;
  readonly id: number;
}

/** A message that answers one. */
export interface ReplyMessage {
  readonly type: string;
  readonly inReplyTo: number;
}

/** A request as the caller writes it: the requester adds the id. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
/** A reply as a handler returns it: the dispatcher adds `inReplyTo`. */
export type ReplyBody<T> = T extends unknown ? Omit<T, 'inReplyTo'> : never;

/** For each request type, the reply it gets when it succeeds. */
export type ReplyTable<Req extends RequestMessage> = { readonly [K in Req['type']]: ReplyMessage };

/** The same at run time: the type name of each request's reply. */
export type ReplyTypes<Req extends RequestMessage, Replies extends ReplyTable<Req>> = { readonly [K in Req['type']]: Replies[K]['type'] };

export type RequestFailure = 'error' | 'unexpected' | 'timeout' | 'disposed';

/** Why a request did not get its reply; with `error`, the message is the other side's. */
export class RequestError extends Error {
  constructor(
    readonly reason: RequestFailure,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export interface RequestOptions {
  /** Milliseconds to wait for the reply; undefined waits as long as it takes (e.g. for a dialog). */
  readonly timeoutMs?: number;
}

/** Subscribes a listener to what the other side posts; returns how to unsubscribe. */
export type Subscribe = (listener: (message: unknown) => void) => { dispose(): void } | (() => void);

interface Pending {
  readonly expected: string;
  readonly resolve: (reply: ReplyMessage) => void;
  readonly reject: (err: RequestError) => void;
  readonly timer: ReturnType<typeof setTimeout> | undefined;
}

/** The asking side: posts requests and resolves each with its typed reply. */
export class Requester<Req extends RequestMessage, Replies extends ReplyTable<Req>> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly unsubscribe: () => void;
  private disposed = false;

  constructor(
    private readonly post: (message: Req) => void,
    subscribe: Subscribe,
    private readonly replyTypes: ReplyTypes<Req, Replies>,
    private readonly defaults: RequestOptions = {},
  ) {
    const sub = subscribe((m) => this.receive(m));
    this.unsubscribe = typeof sub === 'function' ? sub : () => sub.dispose();
  }

  /** Requests waiting for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Posts the request with a fresh id; resolves with its reply (see the class comment for rejections). */
  request<M extends WithoutId<Req>>(message: M, options: RequestOptions = this.defaults): Promise<Replies[M['type']]> {
    if (this.disposed) {
      return Promise.reject(new RequestError('disposed', `${message.type}: the panel is closed`));
    }
    const id = this.nextId++;
    return new Promise<Replies[M['type']]>((resolve, reject) => {
      const ms = options.timeoutMs;
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(() => {
              this.pending.delete(id);
              reject(new RequestError('timeout', `${message.type}: no answer after ${ms} ms`));
            }, ms);
      const type: Req['type'] = message.type;
      this.pending.set(id, { expected: this.replyTypes[type], resolve: resolve as (reply: ReplyMessage) => void, reject, timer });
      try {
        this.post({ ...message, id } as unknown as Req);
      } catch (err) {
        this.settle(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (p) {
      this.pending.delete(id);
      clearTimeout(p.timer);
    }
    return p;
  }

  private receive(message: unknown): void {
    if (!isObject(message) || !isNum(message.inReplyTo)) {
      return;
    }
    const p = this.settle(message.inReplyTo);
    if (!p) {
      return; // late (timed out) or not ours
    }
    if (message.type === 'error') {
      p.reject(new RequestError('error', String(message.message)));
    } else if (message.type !== p.expected) {
      p.reject(new RequestError('unexpected', `expected ${p.expected}, got ${String(message.type)}`));
    } else {
      p.resolve(message as unknown as ReplyMessage);
    }
  }

  /** Stops listening; every request still waiting is rejected. */
  dispose(): void {
    if (this.disposed) {
      return;
    }
    this.disposed = true;
    this.unsubscribe();
    for (const id of [...this.pending.keys()]) {
      this.settle(id)?.reject(new RequestError('disposed', 'the panel is closed'));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The answering side

/**
 * One handler per message type the other side posts: a request's handler returns its reply
 * (without `inReplyTo`), any other message's returns nothing. A missing type fails to compile.
 */
export type Handlers<Msg extends { readonly type: string }, Replies> = {
  readonly [K in Msg['type']]: (message: Extract<Msg, { readonly type: K }>) => K extends keyof Replies ? Promise<ReplyBody<Replies[K]>> : void | Promise<void>;
};

/** The reply to a request: `body` with the request's id as `inReplyTo`. */
export function replyTo<B extends { readonly type: string }>(request: { readonly id: number }, body: B): B & { readonly inReplyTo: number } {
  return { ...body, inReplyTo: request.id };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The `error` a failed message gets: a reply (with `inReplyTo`) when the message was a request. */
export function errorReply(message: object, err: unknown): ErrorMessage {
  const id = 'id' in message ? message.id : undefined;
  return { type: 'error', message: errorText(err), ...(typeof id === 'number' ? { inReplyTo: id } : {}) };
}

/** Runs the message's handler; a request's reply goes to `post`. A handler's error propagates (answer it with errorReply). */
export async function dispatch<Msg extends { readonly type: string }, Replies>(handlers: Handlers<Msg, Replies>, message: Msg, post: (reply: Replies[keyof Replies]) => void): Promise<void> {
  const handler = (handlers as unknown as Record<string, ((m: Msg) => unknown) | undefined>)[message.type];
  if (!Object.prototype.hasOwnProperty.call(handlers, message.type) || !handler) {
    throw new Error(`No handler for ${message.type}`);
  }
  const body = await handler(message);
  const id = (message as { readonly id?: unknown }).id;
  if (typeof id === 'number' && isObject(body)) {
    post(replyTo({ id }, body as { readonly type: string }) as Replies[keyof Replies]);
  }
}
