// The publish panel: pick a connection, fill the message, send it, see the outcome inline, and
// send again from the history. This entry point talks to the host: `init` and the host's updates,
// and the requests (send, copy as command, load a file). The state is one object (state.ts); the
// DOM is built by form.ts from widgets.ts and filled by render.ts, payload.ts and history.ts; the
// logic without a DOM lives in model/ (tested in Node). DOM APIs only (strict CSP: no HTML strings,
// no inline handlers, no eval). Every text shown goes through l10n `l10n.t()`; `init` configures it
// (host.ts) before the form is built.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../shared/base.css';
import './publish.css';
import { PUBLISH_REPLY_TYPES, type PublishHostMessage as HostMessage, type PublishDraft, type PublishInit, type PublishReplies, type PublishRequest } from '../../src/core/protocol/publish';
import { connect, getState, post, requester } from '../shared/host';
import { RequestError, type WithoutId } from '../../src/core/protocol/requests';
import { byId, icon } from '../shared/dom';
import * as l10n from '@vscode/l10n';
import { buildForm, type FormActions, type FormView } from './form';
import { renderHistory } from './history';
import { draftFromForm, emptyForm, exchangeValue, formFromDraft } from './model/form';
import { addToHistory, formatTime, newestFirst, outcomeView } from './model/history';
import { byteCount, formatLabel, payloadFromFile } from './model/payload';
import { collectProblems } from './model/problems';
import { sendRefusal } from './model/targets';
import { formatJsonPayload, renderPayload, setNote, switchFormat } from './payload';
import { clearProblem, focusField, renderForm, renderKind, renderTargetNote, renderTargets, setSending, showProblems, showResult } from './render';
import { currentTarget, persist, state } from './state';
import { renderEncoding, showEncoded } from './encoding';
import { addMetric, encodingFromText, encodingText } from './model/encoding';
import { post as postToHost } from '../shared/host';
import { useSliceReindent } from '../../src/core/format/json';

// JSON is laid out by joining slices here: faster in Chromium than the host's buffer (bench P8).
useSliceReindent();

/** How long Send waits for the host before saying so (a late answer is still shown). */
const SEND_TIMEOUT_MS = 30_000;

/** Requests to the host wait as long as it takes (the send shows its own "no answer" note; the file dialog waits for the user). */
const requests = requester<PublishRequest, PublishReplies>(PUBLISH_REPLY_TYPES);

/** The host's reply, or the words of why there is none (its error, an unexpected answer). */
async function ask<M extends WithoutId<PublishRequest>>(message: M): Promise<PublishReplies[M['type']] | { readonly type: 'error'; readonly message: string }> {
  try {
    return await requests.request(message);
  } catch (err) {
    const unexpected = err instanceof RequestError && err.reason === 'unexpected';
    return { type: 'error', message: unexpected ? l10n.t('Unexpected answer from the extension ({0}).', err.message) : err instanceof Error ? err.message : String(err) };
  }
}
/** How long the "Copy as command" answer stays. */
const COPY_NOTE_MS = 5_000;

const actions: FormActions = {
  selectTarget: (id) => selectTarget(id),
  switchFormat: (to) => withView((v) => switchFormat(v, to)),
  formatJson: () => withView(formatJsonPayload),
  loadFile: () => void loadFile(),
  send: () => void send(),
  copyCommand: () => void copyCommand(),
  encoding: {
    changed: () => {
      // A structured codec reads the payload as JSON.
      if (state.form.encoding.codec !== '' && state.form.format !== 'json') {
        withView((v) => switchFormat(v, 'json'));
      }
      scheduleEncode();
    },
    addMetric: (name) => addBirthMetric(name),
    simulate: (on) => {
      state.simulate = on;
      postToHost({ type: 'publish/simulate', simulate: on });
      withView((v) => renderEncoding(v.encoding));
      scheduleEncode();
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Encoding (the host encodes; the panel shows the size or the error)

/** Asks the host to encode the form as Send would, a moment after the last change. */
function scheduleEncode(delay = 300): void {
  clearTimeout(state.timers.encode);
  const target = currentTarget();
  if (!target || encodingText(state.form.encoding) === '') {
    showEncoded(undefined);
    return;
  }
  state.timers.encode = setTimeout(() => void encodeNow(target.brokerId), delay);
}

async function encodeNow(brokerId: string): Promise<void> {
  const target = currentTarget();
  if (!target || target.brokerId !== brokerId) {
    return;
  }
  const seq = ++state.encodeSeq;
  const { draft } = draftFromForm(state.form, target.kind, target.mqttVersion);
  const reply = await ask({ type: 'publish/encode', brokerId, draft });
  if (seq !== state.encodeSeq) {
    return;
  }
  showEncoded(reply.type === 'publish/encoded' ? reply : { error: reply.type === 'error' ? reply.message : l10n.t('Could not encode.') });
}

/** Asks what the Encoding control offers for the destination (types, a mapping, the BIRTH's metrics). */
function scheduleEncodingInfo(delay = 400): void {
  clearTimeout(state.timers.encodingInfo);
  state.timers.encodingInfo = setTimeout(() => void encodingInfoNow(), delay);
}

async function encodingInfoNow(): Promise<void> {
  const target = currentTarget();
  if (!target) {
    return;
  }
  const seq = ++state.infoSeq;
  const where = target.kind === 'mqtt' ? { topic: state.form.mqtt.topic } : { exchange: exchangeValue(state.form.amqp.exchange), routingKey: state.form.amqp.routingKey };
  const reply = await ask({ type: 'publish/encodingInfo', brokerId: target.brokerId, ...where });
  if (seq !== state.infoSeq || reply.type !== 'publish/encodingInfo') {
    return;
  }
  state.encodingTypes = reply.types;
  state.birthMetrics = reply.metrics;
  const first = state.lastMapped === null;
  const changed = reply.mapped !== state.lastMapped;
  state.lastMapped = reply.mapped;
  // The form restored as it was left keeps its encoding; a new destination gets its mapping's.
  if (reply.mapped && changed && (!first || encodingText(state.form.encoding) === '') && encodingText(state.form.encoding) !== reply.mapped) {
    // A mapping in .vscode/decoders.json (or the Sparkplug namespace) says how this destination is encoded.
    state.form.encoding = encodingFromText(reply.mapped);
    if (state.form.format !== 'json') {
      withView((v) => switchFormat(v, 'json'));
    }
    persist();
  }
  withView((v) => renderEncoding(v.encoding));
  scheduleEncode(0);
}

function addBirthMetric(name: string): void {
  const metric = state.birthMetrics?.find((m) => m.name === name);
  const v = state.view;
  if (!metric || !v) {
    return;
  }
  state.form.format = 'json';
  state.form.payload = addMetric(state.form.payload, metric);
  clearProblem('payload');
  renderPayload(v);
  persist();
  scheduleEncode(0);
}

/** Runs `f` with the built form (nothing happens before the first `init` built it). */
function withView(f: (v: FormView) => void): void {
  if (state.view) {
    f(state.view);
  }
}

// ---------------------------------------------------------------------------------------------
// Requests

async function send(): Promise<void> {
  const v = state.view;
  if (state.sending || !v) {
    return;
  }
  const target = currentTarget();
  const refusal = sendRefusal(target);
  if (refusal || !target) {
    showProblems([]);
    showResult('error', `✖ ${l10n.t('Not sent: {0}', refusal ?? '')}`);
    return;
  }
  const { draft, problems } = collectProblems(state.form, target);
  showProblems(problems);
  if (problems.length) {
    const first = problems[0]!.text;
    showResult('invalid', `✖ ${l10n.t('Not sent: {0}', problems.length === 1 ? first : l10n.t('{0} (and {1} more, marked above)', first, problems.length - 1))}`);
    focusField(problems[0]!.field);
    return;
  }
  const seq = ++state.sendSeq;
  setSending(v, true);
  showResult('pending', l10n.t('Sending…'));
  const timer = setTimeout(() => {
    if (seq === state.sendSeq && state.sending) {
      setSending(v, false);
      showResult('error', `✖ ${l10n.t('No answer from the extension after {0} s.', SEND_TIMEOUT_MS / 1000)}`);
    }
  }, SEND_TIMEOUT_MS);
  const reply = await ask({ type: 'publish/send', brokerId: target.brokerId, draft });
  clearTimeout(timer);
  if (seq === state.sendSeq) {
    setSending(v, false);
  }
  const now = Date.now();
  if (reply.type === 'publish/result') {
    showResult(reply.outcome.ok ? 'ok' : 'error', outcomeView(reply.outcome, now).text);
    if (reply.outcome.ok && target.brokerId === state.brokerId) {
      state.history = addToHistory(state.history, { time: now, brokerId: target.brokerId, draft, result: reply.outcome.text });
      renderHistory(v, actions);
    }
  } else {
    showResult('error', `✖ ${reply.message} · ${formatTime(now)}`);
  }
}

async function copyCommand(): Promise<void> {
  const status = byId('copy-status');
  const target = currentTarget();
  if (!target) {
    status.textContent = l10n.t('Pick a connection first.');
    return;
  }
  const { draft } = draftFromForm(state.form, target.kind, target.mqttVersion);
  const reply = await ask({ type: 'publish/copyCommand', brokerId: target.brokerId, draft });
  status.dataset.state = reply.type === 'done' ? 'ok' : 'error';
  status.replaceChildren(...(reply.type === 'done' ? [icon('check'), ` ${reply.text}`] : [icon('error'), ` ${reply.type === 'error' ? reply.message : l10n.t('Could not copy.')}`]));
  clearTimeout(state.timers.copyNote);
  state.timers.copyNote = setTimeout(() => status.replaceChildren(), COPY_NOTE_MS);
}

async function loadFile(): Promise<void> {
  const reply = await ask({ type: 'publish/loadFile' });
  if (reply.type === 'error') {
    setNote('payload-note', reply.message);
    return;
  }
  if (reply.type !== 'publish/file' || !reply.bytes) {
    return; // cancelled
  }
  const v = state.view;
  if (!v) {
    return;
  }
  const loaded = payloadFromFile(reply.bytes, state.form.format);
  state.form.format = loaded.format;
  state.form.payload = loaded.payload;
  clearProblem('payload');
  renderPayload(v);
  persist();
  setNote('payload-note', l10n.t('Loaded {0} ({1}) as {2}.', reply.name ?? l10n.t('the file'), byteCount(reply.bytes.length), formatLabel(loaded.format)));
  v.payload.focus();
}

// ---------------------------------------------------------------------------------------------
// Host messages

function selectTarget(id: string): void {
  const v = state.view;
  if (id === state.brokerId || id === '' || !v) {
    return;
  }
  state.brokerId = id;
  state.history = [];
  state.historyLoading = true;
  post({ type: 'publish/selectBroker', brokerId: id });
  renderTargetNote(v);
  renderKind();
  renderHistory(v, actions);
  showProblems([]);
  showResult('idle', '');
  persist(true);
  scheduleEncodingInfo(0);
}

function init(p: PublishInit): void {
  const v = (state.view ??= buildForm(byId('root'), actions));
  const saved = state.inits++ === 0 ? getState() : undefined;
  const savedPublish = saved?.panel === 'publish' ? saved : undefined;
  state.targets = p.targets;
  // First init after a (re)load: the form as it was left wins; a later init is a new prefill.
  const draft: PublishDraft = savedPublish?.draft ?? p.draft;
  state.form = formFromDraft(draft, emptyForm());
  const wanted = [savedPublish?.brokerId, p.brokerId].find((id) => id !== undefined && state.targets.some((t) => t.brokerId === id));
  state.brokerId = wanted ?? state.targets.find((t) => t.connected)?.brokerId ?? state.targets[0]?.brokerId ?? p.brokerId;
  state.kind = currentTarget()?.kind ?? (draft.amqp && !draft.mqtt ? 'amqp' : 'mqtt');
  state.history = newestFirst(p.history);
  state.historyLoading = false;
  if (state.brokerId !== undefined && state.brokerId !== p.brokerId) {
    state.history = [];
    state.historyLoading = true;
    post({ type: 'publish/selectBroker', brokerId: state.brokerId });
  }
  renderTargets(v);
  renderKind();
  renderForm(v);
  renderHistory(v, actions);
  showProblems([]);
  showResult('idle', '');
  persist(true);
  state.simulate = p.simulate === true;
  renderEncoding(v.encoding);
  if (state.inits === 1) {
    // The destination's fields and the payload: the host encodes again after each change.
    for (const input of [v.text.topic, v.text.exchange, v.text.routingKey]) {
      input.addEventListener('input', () => {
        withView((view) => renderEncoding(view.encoding));
        scheduleEncodingInfo();
        scheduleEncode();
      });
    }
    v.payload.addEventListener('input', () => scheduleEncode());
  }
  scheduleEncodingInfo(0);
}

connect((message: HostMessage) => {
  const v = state.view;
  switch (message.type) {
    case 'init':
      if (message.panel === 'publish') {
        init(message.publish);
      }
      break;
    case 'publish/targets':
      if (v) {
        state.targets = message.targets;
        renderTargets(v);
        renderKind();
      }
      break;
    case 'publish/history':
      if (v && message.brokerId === state.brokerId) {
        state.history = newestFirst(message.history);
        state.historyLoading = false;
        renderHistory(v, actions);
      }
      break;
    case 'error':
      if (message.inReplyTo === undefined) {
        if (v) {
          showResult('error', `✖ ${message.message}`);
        } else {
          byId('root').textContent = message.message;
        }
      }
      break;
    default:
      break; // replies go to their request()
  }
});
