// Hovers, completion and the outline of mosquitto.conf documents, from the option catalog and the
// parser of the core (no lint: each answers from the text alone).
import * as vscode from 'vscode';
import { findOption, parseConf } from '../core/conf';
import { completionsAt, optionMarkdown, outline, placeAt, type OutlineEntry } from '../core/conf/assist';
import { docFile, toRange } from './confDocument';

export const hoverProvider: vscode.HoverProvider = {
  provideHover(doc, position) {
    const parsed = parseConf(doc.lineAt(position.line).text, docFile(doc));
    const place = placeAt(parsed, 0, position.character);
    if (!place) {
      return undefined;
    }
    const name = place.line.name?.text ?? '';
    const info = findOption(name);
    if (!info) {
      return undefined;
    }
    const range = new vscode.Range(position.line, place.token.start, position.line, place.token.end);
    const md = new vscode.MarkdownString(optionMarkdown(info));
    md.isTrusted = false;
    md.supportHtml = false;
    return new vscode.Hover(md, range);
  },
};

export const completionProvider: vscode.CompletionItemProvider = {
  provideCompletionItems(doc, position) {
    const parsed = parseConf(doc.getText(), docFile(doc));
    const lineText = doc.lineAt(position.line).text;
    const c = completionsAt(parsed, position.line, position.character, lineText);
    if (!c) {
      return undefined;
    }
    const range = toRange(c.span);
    if (c.kind === 'value') {
      return c.values.map((v) => {
        const item = new vscode.CompletionItem(v, vscode.CompletionItemKind.EnumMember);
        item.range = range;
        item.detail = c.option.name;
        return item;
      });
    }
    return c.options.map(({ info, rank }) => {
      const item = new vscode.CompletionItem(info.name, vscode.CompletionItemKind.Property);
      item.range = range;
      item.detail = info.syntax;
      item.documentation = new vscode.MarkdownString(optionMarkdown(info));
      item.sortText = `${rank}${info.name}`;
      item.insertText = info.name + ' ';
      if (info.deprecated) {
        item.tags = [vscode.CompletionItemTag.Deprecated];
      }
      if (info.values?.length || /true \| false|true\|false/.test(info.syntax)) {
        item.command = { command: 'editor.action.triggerSuggest', title: vscode.l10n.t('Suggest values') };
      }
      return item;
    });
  },
};

const SYMBOL_KIND: Record<OutlineEntry['kind'], vscode.SymbolKind> = {
  listener: vscode.SymbolKind.Interface,
  bridge: vscode.SymbolKind.Module,
  option: vscode.SymbolKind.Property,
};

function toSymbol(doc: vscode.TextDocument, e: OutlineEntry): vscode.DocumentSymbol {
  const end = doc.lineAt(Math.min(e.range.end, doc.lineCount - 1)).range.end;
  const range = new vscode.Range(e.range.start, 0, end.line, end.character);
  const selection = toRange(e.selection);
  const symbol = new vscode.DocumentSymbol(e.label, e.detail, SYMBOL_KIND[e.kind], range, range.contains(selection) ? selection : range);
  symbol.children = e.children.map((c) => toSymbol(doc, c));
  return symbol;
}

export const symbolProvider: vscode.DocumentSymbolProvider = {
  provideDocumentSymbols(doc) {
    return outline(parseConf(doc.getText(), docFile(doc))).map((e) => toSymbol(doc, e));
  },
};
