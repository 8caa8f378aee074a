//! `tact lsp`: a language server for policy files (and `tact.yaml`) over stdio, on the
//! synchronous `lsp-server` scaffold. It shares the parser, validator, formatter and example
//! runner with the CLI: an editor shows what `tact policy check` and `tact policy test` say.

mod completion;
mod config_links;
mod diagnostics;
mod hover;
mod names;
mod positions;
mod words;
mod workspace;

use std::error::Error;

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, Formatting, GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::{
    CompletionOptions, GotoDefinitionResponse, Hover, HoverContents, HoverProviderCapability,
    Location, MarkupContent, MarkupKind, OneOf, PublishDiagnosticsParams, ServerCapabilities,
    TextDocumentPositionParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Url,
};
use serde_json::Value;

use positions::LineIndex;
use workspace::{path_of, uri_of, view, Documents, PolicyView};

/// How long the server waits for more edits before analysing the ones it has.
const COALESCE: std::time::Duration = std::time::Duration::from_millis(10);

/// What can stop the server: the connection failing, or a message it cannot encode.
pub type ServerError = Box<dyn Error + Send + Sync>;

/// Serves editors over stdin and stdout until they ask the server to exit.
pub fn serve_stdio() -> Result<(), ServerError> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// What the server can do, as it tells the editor.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions::default()),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Answers one editor on `connection`: the handshake, then requests and notifications until
/// `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), ServerError> {
    let capabilities = serde_json::to_value(capabilities())?;
    let (id, _) = connection.initialize_start()?;
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "tact", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut documents = Documents::default();
    let mut pending: Option<Message> = None;
    loop {
        let message = match pending.take() {
            Some(message) => message,
            None => match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => return Ok(()),
            },
        };
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = respond(&documents, request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                let mut changed: Vec<Url> =
                    update(&mut documents, notification).into_iter().collect();
                // Edits that came while the last ones were analysed are applied together, so
                // fast typing does not queue one analysis per keystroke. (The connection hands
                // messages over one at a time, so waiting a moment lets the next one through.)
                while let Ok(next) = connection.receiver.recv_timeout(COALESCE) {
                    match next {
                        Message::Notification(n) => changed.extend(update(&mut documents, n)),
                        other => {
                            pending = Some(other);
                            break;
                        }
                    }
                }
                if !changed.is_empty() {
                    publish(connection, &documents, &changed)?;
                }
            }
            Message::Response(_) => {}
        }
    }
}

/// Applies an open, change or close; returns the document it was about.
fn update(documents: &mut Documents, notification: Notification) -> Option<Url> {
    match notification.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let params: lsp_types::DidOpenTextDocumentParams =
                serde_json::from_value(notification.params).ok()?;
            let uri = params.text_document.uri;
            let is_policy = params.text_document.language_id == "tact-policy";
            documents.open(uri.clone(), params.text_document.text, is_policy);
            Some(uri)
        }
        DidChangeTextDocument::METHOD => {
            let params: lsp_types::DidChangeTextDocumentParams =
                serde_json::from_value(notification.params).ok()?;
            // Full sync: the last change holds the whole text.
            let text = params.content_changes.into_iter().last()?.text;
            let uri = params.text_document.uri;
            documents.set(uri.clone(), text);
            Some(uri)
        }
        DidCloseTextDocument::METHOD => {
            let params: lsp_types::DidCloseTextDocumentParams =
                serde_json::from_value(notification.params).ok()?;
            documents.close(&params.text_document.uri);
            Some(params.text_document.uri)
        }
        _ => None,
    }
}

/// Publishes the diagnostics of every open policy document (a change to one file can break or
/// mend another: a phrase set renamed), and clears those of a closed one.
fn publish(
    connection: &Connection,
    documents: &Documents,
    changed: &[Url],
) -> Result<(), ServerError> {
    let mut uris = documents.policy_documents();
    for closed in changed.iter().filter(|u| documents.text(u).is_none()) {
        if !uris.contains(closed) {
            uris.push(closed.clone());
        }
    }
    for uri in uris {
        let diagnostics = view(&uri, documents)
            .map(|v| diagnostics::diagnostics(&v))
            .unwrap_or_default();
        let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
        connection
            .sender
            .send(Message::Notification(Notification::new(
                PublishDiagnostics::METHOD.to_string(),
                params,
            )))?;
    }
    Ok(())
}

/// The response to one request: its result, `null` where there is nothing to say, or an error
/// for a request the server does not know or cannot read.
fn respond(documents: &Documents, request: Request) -> Response {
    let id = request.id.clone();
    let result = match request.method.as_str() {
        HoverRequest::METHOD => with_position(documents, request.params, on_hover),
        GotoDefinition::METHOD => with_position(documents, request.params, on_definition),
        References::METHOD => with_position(documents, request.params, on_references),
        Completion::METHOD => with_position(documents, request.params, on_completion),
        Formatting::METHOD => on_formatting(documents, request.params),
        _ => {
            return Response::new_err(
                id,
                ErrorCode::MethodNotFound as i32,
                format!("tact does not answer `{}`", request.method),
            )
        }
    };
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err(message) => invalid_params(id, message),
    }
}

fn invalid_params(id: RequestId, message: String) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, message)
}

/// The document and byte a position request is about.
struct At<'a> {
    uri: Url,
    text: &'a str,
    offset: usize,
    documents: &'a Documents,
}

impl At<'_> {
    fn view(&self) -> Option<PolicyView> {
        view(&self.uri, self.documents)
    }

    fn is_config(&self) -> bool {
        self.uri.path().ends_with("/tact.yaml") || self.uri.path().ends_with("/tact.yml")
    }
}

/// Reads a request's document and position, runs `answer`, and encodes what it says.
fn with_position<T: serde::Serialize>(
    documents: &Documents,
    params: Value,
    answer: fn(&At<'_>) -> Option<T>,
) -> Result<Value, String> {
    let params: TextDocumentPositionParams =
        serde_json::from_value(params).map_err(|e| e.to_string())?;
    let uri = params.text_document.uri;
    let Some(text) = documents.text(&uri) else {
        return Ok(Value::Null);
    };
    let offset = LineIndex::new(text).offset(params.position);
    let at = At {
        uri: uri.clone(),
        text,
        offset,
        documents,
    };
    serde_json::to_value(answer(&at)).map_err(|e| e.to_string())
}

fn on_hover(at: &At<'_>) -> Option<Hover> {
    if at.is_config() {
        return None;
    }
    let view = at.view()?;
    let markdown = hover::hover(&view, at.offset)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: None,
    })
}

fn on_definition(at: &At<'_>) -> Option<GotoDefinitionResponse> {
    if at.is_config() {
        let config = path_of(&at.uri)?;
        let files = config_links::linked_policy_files(&config, at.text, at.offset);
        let locations: Vec<Location> = files
            .iter()
            .filter_map(|f| uri_of(&f.display().to_string()))
            .map(|uri| Location::new(uri, lsp_types::Range::default()))
            .collect();
        return (!locations.is_empty()).then_some(GotoDefinitionResponse::Array(locations));
    }
    let view = at.view()?;
    let name = names::name_at(&view, at.offset)?;
    let places = names::definitions(&view, &name);
    Some(GotoDefinitionResponse::Array(locations(
        &view, &at.uri, &places,
    )))
}

fn on_references(at: &At<'_>) -> Option<Vec<Location>> {
    if at.is_config() {
        return None;
    }
    let view = at.view()?;
    let name = names::name_at(&view, at.offset)?;
    let mut places = names::definitions(&view, &name);
    places.extend(names::uses(&view, &name));
    Some(locations(&view, &at.uri, &places))
}

fn on_completion(at: &At<'_>) -> Option<Vec<lsp_types::CompletionItem>> {
    if at.is_config() {
        return Some(completion::config_completions());
    }
    let view = at.view()?;
    Some(completion::policy_completions(&view, at.offset))
}

/// `tact policy fmt` of the whole document, as one edit; nothing when it has syntax errors
/// (the diagnostics show them).
fn on_formatting(documents: &Documents, params: Value) -> Result<Value, String> {
    let params: lsp_types::DocumentFormattingParams =
        serde_json::from_value(params).map_err(|e| e.to_string())?;
    let uri = params.text_document.uri;
    let Some(text) = documents.text(&uri) else {
        return Ok(Value::Null);
    };
    let edits = match crate::dsl::format::format_policy(uri.as_str(), text) {
        Ok(formatted) if formatted != text => {
            vec![TextEdit::new(LineIndex::new(text).whole(), formatted)]
        }
        _ => Vec::new(),
    };
    serde_json::to_value(edits).map_err(|e| e.to_string())
}

/// Places in the policy's files as the protocol's locations.
/// The document itself keeps the URI the editor gave it.
fn locations(view: &PolicyView, this_uri: &Url, places: &[names::Place]) -> Vec<Location> {
    places
        .iter()
        .filter_map(|&(file, span)| {
            let source = view.sources.get(file)?;
            let uri = if file == view.this {
                this_uri.clone()
            } else {
                uri_of(&source.path)?
            };
            let range = LineIndex::new(&source.text).range(span);
            Some(Location::new(uri, range))
        })
        .collect()
}
