//! A Thompson NFA as bytes, and back: how compiled cues are kept in the cache (`crate::cache`).
//!
//! The regex crates cannot serialize an NFA, but they build one from its states through
//! `thompson::Builder`; adding the states of a compiled NFA in order gives back the same NFA,
//! state for state (tested on every cue). Reading one back is a few microseconds per thousand
//! states, where parsing and compiling the regex again is a hundred times that.
//!
//! Every word read is checked: state ids within the NFA, ranges ordered, look-arounds known,
//! unions of two alternates or more (the builder would follow a cycle of one-alternate unions
//! forever), every group an end names declared by a start, group 0 unnamed, and the whole
//! within the size limit. A file that breaks any of these is a miss, never a panic.

use regex_automata::nfa::thompson::{self, State, Transition, WhichCaptures, NFA};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::StateID;
use regex_automata::PatternID;

use crate::cache::Reader;

/// The most states an NFA read back may have: far above any cue's, far below what would hurt.
const MAX_STATES: u32 = 1 << 21;

/// The most groups, and the longest group name, an NFA read back may have.
const MAX_GROUPS: u32 = 1 << 12;
const MAX_NAME: usize = u8::MAX as usize;

/// The most capture slots, summed over the states, an NFA read back may ask a search for: a
/// PikeVM keeps slots for every state, so states times slots is the memory it takes (eight
/// bytes each, twice). Far above any regex tact compiles (`every_kept_regex_is_within_the_slot_budget`).
pub(crate) const SLOT_BUDGET: u64 = 1 << 22;

const BYTE_RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const CAPTURE_START: u8 = 4;
const CAPTURE_END: u8 = 5;
const FAIL: u8 = 6;
const MATCH: u8 = 7;

/// Appends `nfa` (one pattern, as the cues are) to `out`; `None` if it holds what
/// [`decode`] would refuse.
pub(crate) fn encode(nfa: &NFA, out: &mut Vec<u8>) -> Option<()> {
    if nfa.pattern_len() != 1 || nfa.states().len() > MAX_STATES as usize {
        return None;
    }
    let id = |out: &mut Vec<u8>, sid: StateID| out.extend(sid.as_u32().to_le_bytes());
    out.extend((nfa.states().len() as u32).to_le_bytes());
    id(out, nfa.start_anchored());
    id(out, nfa.start_unanchored());
    id(out, nfa.start_pattern(PatternID::ZERO)?);
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => {
                out.push(BYTE_RANGE);
                transition(out, trans);
            }
            State::Sparse(sparse) => {
                out.push(SPARSE);
                out.extend(u32::try_from(sparse.transitions.len()).ok()?.to_le_bytes());
                for trans in sparse.transitions.iter() {
                    transition(out, trans);
                }
            }
            State::Dense(_) => return None,
            State::Look { look, next } => {
                out.push(LOOK);
                out.extend(look.as_repr().to_le_bytes());
                id(out, *next);
            }
            State::Union { alternates } => {
                out.push(UNION);
                out.extend(u32::try_from(alternates.len()).ok()?.to_le_bytes());
                for alt in alternates.iter() {
                    id(out, *alt);
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                out.push(UNION);
                out.extend(2u32.to_le_bytes());
                id(out, *alt1);
                id(out, *alt2);
            }
            State::Capture {
                next,
                group_index,
                slot,
                ..
            } => {
                // One pattern: group g's slots are 2g where it starts and 2g + 1 where it ends.
                let start = slot.as_usize() % 2 == 0;
                out.push(if start { CAPTURE_START } else { CAPTURE_END });
                out.extend(group_index.as_u32().to_le_bytes());
                if start {
                    let name = nfa
                        .group_info()
                        .to_name(PatternID::ZERO, group_index.as_usize());
                    let name = name.map_or(&[][..], |n| n.as_bytes());
                    if name.len() > MAX_NAME {
                        return None;
                    }
                    out.push(name.len() as u8);
                    out.extend(name);
                }
                id(out, *next);
            }
            State::Fail => out.push(FAIL),
            State::Match { .. } => out.push(MATCH),
        }
    }
    Some(())
}

fn transition(out: &mut Vec<u8>, trans: &Transition) {
    out.push(trans.start);
    out.push(trans.end);
    out.extend(trans.next.as_u32().to_le_bytes());
}

/// Reads one NFA [`encode`] wrote from `reader`, built as `config` says (its UTF-8 mode, its
/// direction, its look-around matcher and size limit); `None` if the bytes are not one.
pub(crate) fn decode(reader: &mut Reader<'_>, config: &thompson::Config) -> Option<NFA> {
    let states = reader.u32()?;
    if states == 0 || states > MAX_STATES {
        return None;
    }
    let id = |reader: &mut Reader<'_>| -> Option<StateID> {
        let raw = reader.u32()?;
        (raw < states).then(|| StateID::new(raw as usize).ok())?
    };
    let (start_anchored, start_unanchored, start_pattern) = (id(reader)?, id(reader)?, id(reader)?);
    let mut builder = thompson::Builder::new();
    builder.set_utf8(config.get_utf8());
    builder.set_reverse(config.get_reverse());
    builder.set_look_matcher(config.get_look_matcher());
    builder.set_size_limit(config.get_nfa_size_limit()).ok()?;
    builder.start_pattern().ok()?;
    // Groups a start declares (one more than the highest), and the highest an end names.
    let (mut declared, mut ended) = (0u32, None);
    for _ in 0..states {
        match reader.u8()? {
            BYTE_RANGE => builder.add_range(read_transition(reader, &id)?).ok()?,
            SPARSE => {
                let count = reader.u32()?;
                // Each transition takes six bytes: a count beyond what is left is a lie.
                if count < 2 || count as usize > reader.0.len() / 6 {
                    return None;
                }
                let transitions = (0..count)
                    .map(|_| read_transition(reader, &id))
                    .collect::<Option<Vec<_>>>()?;
                builder.add_sparse(transitions).ok()?
            }
            LOOK => {
                let look = Look::from_repr(reader.u32()?)?;
                builder.add_look(id(reader)?, look).ok()?
            }
            UNION => {
                let count = reader.u32()?;
                if count < 2 || count as usize > reader.0.len() / 4 {
                    return None;
                }
                let alternates = (0..count).map(|_| id(reader)).collect::<Option<Vec<_>>>()?;
                builder.add_union(alternates).ok()?
            }
            CAPTURE_START => {
                let group = reader.u32()?;
                let len = usize::from(reader.u8()?);
                let name = std::str::from_utf8(reader.take(len)?).ok()?;
                if group >= MAX_GROUPS || (group == 0 && !name.is_empty()) {
                    return None;
                }
                declared = declared.max(group + 1);
                let name = (!name.is_empty()).then(|| std::sync::Arc::from(name));
                builder.add_capture_start(id(reader)?, group, name).ok()?
            }
            CAPTURE_END => {
                let group = reader.u32()?;
                ended = ended.max(Some(group));
                builder.add_capture_end(id(reader)?, group).ok()?
            }
            FAIL => builder.add_fail().ok()?,
            MATCH => builder.add_match().ok()?,
            _ => return None,
        };
    }
    // The builder looks up an end's group, which only a start declares.
    if ended.is_some_and(|group| group >= declared) {
        return None;
    }
    // No more groups than the NFA was compiled with, nor more slots than a search can afford.
    let allowed = match config.get_which_captures() {
        WhichCaptures::None => 0,
        WhichCaptures::Implicit => 1,
        WhichCaptures::All => MAX_GROUPS,
    };
    if declared > allowed || slots(states as usize, declared as usize) > SLOT_BUDGET {
        return None;
    }
    builder.finish_pattern(start_pattern).ok()?;
    builder.build(start_anchored, start_unanchored).ok()
}

/// The capture slots a search keeps for an NFA of `states` states and `groups` groups.
pub(crate) fn slots(states: usize, groups: usize) -> u64 {
    (states as u64)
        .saturating_mul(2)
        .saturating_mul(groups as u64)
}

fn read_transition(
    reader: &mut Reader<'_>,
    id: &impl Fn(&mut Reader<'_>) -> Option<StateID>,
) -> Option<Transition> {
    let (start, end) = (reader.u8()?, reader.u8()?);
    if start > end {
        return None;
    }
    Some(Transition {
        start,
        end,
        next: id(reader)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(reverse: bool) -> thompson::Config {
        thompson::Config::new()
            .utf8(false)
            .shrink(false)
            .reverse(reverse)
            .which_captures(if reverse {
                WhichCaptures::None
            } else {
                WhichCaptures::All
            })
    }

    fn compile(pattern: &str, reverse: bool) -> NFA {
        thompson::Compiler::new()
            .syntax(regex_automata::util::syntax::Config::new().utf8(false))
            .configure(config(reverse))
            .build(pattern)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    fn round_trip(nfa: &NFA, reverse: bool) -> Option<NFA> {
        let mut bytes = Vec::new();
        encode(nfa, &mut bytes)?;
        let mut reader = Reader(&bytes);
        let back = decode(&mut reader, &config(reverse))?;
        reader.is_empty().then_some(back)
    }

    #[test]
    fn an_nfa_read_back_is_the_same_nfa() {
        for pattern in [
            r"(?-u)\bsorry\b|\bapologi[sz](e|ed|ing|es)\b",
            r"(?-u)^(please |kindly )?(send|dm) (me|us)?\s*(with )?(your|the)",
            r"(?-u)\?+([\s'\x22)\]]|$)",
            r"(?-u)(a|b|c|d)*x{2,5}[^.?!]+$",
            r"(?P<tact_match>we (?P<hit>can|will)) (send|refund)(?P<after>\s+it)?",
            r"",
        ] {
            for reverse in [false, true] {
                let nfa = compile(pattern, reverse);
                let back = round_trip(&nfa, reverse).unwrap_or_else(|| panic!("{pattern}"));
                assert_eq!(format!("{nfa:?}"), format!("{back:?}"), "{pattern}");
            }
        }
    }

    /// No cut, changed byte or forged count makes reading fail other than with `None`.
    #[test]
    fn broken_bytes_are_refused_without_panicking() {
        let nfa = compile(r"(?-u)\b(we|i) (can|will) (send|refund)\b", false);
        let mut bytes = Vec::new();
        encode(&nfa, &mut bytes).unwrap_or_else(|| panic!("encodes"));
        for len in 0..bytes.len() {
            assert!(decode(&mut Reader(&bytes[..len]), &config(false)).is_none());
        }
        for at in 0..bytes.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut changed = bytes.clone();
                changed[at] ^= flip;
                // Some changes still make an NFA (another byte range, say); none may panic.
                let _ = decode(&mut Reader(&changed), &config(false));
            }
        }
        let mut huge = bytes.clone();
        huge[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&mut Reader(&huge), &config(false)).is_none());
    }

    /// An NFA with more groups than it is read back as keeping is refused: a search's memory
    /// grows with them.
    #[test]
    fn more_groups_than_the_configuration_keeps_are_refused() {
        let nfa = compile(r"(?-u)(a)(b)(c)", false);
        let mut bytes = Vec::new();
        encode(&nfa, &mut bytes).unwrap_or_else(|| panic!("encodes"));
        assert!(decode(&mut Reader(&bytes), &config(false)).is_some());
        let implicit = config(false).which_captures(WhichCaptures::Implicit);
        assert!(decode(&mut Reader(&bytes), &implicit).is_none());
        let none = config(false).which_captures(WhichCaptures::None);
        assert!(decode(&mut Reader(&bytes), &none).is_none());
        assert!(slots(1 << 20, 3) > SLOT_BUDGET);
    }

    #[test]
    fn a_one_alternate_union_or_an_end_without_a_start_is_refused() {
        let header = |states: u32| {
            let mut b = states.to_le_bytes().to_vec();
            for _ in 0..3 {
                b.extend(0u32.to_le_bytes());
            }
            b
        };
        // A union of one alternate pointing at itself.
        let mut cycle = header(1);
        cycle.push(UNION);
        cycle.extend(1u32.to_le_bytes());
        cycle.extend(0u32.to_le_bytes());
        assert!(decode(&mut Reader(&cycle), &config(false)).is_none());
        // A capture end with no start, then a match.
        let mut end = header(2);
        end.push(CAPTURE_END);
        end.extend(0u32.to_le_bytes());
        end.extend(1u32.to_le_bytes());
        end.push(MATCH);
        assert!(decode(&mut Reader(&end), &config(false)).is_none());
    }
}
