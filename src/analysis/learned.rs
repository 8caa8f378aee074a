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

use std::sync::OnceLock;

use super::Range;

/// The readers a policy can name (`learned remedies`).
pub const READERS: &[&str] = &["remedies"];

/// How far from its threshold a score must be for the reader to be sure, in thousandths of a
/// logit: 3 logits (with the threshold at -0.75, a remedy above a probability of about 0.9, or
/// below about 0.02). Only sure readings change what the rules found; chosen on the dev split
/// by cross-validation (docs/quality.md, "The latest round").
pub const SURE_MARGIN: i32 = 3000;

/// The embedded model file.
const MODEL: &str = include_str!("remedies.tsv");

/// Weights by n-gram (keyed by [`gram_key`]), the bias and the threshold a score must exceed.
struct Model {
    weights: foldhash::HashMap<u64, i32>,
    bias: i32,
    threshold: i32,
}

fn model() -> &'static Model {
    static MODEL_CELL: OnceLock<Model> = OnceLock::new();
    MODEL_CELL.get_or_init(|| parse(MODEL))
}

/// Reads `weight<TAB>n-gram` lines, `bias` and `threshold`; `#` lines are comments. The file
/// is part of the binary, so a line that does not read is skipped rather than reported.
fn parse(text: &str) -> Model {
    let mut out = Model {
        weights: foldhash::HashMap::with_capacity_and_hasher(
            text.len() / 16,
            foldhash::fast::RandomState::default(),
        ),
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
                    out.weights.insert(gram_key(right.split(' ')), w);
                }
            }
        }
    }
    out
}

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
    let model = model();
    let mut out = Vec::new();
    for sentence in sentences(text) {
        let words = words(text, sentence);
        if words.is_empty() {
            continue;
        }
        let mut keys = Vec::with_capacity(3 * words.len() + 1);
        each_ngram(&words, |gram| keys.push(gram_key(gram.iter().copied())));
        // Each distinct n-gram counts once, as in the script.
        keys.sort_unstable();
        keys.dedup();
        let score = model.bias
            + keys
                .iter()
                .filter_map(|k| model.weights.get(k))
                .sum::<i32>();
        out.push(Remedy {
            sentence,
            margin: score - model.threshold,
            evidence: score - model.bias,
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

/// Calls `f` with each 1-, 2- and 3-gram of a sentence's words, `<s>` and `</s>` marking its
/// ends (the script's features; an n-gram may come more than once).
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

/// An n-gram's key: FNV-1a over its words joined by spaces, the same for the model file's
/// `a b c` and the words `["a", "b", "c"]`, on every machine. Two of the ~10,000 n-grams
/// sharing a 64-bit key is too unlikely to plan for.
fn gram_key<'a>(words: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    };
    for (i, word) in words.into_iter().enumerate() {
        if i > 0 {
            eat(b' ');
        }
        word.bytes().for_each(&mut eat);
    }
    hash
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

    #[test]
    fn the_embedded_model_reads() {
        let m = model();
        assert!(m.weights.len() > 1000, "{} weights", m.weights.len());
        assert!(m.threshold != i32::MAX && m.bias != 0);
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
