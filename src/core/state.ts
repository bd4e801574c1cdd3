/** What a broker connection is doing right now. The tree renders exactly this. */
export type ConnectionState =
  | { readonly kind: 'disconnected' }
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'connected'; readonly since: number }
  | { readonly kind: 'reconnecting'; readonly attempt: number; readonly at: number; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

export type ConnectionStateKind = ConnectionState['kind'];

/** Short text for a tree item's description. `now` lets "reconnecting in Ns" count down. */
export function describeState(state: ConnectionState, now = Date.now()): string {
  switch (state.kind) {
    case 'disconnected':
      return 'disconnected';
    case 'connecting':
      return state.attempt > 1 ? `connecting (attempt ${state.attempt})…` : 'connecting…';
    case 'connected':
      return 'connected';
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((state.at - now) / 1000));
      return `reconnecting in ${seconds}s`;
    }
    case 'failed':
      return `failed: ${state.reason}`;
  }
}

export function canConnect(state: ConnectionState): boolean {
  return state.kind === 'disconnected' || state.kind === 'failed';
}

export function canDisconnect(state: ConnectionState): boolean {
  return !canConnect(state);
}
