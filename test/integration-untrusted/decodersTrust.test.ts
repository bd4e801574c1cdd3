// Restricted Mode and .vscode/decoders.json (issue 20): a cloned repository's decoders.json may
// name files anywhere; in an untrusted folder nothing outside the workspace is read — no Avro
// schema, no .proto folder — and the file says so in a diagnostic. Files inside it are read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, until } from '../integration/helpers';

describe('an untrusted folder with .vscode/decoders.json naming files outside it', function () {
  this.timeout(30_000);

  it('reads no schema or .proto file outside the workspace, says so on the file, and still reads those inside', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const { codecs } = await api();
    const outside = mkdtempSync(join(tmpdir(), 'be-outside-'));
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    try {
      writeFileSync(join(outside, 'secret.avsc'), JSON.stringify({ type: 'record', name: 'S', fields: [{ name: 'a', type: 'string' }] }));
      writeFileSync(join(outside, 'secret.proto'), 'syntax = "proto3"; package outside; message Secret { string a = 1; }');
      writeFileSync(join(folder, 'inside.avsc'), JSON.stringify({ type: 'record', name: 'In', fields: [{ name: 'b', type: 'int' }] }));
      const file = vscode.Uri.file(join(folder, '.vscode', 'decoders.json'));
      await vscode.workspace.fs.writeFile(
        file,
        Buffer.from(
          JSON.stringify({
            protoPaths: [outside],
            mappings: [
              { topic: 'out/#', codec: 'avro', schema: join(outside, 'secret.avsc') },
              { topic: 'in/#', codec: 'avro', schema: 'inside.avsc' },
            ],
          }),
        ),
      );
      const out = await until(async () => {
        const r = await (await codecs.load()).decodersJson.resolve({ topic: 'out/x' });
        return r && r;
      }, 'the mapping of out/#');
      assert.match(out.description, /cannot be read/, 'the outside schema is not read');
      assert.equal(out.ctx, undefined);
      const inside = await (await codecs.load()).decodersJson.resolve({ topic: 'in/x' });
      assert.deepEqual((inside?.ctx?.avro)?.name, 'inside.avsc');
      const protos = await (await codecs.load()).decodersJson.loadProtos();
      assert.deepEqual(protos.types, [], 'no .proto type from outside the workspace');
      const diags = vscode.languages.getDiagnostics(file).map((d) => d.message);
      assert.ok(diags.some((d) => d.includes(outside) && /outside the workspace folder: not read/.test(d)), diags.join('\n'));
    } finally {
      rmSync(outside, { recursive: true, force: true });
      rmSync(join(folder, 'inside.avsc'), { force: true });
      rmSync(join(folder, '.vscode', 'decoders.json'), { force: true });
    }
  });
});
