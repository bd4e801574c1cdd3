// `.vscode/decoders.json` in the editor: read from the first workspace folder that has one, watched
// (it, the .proto and the .avsc files), its problems as diagnostics, its mappings resolved for the
// inspector's Decoded tab (protobuf schemas parsed once per change, Avro schemas read on use), the
// workspace's message types offered by Decode as…, a choice saved as a new mapping.
// Trust: in an untrusted workspace no file outside the workspace folders is read (paths that leave
// them, the machine setting brokerExplorer.decoders.extraProtoFolders).
import { posix } from 'node:path';
import * as vscode from 'vscode';
import { addMapping, DECODERS_FILE, describeMapping, EMPTY_DECODERS, findMapping, parseDecodersFile, staysInside, type DecodersConfig, type NewMapping } from '../core/codecs/decodersFile';
import { loadProtobuf } from '../core/codecs/registry';
import { closest } from '../core/messageFiles/catalog';
import { encodingOfMapping } from '../core/messageFiles/publishEncoding';
import type { DecodeHints, ProtobufChoice } from '../core/codecs/types';
import type { Logger } from '../shared/log';
import { setting } from '../shared/settings';
import type { CodecPick, DecodeAsExtras, MappingSource, ResolvedMapping } from './payloadDecoder';

/** Files of the workspace searched at most (the picker lists their types). */
const MAX_FILES = 2000;

interface ProtoState {
  readonly schemas: unknown;
  readonly types: readonly string[];
  readonly errors: readonly { file: string; message: string }[];
}

export class DecodersJson implements MappingSource, DecodeAsExtras, vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('broker-explorer-decoders');
  private config: Promise<{ folder?: vscode.WorkspaceFolder; config: DecodersConfig }> | undefined;
  private protos: Promise<ProtoState> | undefined;
  /** Said once per reload: files skipped because the workspace is untrusted. */
  private readonly skipped = new Set<string>();

  constructor(private readonly log: Logger) {
    const reload = (): void => {
      this.config = undefined;
      this.protos = undefined;
    };
    const dropProtos = (): void => {
      this.protos = undefined;
    };
    const watch = (glob: string, onChange: () => void): void => {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      this.disposables.push(w, w.onDidChange(onChange), w.onDidCreate(onChange), w.onDidDelete(onChange));
    };
    watch(`**/${DECODERS_FILE}`, reload);
    watch('**/*.proto', dropProtos);
    this.disposables.push(
      this.diagnostics,
      vscode.workspace.onDidChangeWorkspaceFolders(reload),
      vscode.workspace.onDidGrantWorkspaceTrust(reload),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('brokerExplorer.decoders') && dropProtos()),
    );
  }

  /** Whether `uri` is inside a workspace folder. */
  private inWorkspace(uri: vscode.Uri): boolean {
    return (vscode.workspace.workspaceFolders ?? []).some((f) => {
      const root = f.uri.path.endsWith('/') ? f.uri.path : `${f.uri.path}/`;
      return f.uri.scheme === uri.scheme && (uri.path === f.uri.path || posix.normalize(uri.path).startsWith(root));
    });
  }

  /** Reads a text file, refusing (in an untrusted workspace) what lies outside the workspace folders. */
  private async readText(uri: vscode.Uri): Promise<string | undefined> {
    if (!vscode.workspace.isTrusted && !this.inWorkspace(uri)) {
      if (!this.skipped.has(uri.toString())) {
        this.skipped.add(uri.toString());
        this.log.warn(`decoders: not reading ${uri.fsPath}: outside the workspace, and the workspace is not trusted`);
      }
      return undefined;
    }
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  /** The parsed file (cached until it changes). */
  load(): Promise<{ folder?: vscode.WorkspaceFolder; config: DecodersConfig }> {
    this.config ??= (async () => {
      this.skipped.clear();
      this.diagnostics.clear();
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        const uri = vscode.Uri.joinPath(folder.uri, DECODERS_FILE);
        const text = await this.readText(uri);
        if (text === undefined) {
          continue;
        }
        const { config, problems } = parseDecodersFile(text);
        const outside = [...config.protoPaths, ...config.includeDirs, ...config.mappings.flatMap((m) => (m.schema ? [m.schema] : [])), ...config.schemaIds.values()].filter((p) => !staysInside(p));
        const words = [
          ...problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)),
          ...(vscode.workspace.isTrusted ? [] : outside.map((p) => vscode.l10n.t('{0} is outside the workspace folder: not read while the workspace is not trusted', p))),
        ];
        this.diagnostics.set(
          uri,
          words.map((w) => {
            const at = locate(text, w);
            return new vscode.Diagnostic(new vscode.Range(at, 0, at, 0), w, vscode.DiagnosticSeverity.Warning);
          }),
        );
        return { folder, config };
      }
      return { config: EMPTY_DECODERS };
    })();
    return this.config;
  }

  private resolvePath(folder: vscode.WorkspaceFolder | undefined, p: string): vscode.Uri | undefined {
    if (p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p)) {
      return vscode.Uri.file(p);
    }
    const base = folder ?? vscode.workspace.workspaceFolders?.[0];
    return base ? vscode.Uri.joinPath(base.uri, p) : undefined;
  }

  /** The workspace's .proto files (protoPaths, else all of them) and the extra folders, parsed (cached until one changes). */
  loadProtos(): Promise<ProtoState> {
    this.protos ??= (async () => {
      const { folder, config } = await this.load();
      const files: vscode.Uri[] = [];
      const add = async (base: vscode.Uri | undefined): Promise<void> => {
        if (!base) {
          return;
        }
        if (base.path.endsWith('.proto')) {
          files.push(base);
          return;
        }
        if (!vscode.workspace.isTrusted && !this.inWorkspace(base)) {
          this.log.warn(`decoders: not reading .proto files under ${base.fsPath}: outside the workspace, and the workspace is not trusted`);
          return;
        }
        files.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(base, '**/*.proto'), '**/node_modules/**', MAX_FILES)));
      };
      if (config.protoPaths.length) {
        for (const p of config.protoPaths) {
          await add(this.resolvePath(folder, p));
        }
      } else {
        files.push(...(await vscode.workspace.findFiles('**/*.proto', '**/node_modules/**', MAX_FILES)));
      }
      // Machine scope: never a repository's choice. Not read at all in an untrusted workspace.
      if (vscode.workspace.isTrusted) {
        for (const p of setting('decoders.extraProtoFolders')) {
          await add(vscode.Uri.file(p));
        }
      }
      const uris = new Map(files.filter((u) => u.scheme === 'file').map((u) => [u.fsPath, u]));
      if (uris.size === 0) {
        return { schemas: undefined, types: [], errors: [] };
      }
      const includeDirs = config.includeDirs.map((d) => this.resolvePath(folder, d)?.fsPath).filter((d): d is string => d !== undefined);
      const { loadProtoSchemas } = (await loadProtobuf()) as unknown as { loadProtoSchemas: typeof import('../core/codecs/impl/protobuf').loadProtoSchemas };
      const set = await loadProtoSchemas([...uris.keys()].sort(), (path) => this.readText(vscode.Uri.file(path)), { includeDirs });
      for (const e of set.errors) {
        this.log.warn(`decoders: ${e.file}: ${e.message}`);
      }
      return { schemas: set, types: set.types, errors: set.errors };
    })();
    return this.protos;
  }

  /**
   * A protobuf message type of the workspace .proto files (and the protoPaths of decoders.json),
   * for `Encoding: protobuf TYPE`; the reason in words when there is none.
   */
  async protobufType(type: string): Promise<ProtobufChoice | string> {
    const protos = await this.loadProtos();
    if (!protos.schemas) {
      return vscode.l10n.t('Encoding: no .proto files in the workspace (or in the protoPaths of .vscode/decoders.json) to find "{0}" in', type);
    }
    if (!protos.types.includes(type)) {
      // A typo of a full name, or the right name in another package.
      const last = type.split('.').pop()!;
      const near = closest(type, protos.types) ?? protos.types.find((t) => t.split('.').pop() === last);
      return near
        ? vscode.l10n.t('Encoding: no message type "{0}" in the workspace .proto files; did you mean {1}?', type, near)
        : vscode.l10n.t('Encoding: no message type "{0}" in the workspace .proto files', type);
    }
    return { schemas: protos.schemas, type };
  }

  /** The encoding the publish panel preselects for a destination: its mapping's codec chain (and type), when encodable. */
  async encodingFor(hints: DecodeHints): Promise<string | undefined> {
    const m = findMapping((await this.load()).config, hints);
    return m ? encodingOfMapping(m.codec, m.type) : undefined;
  }

  async resolve(hints: DecodeHints): Promise<ResolvedMapping | undefined> {
    const { folder, config } = await this.load();
    const m = findMapping(config, hints);
    if (!m) {
      return undefined;
    }
    const description = vscode.l10n.t('{0} in {1}', describeMapping(m), DECODERS_FILE);
    const ctx: NonNullable<ResolvedMapping['ctx']> = {};
    if (m.type) {
      const protos = await this.loadProtos();
      (ctx as { protobuf?: ProtobufChoice }).protobuf = { schemas: protos.schemas, type: m.type };
    }
    if (m.codec.split('+').includes('avro')) {
      const readSchema = async (p: string): Promise<unknown> => {
        const uri = this.resolvePath(folder, p);
        const text = uri && (await this.readText(uri));
        if (text === undefined) {
          throw new Error(vscode.l10n.t('Avro schema {0} cannot be read', p));
        }
        return JSON.parse(text) as unknown;
      };
      try {
        const ids = new Map<number, unknown>();
        for (const [id, p] of config.schemaIds) {
          ids.set(id, await readSchema(p).catch(() => undefined));
        }
        Object.assign(ctx, { avro: { ...(m.schema ? { schema: await readSchema(m.schema), name: m.schema } : {}), ...(ids.size ? { ids: new Map([...ids].filter(([, s]) => s !== undefined)) } : {}) } });
      } catch (e) {
        return { codec: m.codec, description: `${description} — ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    return { codec: m.codec, ctx, description, save: { codec: m.codec, ...(m.type ? { type: m.type } : {}), ...(m.schema ? { schema: m.schema } : {}) } };
  }

  /** The message types of the workspace's .proto files and its .avsc files, for Decode as…. */
  async picks(): Promise<CodecPick[]> {
    const protos = await this.loadProtos();
    const items: CodecPick[] = protos.types.map((type) => ({
      label: type,
      description: vscode.l10n.t('protobuf message type'),
      mapping: { codec: 'protobuf', ctx: { protobuf: { schemas: protos.schemas, type } }, description: vscode.l10n.t('chosen: protobuf {0}', type), save: { codec: 'protobuf', type } },
    }));
    const { folder } = await this.load();
    for (const uri of await vscode.workspace.findFiles('**/*.avsc', '**/node_modules/**', 200)) {
      const rel = folder ? posix.relative(folder.uri.path, uri.path) : uri.path;
      const text = await this.readText(uri);
      let schema: unknown;
      try {
        schema = text === undefined ? undefined : JSON.parse(text);
      } catch {
        continue;
      }
      items.push({ label: rel, description: vscode.l10n.t('Avro schema'), mapping: { codec: 'avro', ctx: { avro: { schema, name: rel } }, description: vscode.l10n.t('chosen: Avro {0}', rel), save: { codec: 'avro', schema: rel } } });
    }
    return items;
  }

  /** Writes a mapping first in the list of decoders.json (the file is created when there is none). */
  async save(mapping: NewMapping): Promise<vscode.Uri> {
    const { folder } = await this.load();
    const base = folder ?? vscode.workspace.workspaceFolders?.[0];
    if (!base) {
      throw new Error(vscode.l10n.t('Open a folder to save decoders in .vscode/decoders.json.'));
    }
    const uri = vscode.Uri.joinPath(base.uri, DECODERS_FILE);
    const text = await this.readText(uri);
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(base.uri, '.vscode'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(addMapping(text, mapping)));
    this.config = undefined;
    this.protos = undefined;
    return uri;
  }

  async offerSave(hints: DecodeHints, mapping: ResolvedMapping): Promise<void> {
    if (!mapping.save || !vscode.workspace.workspaceFolders?.length) {
      return;
    }
    const target = mappingTargets(hints);
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Decode these messages as {0} from now on? Saved in {1}.', mapping.save.type ?? mapping.save.schema ?? mapping.save.codec, DECODERS_FILE),
      ...target.map((t) => t.label),
    );
    const picked = target.find((t) => t.label === choice);
    if (picked) {
      const uri = await this.save({ ...picked.match, ...mapping.save });
      this.log.info(`decoders: saved ${JSON.stringify(picked.match)} → ${mapping.save.codec} in ${uri.fsPath}`);
    }
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables.splice(0)).dispose();
  }
}

/** The mapping scopes offered for a message: its topic and its parent subtree (MQTT), its exchange and routing key (AMQP). */
export function mappingTargets(hints: DecodeHints): { label: string; match: Record<string, string> }[] {
  if (hints.topic !== undefined) {
    const parent = hints.topic.split('/').slice(0, -1).join('/');
    return [{ label: vscode.l10n.t('Save for {0}', hints.topic), match: { topic: hints.topic } }, ...(parent ? [{ label: vscode.l10n.t('Save for {0}/#', parent), match: { topic: `${parent}/#` } }] : [])];
  }
  const out: { label: string; match: Record<string, string> }[] = [];
  if (hints.queue !== undefined) {
    out.push({ label: vscode.l10n.t('Save for queue {0}', hints.queue), match: { queue: hints.queue } });
  }
  if (hints.exchange !== undefined) {
    out.push({ label: vscode.l10n.t('Save for exchange {0}', hints.exchange || '(default)'), match: { exchange: hints.exchange } });
    if (hints.routingKey) {
      out.push({ label: vscode.l10n.t('Save for {0} with routing key {1}', hints.exchange || '(default)', hints.routingKey), match: { exchange: hints.exchange, routingKey: hints.routingKey } });
    }
  }
  return out;
}

/** The line a problem is about: the line of the `mappings[i]` entry or key it names, else 0. */
function locate(text: string, problem: string): number {
  const m = /^mappings\[(\d+)\]/.exec(problem);
  if (m) {
    const list = text.indexOf('"mappings"');
    if (list >= 0) {
      let at = text.indexOf('{', list);
      for (let i = 0; i < Number(m[1]) && at >= 0; i++) {
        at = text.indexOf('{', text.indexOf('}', at) + 1);
      }
      if (at >= 0) {
        return text.slice(0, at).split('\n').length - 1;
      }
    }
  }
  const key = /^(\w+)/.exec(problem)?.[1];
  const at = key ? text.indexOf(`"${key}"`) : -1;
  return at >= 0 ? text.slice(0, at).split('\n').length - 1 : 0;
}
