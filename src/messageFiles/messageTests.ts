// Message files as tests in VS Code's Test Explorer: each .mqtt/.amqp file a suite, each block with
// EXPECT sections a test. Runs from the Test Explorer, the gutter and the "Run Test" CodeLens; results
// carry expected/actual (a diff), the duration and the messages received. Part of the lazily loaded
// message-files bundle (dist/messages.js): the controller exists once that bundle has loaded.
import * as vscode from 'vscode';
import type { BrokerConnection } from '../core/brokers/connection';
import type { ReceivedMessage } from '../core/messageFiles/expect';
import { formatMs } from '../core/messageFiles/expect';
import { blockTitle, fileRun, type BlockTestResult, type RunOptions } from '../core/messageFiles/run';
import { captureDependencies, type BlockCapture } from '../core/messageFiles/captures';
import type { MessageBlock, MessageFile, ResolveEnv } from '../core/messageFiles/types';
import { setting } from '../shared/settings';
import type { Logger } from '../shared/log';
import { MESSAGE_FILE_EXCLUDE, MESSAGE_FILE_GLOB } from './messageIds';


/** What a finished test recorded (the integration tests read these through the extension's API). */
export interface RecordedTestResult {
  readonly id: string;
  readonly label: string;
  readonly outcome: BlockTestResult['outcome'] | 'untrusted';
  readonly message?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly durationMs?: number;
  /** The text appended to the run's output for this test (the received messages). */
  readonly output: string;
}

export interface MessageTestsApi {
  readonly controllerId: string;
  /** Finds every message file of the workspace; resolves with the test ids (files and blocks). */
  discover(): Promise<string[]>;
  /** The test ids the Test Explorer lists now (files and blocks), without looking for files. */
  listed(): string[];
  /** Runs the given tests (ids, or every test when none), as the Test Explorer's Run does; resolves with their results. */
  run(ids?: readonly string[], token?: vscode.CancellationToken): Promise<RecordedTestResult[]>;
  /**
   * Runs the tests of the blocks above `block` whose responses it captures (shown in the Test
   * Explorer like any run) and resolves with what they captured: Send uses it.
   */
  captures(uri: vscode.Uri, file: MessageFile, block: MessageBlock): Promise<ReadonlyMap<string, BlockCapture>>;
  /** The result of each test's last run, by id. */
  readonly results: ReadonlyMap<string, RecordedTestResult>;
  /** Fires when a run has ended (from the Test Explorer too), with its results. */
  readonly onDidEndRun: vscode.Event<RecordedTestResult[]>;
}

export interface MessageTestsDeps {
  readonly log: Logger;
  /** Made at activation (messageFilesLazy.ts), so the Testing view can ask for the tests before this bundle loads. */
  readonly controller: vscode.TestController;
  /** The parsed file of an open document (cached by version). */
  parseDocument(doc: vscode.TextDocument): MessageFile;
  parseText(text: string): MessageFile;
  env(uri: vscode.Uri): ResolveEnv;
  /** A connected connection of that name and kind, or throws saying why not. */
  connect(name: string, kind: 'mqtt' | 'amqp'): Promise<BrokerConnection>;
  readonly send: RunOptions['send'];
  readonly limits: () => RunOptions['limits'];
}

/** `file:///…/a.mqtt#name` or `#L12` (the request line, 1-based) when the block has no name. */
function blockId(uri: vscode.Uri, block: MessageBlock): string {
  return `${uri.toString()}#${block.name !== undefined ? `name:${block.name}` : `L${block.requestLine + 1}`}`;
}

const isMessageUri = (uri: vscode.Uri): boolean => /\.(mqtt|amqp)$/i.test(uri.path);

function receivedText(m: ReceivedMessage): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(m.payload.subarray(0, 4096));
  const more = m.payload.length > 4096 ? ` … (${m.payload.length} bytes)` : '';
  const flags = [`QoS ${m.qos}`, ...(m.retain ? ['retained'] : [])].join(', ');
  // Terminal output: a payload's own control characters would drive the terminal.
  // eslint-disable-next-line no-control-regex
  const safe = (text + more).replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, '·');
  return `  +${formatMs(m.afterMs)}  ${m.topic}  (${flags})\r\n    ${safe.replace(/\r?\n/g, '\r\n    ')}\r\n`;
}

export function createMessageTests(deps: MessageTestsDeps): { api: MessageTestsApi; dispose(): void } {
  const controller = deps.controller;
  const results = new Map<string, RecordedTestResult>();
  const ended = new vscode.EventEmitter<RecordedTestResult[]>();
  /** Per test id: its file and block as last parsed. */
  const blocks = new Map<string, { uri: vscode.Uri; file: MessageFile; block: MessageBlock }>();

  const fileItem = (uri: vscode.Uri): vscode.TestItem => {
    const id = uri.toString();
    let item = controller.items.get(id);
    if (!item) {
      item = controller.createTestItem(id, vscode.workspace.asRelativePath(uri, false), uri);
      controller.items.add(item);
    }
    return item;
  };

  /** Makes the file's test items match its blocks with expectations (a file without any is no suite). */
  const update = (uri: vscode.Uri, file: MessageFile): void => {
    const tests = file.blocks.filter((b) => b.expectations.length > 0);
    for (const [id, v] of blocks) {
      if (v.uri.toString() === uri.toString()) {
        blocks.delete(id);
      }
    }
    if (!tests.length) {
      controller.items.delete(uri.toString());
      return;
    }
    const parent = fileItem(uri);
    const children: vscode.TestItem[] = [];
    for (const b of tests) {
      const id = blockId(uri, b);
      if (blocks.has(id)) {
        continue; // a second block of the same name: the first is the test
      }
      const item = parent.children.get(id) ?? controller.createTestItem(id, blockTitle(b), uri);
      item.label = blockTitle(b);
      item.range = new vscode.Range(b.requestLine, 0, b.range.endLine, 0);
      children.push(item);
      blocks.set(id, { uri, file, block: b });
    }
    parent.children.replace(children);
  };

  const readFile = async (uri: vscode.Uri): Promise<MessageFile | undefined> => {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      return deps.parseDocument(open);
    }
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      return deps.parseText(new TextDecoder('utf-8').decode(bytes));
    } catch {
      return undefined;
    }
  };

  let discovered: Promise<void> | undefined;
  const discover = (): Promise<void> =>
    (discovered ??= (async () => {
      const uris = await vscode.workspace.findFiles(MESSAGE_FILE_GLOB, MESSAGE_FILE_EXCLUDE, 2000);
      for (const uri of uris) {
        const f = await readFile(uri);
        if (f) {
          update(uri, f);
        }
      }
    })().catch((e: unknown) => deps.log.warn(`Message tests: finding the message files failed: ${e instanceof Error ? e.message : String(e)}`)));

  controller.resolveHandler = async (item) => {
    if (!item) {
      await discover();
    }
  };
  controller.refreshHandler = async () => {
    discovered = undefined;
    await discover();
  };

  const untrustedReason = (): string =>
    vscode.l10n.t('Message file tests do not run in an untrusted workspace: they would send messages. Trust the folder to run them.');

  const runOptions = (uri: vscode.Uri, signal: AbortSignal): RunOptions => ({
    connection: (name, kind) => deps.connect(name, kind),
    send: deps.send,
    defaultWithinMs: Math.round(1000 * setting('messages.expectWithinSeconds', uri)),
    limits: deps.limits(),
    signal,
  });

  const runHandler = async (request: vscode.TestRunRequest, token: vscode.CancellationToken, onCaptures?: (uri: string, captures: ReadonlyMap<string, BlockCapture>) => void): Promise<RecordedTestResult[]> => {
    await discover();
    // Open documents may have changed since discovery: parse them again.
    for (const d of vscode.workspace.textDocuments) {
      if (isMessageUri(d.uri)) {
        update(d.uri, deps.parseDocument(d));
      }
    }
    const queue: vscode.TestItem[] = [];
    const excluded = new Set((request.exclude ?? []).map((t) => t.id));
    const add = (item: vscode.TestItem) => {
      if (excluded.has(item.id)) {
        return;
      }
      if (blocks.has(item.id)) {
        queue.push(item);
      } else {
        item.children.forEach(add);
      }
    };
    if (request.include) {
      request.include.forEach(add);
    } else {
      // Files in path order, so a run of everything is the same run each time.
      const files: vscode.TestItem[] = [];
      controller.items.forEach((f) => void files.push(f));
      files.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).forEach(add);
    }
    const run = controller.createTestRun(request, undefined, true);
    const recorded: RecordedTestResult[] = [];
    const record = (r: RecordedTestResult) => {
      results.set(r.id, r);
      recorded.push(r);
    };
    const ac = new AbortController();
    const cancel = token.onCancellationRequested(() => ac.abort());
    /** Reports one block's result on its item (a block a later one captures from is reported too). */
    const report = (item: vscode.TestItem, entry: { uri: vscode.Uri; block: MessageBlock }, r: BlockTestResult): void => {
      let output = '';
      for (const o of r.expectations) {
        const head = `${o.expectation.title} — ${o.result.passed ? '✔' : '✘'} ${o.result.message}\r\n`;
        const lines = o.result.received.slice(0, 100).map(receivedText).join('');
        const rest = o.result.received.length > 100 ? vscode.l10n.t('  … {0} more\r\n', o.result.received.length - 100) : '';
        output += head + lines + rest;
      }
      if (output) {
        run.appendOutput(`${item.label}\r\n${output}`, new vscode.Location(entry.uri, new vscode.Position(entry.block.requestLine, 0)), item);
      }
      const failed = r.expectations.find((o) => !o.result.passed);
      const base = { id: item.id, label: item.label, outcome: r.outcome, durationMs: r.durationMs, output, ...(r.message !== undefined ? { message: r.message } : {}) };
      switch (r.outcome) {
        case 'passed':
          run.passed(item, r.durationMs);
          record(base);
          break;
        case 'failed': {
          const res = failed?.result;
          const text = r.message ?? vscode.l10n.t('The expectation did not hold');
          const m = res?.expected !== undefined ? vscode.TestMessage.diff(text, res.expected, res.actual ?? '') : new vscode.TestMessage(text);
          m.location = new vscode.Location(entry.uri, new vscode.Position(failed?.expectation.line ?? entry.block.requestLine, 0));
          run.failed(item, m, r.durationMs);
          record({ ...base, ...(res?.expected !== undefined ? { expected: res.expected, actual: res.actual ?? '' } : {}) });
          break;
        }
        case 'errored': {
          const m = new vscode.TestMessage(r.message ?? vscode.l10n.t('The test could not run'));
          m.location = new vscode.Location(entry.uri, new vscode.Position(entry.block.requestLine, 0));
          run.errored(item, m, r.durationMs);
          record(base);
          break;
        }
        case 'cancelled':
          run.skipped(item);
          record(base);
          break;
      }
      deps.log.info(`Message test ${vscode.workspace.asRelativePath(entry.uri)}:${entry.block.requestLine + 1} ${r.outcome}${r.message ? `: ${r.message}` : ''}`);
    };
    // One file run per file: captures pass from block to block, and a block whose captures need an
    // earlier block runs that block first (once per run).
    const fileRuns = new Map<string, ReturnType<typeof fileRun>>();
    const fileRunOf = (entry: { uri: vscode.Uri; file: MessageFile }) => {
      const key = entry.uri.toString();
      let fr = fileRuns.get(key);
      if (!fr) {
        const itemOf = (b: MessageBlock) => itemById(blockId(entry.uri, b));
        fr = fileRun(entry.file, deps.env(entry.uri), runOptions(entry.uri, ac.signal), {
          started: (b) => {
            const item = itemOf(b);
            if (item) {
              run.started(item);
            }
          },
          finished: (b, r) => {
            const item = itemOf(b);
            if (item) {
              report(item, { uri: entry.uri, block: b }, r);
            }
          },
        });
        fileRuns.set(key, fr);
      }
      return fr;
    };
    try {
      for (const item of queue) {
        run.enqueued(item);
      }
      for (const item of queue) {
        const entry = blocks.get(item.id)!;
        if (!vscode.workspace.isTrusted) {
          const message = untrustedReason();
          run.errored(item, new vscode.TestMessage(message));
          record({ id: item.id, label: item.label, outcome: 'untrusted', message, output: '' });
          continue;
        }
        if (token.isCancellationRequested) {
          run.skipped(item);
          record({ id: item.id, label: item.label, outcome: 'cancelled', output: '' });
          continue;
        }
        await fileRunOf(entry).run(entry.block);
      }
      fileRuns.forEach((fr, uri) => onCaptures?.(uri, fr.captures));
    } finally {
      cancel.dispose();
      run.end();
      ended.fire(recorded);
    }
    return recorded;
  };

  const profile = controller.createRunProfile(vscode.l10n.t('Run'), vscode.TestRunProfileKind.Run, (request, token) => void runHandler(request, token), true);

  const disposables: vscode.Disposable[] = [
    profile,
    ended,
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isMessageUri(d.uri)) {
        update(d.uri, deps.parseDocument(d));
      }
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (isMessageUri(e.document.uri)) {
        update(e.document.uri, deps.parseDocument(e.document));
      }
    }),
    vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((u) => controller.items.delete(u.toString()))),
  ];
  const watcher = vscode.workspace.createFileSystemWatcher(MESSAGE_FILE_GLOB);
  disposables.push(
    watcher,
    watcher.onDidCreate(async (u) => {
      const f = await readFile(u);
      if (f) {
        update(u, f);
      }
    }),
    watcher.onDidChange(async (u) => {
      const f = await readFile(u);
      if (f) {
        update(u, f);
      }
    }),
    watcher.onDidDelete((u) => controller.items.delete(u.toString())),
  );
  for (const d of vscode.workspace.textDocuments) {
    if (isMessageUri(d.uri)) {
      update(d.uri, deps.parseDocument(d));
    }
  }

  const itemById = (id: string): vscode.TestItem | undefined => {
    const top = controller.items.get(id);
    if (top) {
      return top;
    }
    const hash = id.indexOf('#');
    return hash > 0 ? controller.items.get(id.slice(0, hash))?.children.get(id) : undefined;
  };

  const listed = (): string[] => {
    const ids: string[] = [];
    controller.items.forEach((f) => {
      ids.push(f.id);
      f.children.forEach((c) => ids.push(c.id));
    });
    return ids;
  };

  const api: MessageTestsApi = {
    controllerId: controller.id,
    discover: async () => {
      discovered = undefined;
      await discover();
      return listed();
    },
    listed,
    run: async (ids, token) => {
      await discover();
      const include = ids?.map((id) => itemById(id)).filter((t): t is vscode.TestItem => t !== undefined);
      const source = new vscode.CancellationTokenSource();
      const forward = token?.onCancellationRequested(() => source.cancel());
      try {
        return await runHandler(new vscode.TestRunRequest(include, undefined, profile), source.token);
      } finally {
        forward?.dispose();
        source.dispose();
      }
    },
    captures: async (uri, file, block) => {
      const needed = captureDependencies(file, block)
        .map((b) => itemById(blockId(uri, b)))
        .filter((t): t is vscode.TestItem => t !== undefined);
      let captures: ReadonlyMap<string, BlockCapture> = new Map();
      if (needed.length) {
        const source = new vscode.CancellationTokenSource();
        try {
          await runHandler(new vscode.TestRunRequest(needed, undefined, profile), source.token, (u, c) => {
            if (u === uri.toString()) {
              captures = c;
            }
          });
        } finally {
          source.dispose();
        }
      }
      return captures;
    },
    results,
    onDidEndRun: ended.event,
  };

  return {
    api,
    dispose: () => {
      vscode.Disposable.from(...disposables.splice(0)).dispose();
    },
  };
}

/** Runs one block's test from its CodeLens: the result shows in the Test Explorer and the gutter. */
export async function runBlockFromLens(api: MessageTestsApi, uri: vscode.Uri, file: MessageFile, requestLine: number): Promise<RecordedTestResult | undefined> {
  const block = file.blocks.find((b) => b.requestLine === requestLine && b.expectations.length > 0);
  if (!block) {
    throw new Error(vscode.l10n.t('No test at line {0}: a test is a PUBLISH block with EXPECT sections.', requestLine + 1));
  }
  const id = blockId(uri, block);
  const [r] = await api.run([id]);
  return r;
}
