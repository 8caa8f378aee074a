//! cargo-fuzz target; the body is [`tact_fuzz::macro_locate`], which the smoke runner also calls.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| tact_fuzz::macro_locate(data));
