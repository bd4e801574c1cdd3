/** A tiny typed event emitter with VS Code's `Event<T>` shape, usable without `vscode`. */
export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => void) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners = new Set<(e: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Lets a hot path skip building an event nobody listens to. */
  get hasListeners(): boolean {
    return this.listeners.size > 0;
  }

  fire(e: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(e);
      } catch {
        // A failing listener must not stop the others, nor the connection that fired.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
