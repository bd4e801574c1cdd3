import * as vscode from 'vscode';

/** Base for classes that own registrations: everything registered is disposed with them. */
export abstract class Disposable implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  protected _register<T extends vscode.Disposable>(d: T): T {
    this.disposables.push(d);
    return d;
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables.splice(0)).dispose();
  }
}
