"""tact: policy rules and coaching for customer-support conversations.

The same engine as the ``tact`` command line, compiled into this package: a :class:`Policy`
checks conversations given as dicts (the contract's JSON shape), Arrow tables or pandas
DataFrames, and :mod:`tact.spark` runs it on Spark. Violations carry the fields of
``tact check --format json``; scores those of ``tact score --format json``.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import Any, Dict, List, Mapping, NamedTuple, Sequence

from . import _native

__all__ = ["Policy", "PolicyError", "PolicyIssue", "InputError"]

#: A conversation (or an Arrow row) that cannot be read; the message names the row and the field.
InputError = _native.InputError


class PolicyIssue(NamedTuple):
    """One error of a policy: where it is and what is wrong."""

    path: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class PolicyError(ValueError):
    """A policy that does not compile. ``str()`` gives one ``file:line:col: message`` per error;
    ``errors`` holds them as :class:`PolicyIssue`."""

    def __init__(self, message: str, errors: Sequence[PolicyIssue]):
        super().__init__(message)
        self.errors: List[PolicyIssue] = list(errors)


def _compile(make: Any, *args: Any) -> "_native.NativePolicy":
    try:
        return make(*args)
    except _native.PolicyError as e:
        message, items = e.args
        raise PolicyError(message, [PolicyIssue(*item) for item in items]) from None


def _json_default(value: Any) -> str:
    """Times in a conversation dict: an aware datetime as is, a naive one as UTC."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not a conversation value")


class _Stream:
    """Hands a native stream capsule to pyarrow, which takes it once."""

    def __init__(self, capsule: Any):
        self._capsule = capsule

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        return self._capsule


def _arrow_stream(data: Any) -> Any:
    """A capsule of the Arrow C stream of ``data``: anything that exports one (pyarrow tables
    and readers, polars, DuckDB...), or a pyarrow RecordBatch."""
    if hasattr(data, "__arrow_c_stream__"):
        return data.__arrow_c_stream__()
    import pyarrow as pa

    return pa.table(data).__arrow_c_stream__()


def _to_table(capsule: Any) -> Any:
    import pyarrow as pa

    return pa.RecordBatchReader.from_stream(_Stream(capsule)).read_all()


#: Policies compiled in this process, by their sources: a Spark worker unpickles the policy for
#: every task, and compiles it once.
_COMPILED: Dict[Any, "_native.NativePolicy"] = {}


def _policy_from_sources(sources: Any) -> "Policy":
    key = None if sources is None else tuple(tuple(s) for s in sources)
    native = _COMPILED.get(key)
    if native is None:
        if sources is None:
            native = _native.NativePolicy.builtin()
        else:
            native = _compile(_native.NativePolicy.from_sources, list(sources))
        _COMPILED[key] = native
    return Policy(native)


class Policy:
    """A compiled policy. Compile once, check many conversations: it is immutable, safe to share
    between threads, and every check releases the GIL."""

    def __init__(self, native: "_native.NativePolicy"):
        self._native = native

    @classmethod
    def builtin(cls) -> "Policy":
        """The built-in policy: the 14 rules of ``tact rules``."""
        return cls(_native.NativePolicy.builtin())

    @classmethod
    def from_file(cls, path: "str | _os.PathLike[str]") -> "Policy":
        """Policy files: one file, or a folder whose ``*.policy`` files are read in name order.
        Raises :class:`PolicyError` (every error, with file:line:col) if it does not compile."""
        return cls(_compile(_native.NativePolicy.from_path, _os.fspath(path)))

    @classmethod
    def from_text(cls, text: str, name: str = "<text>") -> "Policy":
        """One policy file's text; errors name it ``name``."""
        return cls(_compile(_native.NativePolicy.from_text, text, name))

    def __reduce__(self) -> Any:
        # Pickled as its source texts (Spark ships it to executors that may not have the files).
        return (_policy_from_sources, (self._native.sources(),))

    @property
    def rules(self) -> List[str]:
        """The rule ids, in policy order."""
        return self._native.rule_ids()

    def check(self, conversation: Mapping[str, Any]) -> List[Dict[str, Any]]:
        """The violations of one conversation given as a dict in the contract's shape (``id``,
        ``events`` with ``type``, ``at``, ``from``, ``text``...). Each is a dict with the fields
        of a violation in ``tact check --format json`` (``rule``, ``severity``, ``message``,
        ``event``, ``span``, ``excerpt``, ``suggestion``, and ``detail`` when there is one).
        Raises :class:`InputError` if it is not a conversation."""
        text = _json.dumps(conversation, default=_json_default)
        return _json.loads(self._native.check_json(text))

    def score(self, conversation: Mapping[str, Any]) -> Dict[str, Any]:
        """The scorecard of one conversation, as ``tact score --format json`` writes it."""
        text = _json.dumps(conversation, default=_json_default)
        return _json.loads(self._native.score_json(text))

    def check_arrow(self, data: Any) -> Any:
        """The violations of every conversation of an Arrow table or record batch, in either
        schema of docs/python.md, as a ``pyarrow.Table`` (one row per violation: ``id`` and the
        fields of :meth:`check`). Needs pyarrow."""
        return _to_table(self._native.check_stream(_arrow_stream(data)))

    def score_arrow(self, data: Any) -> Any:
        """The scorecard of every conversation of an Arrow table or record batch, as a
        ``pyarrow.Table`` (one row per conversation). Needs pyarrow."""
        return _to_table(self._native.score_stream(_arrow_stream(data)))

    def check_pandas(self, frame: Any) -> Any:
        """:meth:`check_arrow` for a pandas DataFrame; returns a DataFrame."""
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        return self.check_arrow(table).to_pandas()

    def score_pandas(self, frame: Any) -> Any:
        """:meth:`score_arrow` for a pandas DataFrame; returns a DataFrame."""
        import pyarrow as pa

        table = pa.Table.from_pandas(frame, preserve_index=False)
        return self.score_arrow(table).to_pandas()

    def __repr__(self) -> str:
        return f"<tact.Policy with {len(self.rules)} rules>"
