// The request/response helper of the webview protocols (src/core/protocol/requests.ts), in plain
// Node: a fake post function and a fake onMessage subscription stand for the webview API.
import assert from 'node:assert/strict';
import { dispatch, errorReply, replyTo, RequestError, Requester, type Handlers } from '../../src/core/protocol/requests';

type Req = { readonly type: 'ask/text'; readonly id: number; readonly q: string } | { readonly type: 'ask/num'; readonly id: number };
type Replies = {
  readonly 'ask/text': { readonly type: 'text'; readonly inReplyTo: number; readonly a: string };
  readonly 'ask/num': { readonly type: 'num'; readonly inReplyTo: number; readonly n: number };
};
const REPLY_TYPES = { 'ask/text': 'text', 'ask/num': 'num' } as const;

/** A Requester wired to an array of posts and a deliver() that plays the other side. */
function wire(timeoutMs?: number) {
  const posted: Req[] = [];
  let listener: ((m: unknown) => void) | undefined;
  let unsubscribed = 0;
  const requester = new Requester<Req, Replies>(
    (m) => posted.push(m),
    (l) => {
      listener = l;
      return () => {
        unsubscribed++;
        listener = undefined;
      };
    },
    REPLY_TYPES,
    timeoutMs === undefined ? {} : { timeoutMs },
  );
  return { requester, posted, deliver: (m: unknown) => listener?.(m), unsubscribed: () => unsubscribed };
}

const rejection = async (p: Promise<unknown>): Promise<RequestError> => {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof RequestError, String(err));
    return err;
  }
  assert.fail('the request resolved');
};

describe('webview requests and replies', () => {
  it('gives every request a fresh id and resolves each with the reply that names it', async () => {
    const { requester, posted, deliver } = wire();
    const first = requester.request({ type: 'ask/text', q: 'one' });
    const second = requester.request({ type: 'ask/num' });
    assert.deepEqual(posted, [{ type: 'ask/text', q: 'one', id: 1 }, { type: 'ask/num', id: 2 }]);
    deliver({ type: 'num', inReplyTo: 2, n: 42 });
    deliver({ type: 'text', inReplyTo: 1, a: 'uno' });
    assert.deepEqual(await first, { type: 'text', inReplyTo: 1, a: 'uno' });
    assert.equal((await second).n, 42);
    assert.equal(requester.waiting, 0);
  });

  it('ignores what is no reply, and replies to no request of its own', async () => {
    const { requester, deliver } = wire();
    const p = requester.request({ type: 'ask/num' });
    for (const m of [null, 'x', { type: 'status' }, { type: 'num', inReplyTo: '1' }, { type: 'num', inReplyTo: 7, n: 0 }]) {
      deliver(m);
    }
    assert.equal(requester.waiting, 1);
    deliver({ type: 'num', inReplyTo: 1, n: 1 });
    assert.equal((await p).n, 1);
  });

  it('rejects on an error reply with the text the other side sent', async () => {
    const { requester, deliver } = wire();
    const p = requester.request({ type: 'ask/text', q: 'x' });
    deliver({ type: 'error', inReplyTo: 1, message: 'That message is no longer kept' });
    const err = await rejection(p);
    assert.deepEqual([err.reason, err.message], ['error', 'That message is no longer kept']);
  });

  it('rejects a reply of the wrong type', async () => {
    const { requester, deliver } = wire();
    const p = requester.request({ type: 'ask/text', q: 'x' });
    deliver({ type: 'num', inReplyTo: 1, n: 1 });
    assert.equal((await rejection(p)).reason, 'unexpected');
  });

  it('rejects when no reply comes in time, and ignores the reply that comes late', async () => {
    const { requester, deliver } = wire(20);
    const p = requester.request({ type: 'ask/num' });
    const err = await rejection(p);
    assert.equal(err.reason, 'timeout');
    assert.equal(requester.waiting, 0);
    deliver({ type: 'num', inReplyTo: 1, n: 1 }); // late: nobody waits, nothing happens
    // A per-request option overrides the default; without a timeout it waits as long as it takes.
    const patient = requester.request({ type: 'ask/num' }, {});
    await new Promise((r) => setTimeout(r, 40));
    deliver({ type: 'num', inReplyTo: 2, n: 2 });
    assert.equal((await patient).n, 2);
  });

  it('rejects what is still waiting on dispose, stops listening, and refuses new requests', async () => {
    const { requester, posted, deliver, unsubscribed } = wire();
    const p = requester.request({ type: 'ask/num' });
    requester.dispose();
    assert.equal((await rejection(p)).reason, 'disposed');
    assert.equal(unsubscribed(), 1);
    deliver({ type: 'num', inReplyTo: 1, n: 1 });
    assert.equal((await rejection(requester.request({ type: 'ask/num' }))).reason, 'disposed');
    assert.equal(posted.length, 1, 'nothing posted after dispose');
    requester.dispose();
    assert.equal(unsubscribed(), 1, 'dispose twice unsubscribes once');
  });

  it('rejects when posting throws, and forgets that request', async () => {
    const requester = new Requester<Req, Replies>(
      () => {
        throw new Error('the webview is gone');
      },
      () => ({ dispose: () => {} }),
      REPLY_TYPES,
    );
    await assert.rejects(requester.request({ type: 'ask/num' }), /the webview is gone/);
    assert.equal(requester.waiting, 0);
  });
});

describe('answering webview requests', () => {
  type Cmd = Req | { readonly type: 'tell'; readonly n: number };
  const told: number[] = [];
  const handlers = {
    'ask/text': async (m) => ({ type: 'text', a: m.q.toUpperCase() }) as const,
    'ask/num': async () => {
      throw new Error('no number today');
    },
    tell: (m) => void told.push(m.n),
  } satisfies Handlers<Cmd, Replies>;

  it('posts a request\'s reply with its id as inReplyTo, and nothing for a message that is no request', async () => {
    const replies: unknown[] = [];
    await dispatch<Cmd, Replies>(handlers, { type: 'ask/text', id: 9, q: 'hi' }, (r) => replies.push(r));
    await dispatch<Cmd, Replies>(handlers, { type: 'tell', n: 3 }, (r) => replies.push(r));
    assert.deepEqual(replies, [{ type: 'text', a: 'HI', inReplyTo: 9 }]);
    assert.deepEqual(told, [3]);
  });

  it("lets a handler's error through, for an error reply that names the request", async () => {
    const failing = { type: 'ask/num', id: 4 } as const;
    const err = await dispatch<Cmd, Replies>(handlers, failing, () => assert.fail('no reply')).then(
      () => assert.fail('resolved'),
      (e: unknown) => e,
    );
    assert.deepEqual(errorReply(failing, err), { type: 'error', message: 'no number today', inReplyTo: 4 });
    assert.deepEqual(errorReply({ type: 'tell', n: 1 }, 'plain'), { type: 'error', message: 'plain' });
    assert.deepEqual(replyTo({ id: 5 }, { type: 'done', text: 'ok' }), { type: 'done', text: 'ok', inReplyTo: 5 });
  });

  it('refuses a message type it has no handler for (the guards let none through)', async () => {
    await assert.rejects(dispatch<Cmd, Replies>(handlers, { type: 'hasOwnProperty' } as unknown as Cmd, () => {}), /No handler for hasOwnProperty/);
  });
});
