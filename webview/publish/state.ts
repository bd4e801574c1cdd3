// The publish webview's mutable state, all in one object: the connections, the chosen one, the
// form as typed, the history shown, the built controls, and the pending timers. The other modules
// read and write it; `persist` keeps what survives hide/show and reload (setState, no payload history).
import type { BirthMetricInfo, BrokerKind, HistoryEntry, PublishTarget } from '../../src/core/protocol/publish';
import { setState } from '../shared/host';
import type { FieldId } from './model/fields';
import { emptyForm, persistedDraft, type FormState } from './model/form';
import type { FormView } from './form';

type Timer = ReturnType<typeof setTimeout>;

/** A control that shows its field's problems (`invalid` on vscode-elements, `aria-invalid` on all). */
export type Control = HTMLElement & { invalid?: boolean };

export interface PublishState {
  targets: readonly PublishTarget[];
  brokerId: string | undefined;
  form: FormState;
  /** The side of the form shown: the target's kind, else the draft's. */
  kind: BrokerKind;
  history: HistoryEntry[];
  historyLoading: boolean;
  /** The form's controls, once built by the first `init`. */
  view: FormView | undefined;
  /** Controls that get `invalid` when their field has a problem. */
  readonly controls: Map<FieldId, Control>;
  sending: boolean;
  /** Bumped by every send: a late answer to an older one does not end the current one. */
  sendSeq: number;
  /** `init`s seen: only the first one restores the saved state. */
  inits: number;
  /** The message types of the workspace's .proto files (the host's answer). */
  encodingTypes: readonly string[];
  /** NCMD / DCMD: the metrics of the last BIRTH of that edge node or device. */
  birthMetrics: readonly BirthMetricInfo[] | undefined;
  /**
   * The encoding the host last said the destination maps to (null before its first answer): a
   * mapping preselects its encoding when it differs from the last one (a new destination), so the
   * user's own choice for the same destination stays.
   */
  lastMapped: string | undefined | null;
  /** The session's "Simulate edge node" mode (kept by the host, never saved). */
  simulate: boolean;
  /** Bumped by every encode / info request: only the answer to the latest is shown. */
  encodeSeq: number;
  infoSeq: number;
  readonly timers: { persist?: Timer; payloadCheck?: Timer; copyNote?: Timer; encode?: Timer; encodingInfo?: Timer };
}

export const state: PublishState = {
  targets: [],
  brokerId: undefined,
  form: emptyForm(),
  kind: 'mqtt',
  history: [],
  historyLoading: false,
  view: undefined,
  controls: new Map(),
  sending: false,
  sendSeq: 0,
  inits: 0,
  encodingTypes: [],
  birthMetrics: undefined,
  lastMapped: null,
  simulate: false,
  encodeSeq: 0,
  infoSeq: 0,
  timers: {},
};

export const currentTarget = (): PublishTarget | undefined => state.targets.find((t) => t.brokerId === state.brokerId);

/** Keeps the form (both sides) and the chosen connection across hide/show and reload. */
export function persist(now = false): void {
  clearTimeout(state.timers.persist);
  const write = () => setState({ panel: 'publish', brokerId: state.brokerId, draft: persistedDraft(state.form) });
  if (now) {
    write();
  } else {
    state.timers.persist = setTimeout(write, 250);
  }
}
