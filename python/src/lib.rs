//! `tact._native`: the compiled policy, checking conversations given as JSON text or as Arrow
//! streams. The Python package (`python/tact/`) wraps it in the documented API; this module is
//! its engine room and is not meant to be used directly.

mod arrow_in;
mod arrow_out;
mod stream;

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

use tact::conversation::{Conversation, Origin};
use tact::dsl::{self, PolicyError as DslError};
use tact::engine::Engine;
use tact::report::ConversationReport;
use tact::score::{self, Scorecard};

create_exception!(
    _native,
    PolicyError,
    PyValueError,
    "A policy that does not compile: args are (message, [(path, line, column, code, message)])."
);
create_exception!(
    _native,
    InputError,
    PyValueError,
    "A conversation that cannot be read: the row or record, and what is wrong."
);

/// A compiled policy, shared by every check (it is immutable and `Sync`).
#[pyclass(frozen, module = "tact._native")]
struct NativePolicy {
    engine: Arc<Engine>,
    /// The policy files it was compiled from (`None`: the built-in policy), so that it can be
    /// sent to Spark executors, which may not have the files, and compiled again there.
    sources: Option<Vec<(String, String)>>,
}

#[pymethods]
impl NativePolicy {
    /// The built-in policy (the `rules/` folder compiled into tact).
    #[staticmethod]
    fn builtin() -> PyResult<Self> {
        let engine = tact::builtin_engine().map_err(PyValueError::new_err)?;
        Ok(NativePolicy {
            engine: Arc::new(engine),
            sources: None,
        })
    }

    /// Policy files: a file, or a folder whose `*.policy` files are read in name order.
    #[staticmethod]
    fn from_path(path: PathBuf) -> PyResult<Self> {
        let sources = dsl::read_sources(&[path]).map_err(policy_error)?;
        compile(sources)
    }

    /// One policy file's text, reported in errors under `name`.
    #[staticmethod]
    fn from_text(text: String, name: String) -> PyResult<Self> {
        compile(vec![dsl::PolicySource { path: name, text }])
    }

    /// Policy files given as `(path, text)` pairs, as [`Self::sources`] returns them.
    #[staticmethod]
    fn from_sources(sources: Vec<(String, String)>) -> PyResult<Self> {
        compile(
            sources
                .into_iter()
                .map(|(path, text)| dsl::PolicySource { path, text })
                .collect(),
        )
    }

    /// The policy files as `(path, text)` pairs, or `None` for the built-in policy.
    fn sources(&self) -> Option<Vec<(String, String)>> {
        self.sources.clone()
    }

    /// The rule ids, in policy order.
    fn rule_ids(&self) -> Vec<String> {
        self.engine
            .rules()
            .iter()
            .map(|r| r.id.to_string())
            .collect()
    }

    /// Checks one conversation given as JSON text; returns its violations as a JSON array of the
    /// JSON report's violation objects (without `location`: there is no file).
    fn check_json(&self, py: Python<'_>, json: String) -> PyResult<String> {
        let engine = Arc::clone(&self.engine);
        py.detach(move || {
            let conversation = conversation_from_json(&json)?;
            let report = engine.check(&conversation);
            serde_json::to_string(&report.violations).map_err(|e| e.to_string())
        })
        .map_err(InputError::new_err)
    }

    /// Scores one conversation given as JSON text; returns its scorecard as JSON, as
    /// `tact score --format json` writes it.
    fn score_json(&self, py: Python<'_>, json: String) -> PyResult<String> {
        let engine = Arc::clone(&self.engine);
        py.detach(move || {
            let conversation = conversation_from_json(&json)?;
            let card = scorecard(&engine, &conversation, &engine.check(&conversation));
            serde_json::to_string(&card).map_err(|e| e.to_string())
        })
        .map_err(InputError::new_err)
    }

    /// Checks every conversation of an Arrow C stream (a PyCapsule, either schema of
    /// docs/python.md); returns a stream of the violations table.
    fn check_stream<'py>(
        &self,
        py: Python<'py>,
        capsule: &Bound<'py, PyCapsule>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        self.over_stream(py, capsule, |engine, conversations| {
            let reports: Vec<(String, ConversationReport)> = conversations
                .into_iter()
                .map(|c| {
                    let report = engine.check(&c);
                    (c.id, report)
                })
                .collect();
            arrow_out::violations(&reports)
        })
    }

    /// Scores every conversation of an Arrow C stream; returns a stream of the scores table.
    fn score_stream<'py>(
        &self,
        py: Python<'py>,
        capsule: &Bound<'py, PyCapsule>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        self.over_stream(py, capsule, |engine, conversations| {
            let cards: Vec<Scorecard> = conversations
                .iter()
                .map(|c| scorecard(engine, c, &engine.check(c)))
                .collect();
            arrow_out::scores(&cards)
        })
    }
}

impl NativePolicy {
    /// Reads the conversations of an Arrow C stream, runs `table` over them with the GIL
    /// released, and hands its table back as a stream: the one path of check_stream and
    /// score_stream.
    fn over_stream<'py>(
        &self,
        py: Python<'py>,
        capsule: &Bound<'py, PyCapsule>,
        table: impl FnOnce(&Engine, Vec<Conversation>) -> Result<arrow_array::RecordBatch, String>
            + Send,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let reader = stream::import(capsule)?;
        let engine = Arc::clone(&self.engine);
        let batch = py
            .detach(move || table(&engine, arrow_in::read_conversations(reader)?))
            .map_err(InputError::new_err)?;
        stream::export(py, batch)
    }
}

fn compile(sources: Vec<dsl::PolicySource>) -> PyResult<NativePolicy> {
    let policy = dsl::parse_policy(&sources).map_err(policy_error)?;
    let engine = Engine::new(&policy).map_err(PyValueError::new_err)?;
    Ok(NativePolicy {
        engine: Arc::new(engine),
        sources: Some(sources.into_iter().map(|s| (s.path, s.text)).collect()),
    })
}

/// The errors as one message (`file:line:col: message` per line) and as tuples.
fn policy_error(errors: Vec<DslError>) -> PyErr {
    let message = errors
        .iter()
        .map(|e| format!("{}:{}:{}: {}", e.path, e.line, e.col, e.message))
        .collect::<Vec<_>>()
        .join("\n");
    let items: Vec<(String, usize, usize, &str, String)> = errors
        .iter()
        .map(|e| (e.path.clone(), e.line, e.col, e.code, e.message.clone()))
        .collect();
    PolicyError::new_err((message, items))
}

/// A conversation from JSON text, read exactly as `tact check` reads a JSON record.
fn conversation_from_json(json: &str) -> Result<Conversation, String> {
    let value: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let origin = Origin {
        path: "<python>".to_string(),
        line: 1,
        ..Origin::default()
    };
    tact::input::conversation_from_value(value, origin)
}

fn scorecard(
    engine: &Engine,
    conversation: &Conversation,
    report: &ConversationReport,
) -> Scorecard {
    score::score(engine.rules(), conversation, report)
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NativePolicy>()?;
    m.add("PolicyError", m.py().get_type::<PolicyError>())?;
    m.add("InputError", m.py().get_type::<InputError>())?;
    Ok(())
}
