//! cargo-fuzz target; the body is [`tact_fuzz::input_yaml`], which the smoke runner also calls.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tact_fuzz::input_yaml(data));
