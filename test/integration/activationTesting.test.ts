// Runs right after activation.test.ts (files run in name order), before any test opens a message
// file: when VS Code asks for the workspace's tests (the Testing view), the controller registered at
// activation finds the .mqtt/.amqp files and loads the message-file support (dist/messages.js) to
// list them — no file is opened, and the test never asks to discover; files made, changed or
// deleted on disk follow.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, until } from './helpers';

const messagesLoaded = (): boolean => Object.keys(require.cache).some((f) => /[\\/]dist[\\/]messages\.js$/.test(f));
const folder = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

describe('the Testing view lists message-file tests before a message file is opened', function () {
  this.timeout(60_000);
  const watched = () => join(folder(), `messages/watched-${process.pid}.mqtt`);

  after(() => rmSync(watched(), { force: true }));

  it('the Testing view lists the tests of files never opened', async () => {
    const a = await api();
    assert.ok(!vscode.workspace.textDocuments.some((d) => /\.(mqtt|amqp)$/.test(d.uri.path)), 'no message file is open');
    await vscode.commands.executeCommand('workbench.view.testing.focus');
    await until(messagesLoaded, 'the Testing view asked for the tests', 20_000);
    const tests = await a.messages.tests();
    const mqttFile = vscode.Uri.file(join(folder(), 'messages/tests.mqtt')).toString();
    const amqpFile = vscode.Uri.file(join(folder(), 'messages/tests.amqp')).toString();
    await until(() => tests.listed().includes(`${mqttFile}#name:reading comes back`) && tests.listed().includes(`${amqpFile}#name:logs routes info`), 'the tests are listed', 20_000);
    assert.ok(!tests.listed().some((id) => id.includes('weather.mqtt')), 'a file without EXPECT is no suite');
    assert.ok(!vscode.workspace.textDocuments.some((d) => /\.(mqtt|amqp)$/.test(d.uri.path)), 'still no message file is open');
  });

  it('follows files on disk: a new file is listed, a change renames its test, a deleted file goes', async () => {
    const tests = await (await api()).messages.tests();
    const id = (name: string) => `${vscode.Uri.file(watched()).toString()}#name:${name}`;
    const file = (name: string) => `### ${name}\nPUBLISH mqtt://local/be-watched\n\nx\n\nEXPECT mqtt://local/be-watched\n`;
    writeFileSync(watched(), file('first'));
    await until(() => tests.listed().includes(id('first')), 'the new file is listed', 20_000);
    writeFileSync(watched(), file('second'));
    await until(() => tests.listed().includes(id('second')) && !tests.listed().includes(id('first')), 'the change is listed', 20_000);
    rmSync(watched());
    await until(() => !tests.listed().some((t) => t.startsWith(vscode.Uri.file(watched()).toString())), 'the deleted file is gone', 20_000);
  });
});
