//! cargo-fuzz target; the body is [`tact_fuzz::policy`], which the smoke runner also calls.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tact_fuzz::policy(data));
