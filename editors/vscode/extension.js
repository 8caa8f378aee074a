// Starts `tact lsp` for .policy files and tact.yaml, and stops it with the editor.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("tact").get("path") || "tact";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "tact",
    "tact",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "tact-policy" },
        { scheme: "untitled", language: "tact-policy" },
        { scheme: "file", pattern: "**/tact.{yaml,yml}" },
      ],
    }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
