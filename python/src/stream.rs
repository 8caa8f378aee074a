//! Arrow data in and out through the C stream interface, as PyCapsules (the Arrow PyCapsule
//! protocol), so any Arrow library (pyarrow, polars, DuckDB...) can hand tables over without a
//! copy and without this module linking to any of them.

use std::ffi::CStr;

use arrow_array::ffi_stream::{FFI_ArrowArrayStream, RecordBatchStreamReader};
use arrow_array::{RecordBatch, RecordBatchIterator};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;

/// The name the protocol gives a stream's capsule.
const STREAM: &CStr = c"arrow_array_stream";

/// Takes the stream out of a capsule made by `__arrow_c_stream__`; the capsule is left holding
/// a released stream, as the protocol asks of a consumer.
pub fn import(capsule: &Bound<'_, PyCapsule>) -> PyResult<RecordBatchStreamReader> {
    let pointer = capsule.pointer_checked(Some(STREAM))?;
    // SAFETY: the name check above makes this an `ArrowArrayStream` by the protocol; `from_raw`
    // moves it out and leaves an empty (released) one behind, so it is released exactly once.
    let reader = unsafe { RecordBatchStreamReader::from_raw(pointer.cast().as_ptr()) };
    reader.map_err(|e| PyValueError::new_err(format!("not an Arrow stream: {e}")))
}

/// Wraps one batch as a stream capsule; a consumer that never takes it leaves it to the
/// capsule's destructor to release.
pub fn export(py: Python<'_>, batch: RecordBatch) -> PyResult<Bound<'_, PyCapsule>> {
    let schema = batch.schema();
    let reader = RecordBatchIterator::new(vec![Ok(batch)], schema);
    let stream = FFI_ArrowArrayStream::new(Box::new(reader));
    PyCapsule::new_with_value(py, stream, STREAM)
}
