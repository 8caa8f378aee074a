//! The learned reader's weights as a table built when tact is built (`build.rs` includes this
//! file too): reading the 10,000-line model file and filling a hash map was a twentieth of a
//! short run's start-up. The table is open addressing over n-gram keys: `SLOTS` slots of a key
//! (u64) and a weight (i32), little-endian, an empty slot all zeros; a key is looked for from
//! slot `key % SLOTS` on. Nothing here may panic on the model file: a line that does not read is
//! skipped.

/// Slots in the table: a power of two, about three times the n-grams a model holds, so a
/// lookup reads one or two slots.
pub const SLOTS: usize = 1 << 15;

/// Bytes a slot takes.
pub const SLOT_BYTES: usize = 12;

/// An n-gram's key: FNV-1a over its words joined by spaces, the same for the model file's
/// `a b c` and the words `["a", "b", "c"]`, on every machine. Two of the ~10,000 n-grams
/// sharing a 64-bit key is too unlikely to plan for.
pub fn gram_key<'a>(words: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut hash = FNV_START;
    for (i, word) in words.into_iter().enumerate() {
        if i > 0 {
            hash = eat(hash, b" ");
        }
        hash = eat(hash, word.as_bytes());
    }
    hash
}

/// The key of an n-gram's words followed by one more: `gram_key(["a", "b"])` from
/// `gram_key(["a"])` and `"b"`, without hashing `a` again.
pub fn extend_key(hash: u64, word: &str) -> u64 {
    eat(eat(hash, b" "), word.as_bytes())
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn eat(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// What a model file says: each n-gram's key and weight, the bias and the threshold. (Read by
/// `build.rs`, and by the tests that hold the built table to the file.)
#[cfg_attr(not(test), allow(dead_code))]
pub struct ModelFile {
    pub weights: Vec<(u64, i32)>,
    pub bias: i32,
    pub threshold: i32,
}

/// Reads `weight<TAB>n-gram` lines, `bias` and `threshold`; `#` lines are comments.
#[cfg_attr(not(test), allow(dead_code))]
pub fn read(text: &str) -> ModelFile {
    let mut out = ModelFile {
        weights: Vec::new(),
        bias: 0,
        threshold: i32::MAX,
    };
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some((left, right)) = line.split_once('\t') else {
            continue;
        };
        match (left, right.parse::<i32>()) {
            ("threshold", Ok(v)) => out.threshold = v,
            ("bias", Ok(v)) => out.bias = v,
            _ => {
                if let Ok(w) = left.parse::<i32>() {
                    out.weights.push((gram_key(right.split(' ')), w));
                }
            }
        }
    }
    out
}

/// The table of `weights` (see the module's doc); `None` if they do not fit in it (more than
/// half the slots). A key of 0 marks an empty slot, so an n-gram whose key is 0 is left out
/// (one in 2^64). A later weight of the same key replaces the earlier, as in a map.
#[cfg_attr(not(test), allow(dead_code))]
pub fn table(weights: &[(u64, i32)]) -> Option<Vec<u8>> {
    if weights.len() > SLOTS / 2 {
        return None;
    }
    let mut slots = vec![(0u64, 0i32); SLOTS];
    for &(key, weight) in weights.iter().filter(|(key, _)| *key != 0) {
        let mut at = (key % SLOTS as u64) as usize;
        while slots[at].0 != 0 && slots[at].0 != key {
            at = (at + 1) % SLOTS;
        }
        slots[at] = (key, weight);
    }
    let mut bytes = Vec::with_capacity(SLOTS * SLOT_BYTES);
    for (key, weight) in slots {
        bytes.extend(key.to_le_bytes());
        bytes.extend(weight.to_le_bytes());
    }
    Some(bytes)
}

/// The weight of `key` in a table [`table`] made; `None` if it holds none.
pub fn lookup(table: &[u8], key: u64) -> Option<i32> {
    if key == 0 {
        return None;
    }
    let mut at = (key % SLOTS as u64) as usize;
    for _ in 0..SLOTS {
        let slot = table.get(at * SLOT_BYTES..(at + 1) * SLOT_BYTES)?;
        let (k, w) = slot.split_at(8);
        let k = u64::from_le_bytes(k.try_into().ok()?);
        if k == key {
            return Some(i32::from_le_bytes(w.try_into().ok()?));
        }
        if k == 0 {
            return None;
        }
        at = (at + 1) % SLOTS;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys that share a first slot are each found; an absent key, key 0 and a key whose run
    /// of slots is full are not.
    #[test]
    fn every_weight_is_found_and_nothing_else() {
        let slots = SLOTS as u64;
        let weights = [
            (5, 10),
            (5 + slots, -20),
            (6, 30),
            (2 * slots - 1, 7),
            (0, 99),
        ];
        let table = table(&weights).unwrap_or_default();
        assert_eq!(table.len(), SLOTS * SLOT_BYTES);
        for (key, weight) in &weights[..4] {
            assert_eq!(lookup(&table, *key), Some(*weight), "{key}");
        }
        assert_eq!(lookup(&table, 0), None);
        assert_eq!(lookup(&table, 7), None);
        assert_eq!(lookup(&table, 5 + 2 * slots), None);
        assert_eq!(lookup(&[], 5), None);
        let too_many: Vec<(u64, i32)> = (1..=SLOTS as u64).map(|k| (k, 1)).collect();
        assert!(super::table(&too_many).is_none());
    }

    #[test]
    fn a_model_file_reads_and_a_later_weight_replaces_an_earlier() {
        let file = read("# comment\nbias\t-700\nthreshold\t-750\n12\ta b\nx\ty\n-3\ta b\n4\tc\n");
        assert_eq!((file.bias, file.threshold), (-700, -750));
        let table = table(&file.weights).unwrap_or_default();
        assert_eq!(lookup(&table, gram_key(["a", "b"])), Some(-3));
        assert_eq!(lookup(&table, gram_key("c".split(' '))), Some(4));
        assert_eq!(lookup(&table, gram_key(["x"])), None);
    }
}
