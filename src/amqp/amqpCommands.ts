// The AMQP view's commands, one file per group: view (refresh, show by name, filter queues),
// topology (declare, bind, delete) and messages (publish, tap, peek, purge).
import type * as vscode from 'vscode';
import { amqpCommandContext, type AmqpServices } from './amqpTargets';
import { amqpMessageCommands } from './messageCommands';
import { amqpTopologyCommands } from './topologyCommands';
import { amqpViewCommands } from './viewCommands';

export function registerAmqpCommands(services: AmqpServices): vscode.Disposable[] {
  const context = amqpCommandContext(services);
  return [...amqpViewCommands(context), ...amqpTopologyCommands(context), ...amqpMessageCommands(context)];
}
