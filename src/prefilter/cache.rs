//! The regexes' required literal sets kept between runs (see `crate::cache`): finding them
//! (parsing each regex into a syntax tree, then extracting) was over a third of a short run's
//! start-up. This is their layout in a cache file, and the bounds every read is checked against.

use crate::cache::{Entry, Reader};

use super::literals::{Required, LITERAL_LENGTH, MAX_LITERALS, MAX_SETS};

/// Bumped whenever the file layout changes.
const FORMAT: &[u8] = b"tact literal sets 2\n";

/// Where the literal sets of `sources` (parsed as `kind` says) are kept; `None` when the cache
/// is off and they are not built in.
pub(crate) fn entry(kind: &str, sources: &[&str]) -> Option<Entry> {
    crate::cache::entry("literals", FORMAT, kind, sources)
}

/// The sets kept for `count` regexes in `entry`, if the file is there and sound.
pub(crate) fn load(entry: &Entry, count: usize) -> Option<Vec<Vec<Required>>> {
    decode(&entry.load(max_body(count))?, count)
}

/// Keeps `sets` in `entry`.
pub(crate) fn store(entry: &Entry, sets: &[Vec<Required>]) {
    entry.store(&encode(sets));
}

/// The largest body `count` regexes can have within the bounds of the literal sets.
fn max_body(count: usize) -> usize {
    let set = 2 + MAX_LITERALS * (1 + LITERAL_LENGTH);
    count.saturating_mul(1 + MAX_SETS * set).saturating_add(8)
}

/// The body: the number of regexes (u64), then for each the number of its sets (u8), for each
/// set the number of its literals (u16), for each literal its length (u8) and bytes.
fn encode(sets: &[Vec<Required>]) -> Vec<u8> {
    let mut body = (sets.len() as u64).to_le_bytes().to_vec();
    for regex in sets {
        body.push(regex.len() as u8);
        for set in regex {
            body.extend((set.len() as u16).to_le_bytes());
            for literal in set {
                body.push(literal.len() as u8);
                body.extend(literal);
            }
        }
    }
    body
}

/// The sets of a body [`encode`] wrote for `count` regexes; `None` if it is not exactly that.
fn decode(body: &[u8], count: usize) -> Option<Vec<Vec<Required>>> {
    if body.len() > max_body(count) {
        return None;
    }
    let mut reader = Reader(body);
    let regexes = reader.u64()?;
    if regexes != count as u64 {
        return None;
    }
    let mut all = Vec::with_capacity(count);
    for _ in 0..count {
        let sets = usize::from(reader.u8()?);
        if sets > MAX_SETS {
            return None;
        }
        let mut regex = Vec::with_capacity(sets);
        for _ in 0..sets {
            let literals = usize::from(reader.u16()?);
            if literals == 0 || literals > MAX_LITERALS {
                return None;
            }
            let mut set = Vec::with_capacity(literals);
            for _ in 0..literals {
                let len = usize::from(reader.u8()?);
                if len == 0 || len > LITERAL_LENGTH {
                    return None;
                }
                set.push(reader.take(len)?.to_vec());
            }
            regex.push(set);
        }
        all.push(regex);
    }
    reader.is_empty().then_some(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Vec<Required>> {
        vec![
            vec![
                vec![b"sorry".to_vec()],
                vec![b"but".to_vec(), b"yet".to_vec()],
            ],
            vec![],
            vec![vec![b"refund".to_vec()]],
        ]
    }

    #[test]
    fn what_is_stored_is_read_back() {
        assert_eq!(decode(&encode(&sample()), 3), Some(sample()));
    }

    #[test]
    fn another_count_or_a_cut_or_longer_body_is_a_miss() {
        let body = encode(&sample());
        assert_eq!(decode(&body, 2), None);
        for len in 0..body.len() {
            assert_eq!(decode(&body[..len], 3), None, "cut at {len}");
        }
        let mut longer = body.clone();
        longer.push(0);
        assert_eq!(decode(&longer, 3), None);
    }

    /// A body whose checksum is right (as an attacker could write) but whose sets break the
    /// bounds is refused, without panicking or allocating without bound.
    #[test]
    fn sets_beyond_the_bounds_are_refused() {
        let too_long = vec![vec![vec![vec![b'a'; LITERAL_LENGTH + 1]]]];
        let empty_literal = vec![vec![vec![vec![]]]];
        let empty_set = vec![vec![vec![]]];
        let too_many_sets = vec![vec![vec![b"a".to_vec()]; MAX_SETS + 1]];
        for sets in [too_long, empty_literal, empty_set, too_many_sets] {
            assert_eq!(decode(&encode(&sets), 1), None, "{sets:?}");
        }
        assert_eq!(decode(&u64::MAX.to_le_bytes(), 1), None);
    }

    #[test]
    fn sets_are_kept_in_an_entry() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let entry = Entry::at(&dir.path().join("literals.bin"), FORMAT, [7; 32]);
        assert_eq!(load(&entry, 3), None);
        store(&entry, &sample());
        assert_eq!(load(&entry, 3), Some(sample()));
    }
}
