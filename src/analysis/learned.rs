//! The learned remedy reader (`learned remedies` in a policy): a sentence classifier that tells
//! whether an agent's sentence gives the customer a remedy ("I've issued a refund", "try
//! resetting the router from the app") rather than mentioning one ("refunds take 5 days").
//!
//! The rules of [`super::speech_act`] decide offer-or-mention from the words of an act and
//! where the remedy stands; on real replies agents remedy in more ways than rules list. This
//! reader is a logistic regression over the sentence's word 1-, 2- and 3-grams, trained on the
//! labelled dev split by `eval/scripts/train_remedy_reader.py`, which writes the weights this
//! module embeds (`remedies.tsv`). Weights are integers, so a score is an exact sum: the
//! same verdict on every machine and thread count. Features here and in the script must stay
//! the same; `same_features_as_the_training_script` checks the tokenization, and
//! `tests/remedy_reader.rs` runs the script's own code against `tact analyze`.

use super::model_table::{self, gram_key};
use super::Range;

/// The readers a policy can name (`learned remedies`).
pub const READERS: &[&str] = &["remedies"];

/// How far from its threshold a score must be for the reader to be sure, in thousandths of a
/// logit: 3 logits (with the threshold at -0.75, a remedy above a probability of about 0.9, or
/// below about 0.02). Only sure readings change what the rules found; chosen on the dev split
/// by cross-validation (docs/quality.md, "The latest round").
pub const SURE_MARGIN: i32 = 3000;

// The model file's bias, threshold and n-gram count, as `build.rs` read them.
include!(concat!(env!("OUT_DIR"), "/remedies.rs"));

/// The model's weights, as `build.rs` tabled them (`model_table.rs`).
static TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/remedies.table"));

/// A sentence as the reader scores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remedy {
    /// The sentence, bytes of the message text (what a violation points at).
    pub sentence: Range,
    /// Its score above the threshold, in thousandths of a logit (below 0: no remedy).
    pub margin: i32,
    /// What its words add to the reader's prior (the bias), in thousandths of a logit.
    pub evidence: i32,
}

impl Remedy {
    /// The reader is sure the sentence gives a remedy.
    pub fn surely_gives(&self) -> bool {
        self.margin > SURE_MARGIN
    }

    /// The reader is sure the sentence gives none: far below the threshold, and by what its
    /// words say, not only by the prior a short sentence keeps ("We'll send a replacement.").
    pub fn surely_gives_none(&self) -> bool {
        self.margin < -SURE_MARGIN && self.evidence < 0
    }
}

/// Every sentence of `text` that has words, with its margin (negative: no remedy).
pub fn scored(text: &str) -> Vec<Remedy> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let words = words(text, sentence);
        if words.is_empty() {
            continue;
        }
        let mut keys = gram_keys(&words);
        // Each distinct n-gram counts once, as in the script.
        keys.sort_unstable();
        keys.dedup();
        let score = BIAS
            + keys
                .iter()
                .filter_map(|k| model_table::lookup(TABLE, *k))
                .sum::<i32>();
        out.push(Remedy {
            sentence,
            margin: score - THRESHOLD,
            evidence: score - BIAS,
        });
    }
    out
}

/// The reader's sentences: a run of anything but `.`, `!`, `?` and line breaks (a dot inside
/// a word, as in "example.com" or "$18.99", stays in), with the stops that end it (the
/// script's `(?:[^.!?\n]|\.(?=[A-Za-z0-9]))+[.!?]*`), leading white space left out.
fn sentences(text: &str) -> Vec<Range> {
    let bytes = text.as_bytes();
    let is_stop = |b: u8| matches!(b, b'.' | b'!' | b'?');
    let inside = |i: usize| match bytes[i] {
        b'\n' | b'!' | b'?' => false,
        b'.' => bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric),
        _ => true,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !inside(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && inside(i) {
            i += 1;
        }
        while i < bytes.len() && is_stop(bytes[i]) {
            i += 1;
        }
        let lead = text[start..i].len() - text[start..i].trim_start().len();
        out.push((start + lead, i));
    }
    out
}

/// The words of a sentence, lower-cased: ASCII letters and digits, and a `'s`, `'t`,
/// `'ll`... after them (straight or curly apostrophe).
fn words(text: &str, (start, end): Range) -> Vec<String> {
    let bytes = &text.as_bytes()[start..end];
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let from = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let mut word = String::from_utf8_lossy(&bytes[from..i]).to_ascii_lowercase();
        // An apostrophe: `'` or a curly one (U+2018, U+2019 are E2 80 98 / E2 80 99).
        let quote = if bytes.get(i) == Some(&b'\'') {
            1
        } else if bytes[i..].starts_with(&[0xE2, 0x80])
            && matches!(bytes.get(i + 2), Some(0x98 | 0x99))
        {
            3
        } else {
            0
        };
        if quote > 0 && bytes.get(i + quote).is_some_and(u8::is_ascii_alphabetic) {
            let mut j = i + quote;
            while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
                j += 1;
            }
            word.push('\'');
            word.push_str(&String::from_utf8_lossy(&bytes[i + quote..j]).to_ascii_lowercase());
            i = j;
        }
        out.push(word);
    }
    out
}

/// The key of each 1-, 2- and 3-gram of a sentence's words, `<s>` and `</s>` marking its ends
/// (the script's features; an n-gram may come more than once), each word hashed once: a
/// 2-gram's key goes on from its first word's, a 3-gram's from its first two words'. The same
/// keys as [`gram_key`] of each n-gram of [`each_ngram`] (tested).
fn gram_keys(words: &[String]) -> Vec<u64> {
    let mut marked: Vec<&str> = Vec::with_capacity(words.len() + 2);
    marked.push("<s>");
    marked.extend(words.iter().map(String::as_str));
    marked.push("</s>");
    let ones: Vec<u64> = marked.iter().map(|w| gram_key([*w])).collect();
    let twos: Vec<u64> = ones
        .iter()
        .zip(&marked[1..])
        .map(|(h, w)| model_table::extend_key(*h, w))
        .collect();
    let mut keys = Vec::with_capacity(3 * marked.len());
    keys.extend_from_slice(&ones[1..ones.len() - 1]);
    keys.extend_from_slice(&twos);
    keys.extend(
        twos.iter()
            .zip(&marked[2..])
            .map(|(h, w)| model_table::extend_key(*h, w)),
    );
    keys
}

/// Calls `f` with each 1-, 2- and 3-gram of a sentence's words, `<s>` and `</s>` marking its
/// ends (the script's features; an n-gram may come more than once).
#[cfg(test)]
fn each_ngram(words: &[String], mut f: impl FnMut(&[&str])) {
    let mut marked: Vec<&str> = Vec::with_capacity(words.len() + 2);
    marked.push("<s>");
    marked.extend(words.iter().map(String::as_str));
    marked.push("</s>");
    for word in &marked[1..marked.len() - 1] {
        f(std::slice::from_ref(word));
    }
    for pair in marked.windows(2) {
        f(pair);
    }
    for triple in marked.windows(3) {
        f(triple);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grams(text: &str) -> Vec<String> {
        let sentence = sentences(text)[0];
        let mut grams = Vec::new();
        each_ngram(&words(text, sentence), |g| grams.push(g.join(" ")));
        grams.sort();
        grams.dedup();
        grams
    }

    /// The keys computed word by word are the keys of the n-grams, one for one.
    #[test]
    fn gram_keys_are_the_keys_of_the_ngrams() {
        for text in [
            "I\u{2019}ve REFUNDED it, it's done.",
            "ok",
            "a b",
            "We will send a new one today and refund the shipping.",
        ] {
            for sentence in sentences(text) {
                let words = words(text, sentence);
                let mut expected = Vec::new();
                each_ngram(&words, |g| expected.push(gram_key(g.iter().copied())));
                let mut got = gram_keys(&words);
                expected.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, expected, "{text}");
            }
        }
    }

    #[test]
    fn same_features_as_the_training_script() {
        // The script's features for "I’ve REFUNDED it, it's done." (sorted, distinct).
        assert_eq!(
            grams("I\u{2019}ve REFUNDED it, it's done."),
            [
                "<s> i've",
                "<s> i've refunded",
                "done",
                "done </s>",
                "i've",
                "i've refunded",
                "i've refunded it",
                "it",
                "it it's",
                "it it's done",
                "it's",
                "it's done",
                "it's done </s>",
                "refunded",
                "refunded it",
                "refunded it it's",
            ]
        );
    }

    #[test]
    fn sentences_end_at_stops_and_line_breaks() {
        let text = "Hi there!! I've sent it to help.example.com for $18.99.\nThanks";
        let got: Vec<&str> = sentences(text).iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(
            got,
            [
                "Hi there!!",
                "I've sent it to help.example.com for $18.99.",
                "Thanks"
            ]
        );
    }

    #[test]
    fn a_remedy_given_reads_as_one_and_a_closing_does_not() {
        let text =
            "Thanks for reaching out, have a great day. I've issued a full refund to your card.";
        let scored = scored(text);
        assert_eq!(scored.len(), 2);
        assert!(scored[0].surely_gives_none(), "{:?}", scored[0]);
        assert!(scored[1].surely_gives(), "{:?}", scored[1]);
        assert_eq!(
            &text[scored[1].sentence.0..scored[1].sentence.1],
            "I've issued a full refund to your card."
        );
    }

    /// The table built into tact holds every weight of the model file, and nothing else.
    #[test]
    fn the_built_in_table_is_the_model_file() {
        let file = model_table::read(include_str!("remedies.tsv"));
        assert!(file.weights.len() > 1000, "{} weights", file.weights.len());
        assert_eq!(file.weights.len(), WEIGHTS);
        assert_eq!((file.bias, file.threshold), (BIAS, THRESHOLD));
        for (key, weight) in &file.weights {
            assert_eq!(model_table::lookup(TABLE, *key), Some(*weight));
        }
        let filled = TABLE
            .chunks(model_table::SLOT_BYTES)
            .filter(|slot| slot.iter().any(|b| *b != 0))
            .count();
        assert_eq!(filled, WEIGHTS);
        assert_eq!(model_table::lookup(TABLE, gram_key(["zzqx", "qqzz"])), None);
    }

    #[test]
    fn hostile_text_reads_without_panic() {
        for text in [
            "",
            "...",
            "\u{2019}",
            "a\u{2019}",
            "a\u{2019}b",
            "a'",
            "\u{e2}",
            "é'é",
            "!?\n\n.",
            "a\u{2018}\u{2019}b",
        ] {
            for r in scored(text) {
                assert!(text.get(r.sentence.0..r.sentence.1).is_some());
            }
        }
    }
}
