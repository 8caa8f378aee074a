//! Sentences and clauses of a message, as byte ranges of the original text.
//!
//! Sentences come from Unicode's sentence boundaries (UAX #29, the `unicode-segmentation`
//! crate), which also break after every line break, so list items and signature lines stand
//! alone, and after an emoji that more words follow, as chat writers end sentences with one.
//! Clauses are cut inside a sentence where English joins two statements: `;`, a dash,
//! `, but`, `however`, `, so`, `, and`, ` or `, and around `if`/`unless` conditions.

use unicode_segmentation::UnicodeSegmentation;

/// A byte range of the message text.
pub type Range = (usize, usize);

/// Sentence ranges of `text`, white space trimmed, empty ones dropped.
pub fn sentences(text: &str) -> Vec<Range> {
    // Most chat lines are one sentence or a few plain ones. A line whose stops are all plain
    // (`.`, `!` or `?` then a space and a capital, a digit or a quote) is cut at them directly;
    // only a line with another kind of stop inside it ("e.g. this", "v2.1", "U.S.") goes through
    // the Unicode sentence rules, which cost far more.
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        match plain_stops(line) {
            Some(cuts) => {
                let mut from = 0;
                for cut in cuts.into_iter().chain(std::iter::once(line.len())) {
                    push_trimmed(line, from, cut, offset, &mut out);
                    from = cut;
                }
            }
            None => uax29(line, offset, &mut out),
        }
        offset += line.len();
    }
    merge_fragments(text, cut_at_emoji(text, out))
}

/// Whether `c` is a pictograph (emoji, dingbat) of the kind chat writers end a sentence with.
fn is_pictograph(c: char) -> bool {
    matches!(u32::from(c), 0x1F300..=0x1FAFF | 0x2600..=0x27BF)
}

/// Cuts each sentence after a pictograph that a space and more words follow: in chats an emoji
/// ends a sentence as a full stop does ("oof, not the story you wanted 😬 I've got a voucher
/// for you"), and what comes before it must not negate or condition what comes after.
fn cut_at_emoji(text: &str, ranges: Vec<Range>) -> Vec<Range> {
    let mut out = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        let piece = text.get(start..end).unwrap_or("");
        if piece.is_ascii() {
            out.push((start, end));
            continue;
        }
        let mut from = 0;
        let mut chars = piece.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if !is_pictograph(c) {
                continue;
            }
            // Take the pictographs, joiners and variation selectors that run on from this one.
            let mut after = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if is_pictograph(d)
                    || matches!(d, '\u{200D}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}')
                {
                    after = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let rest = &piece[after..];
            let words_follow = rest.starts_with(char::is_whitespace)
                && rest.trim_start().starts_with(char::is_alphanumeric);
            if words_follow && piece[from..i].chars().any(char::is_alphanumeric) {
                push_trimmed(piece, from, after, start, &mut out);
                from = after;
            }
        }
        push_trimmed(piece, from, piece.len(), start, &mut out);
    }
    out
}

/// Where a line's sentences end when every stop in it is a plain one; `None` otherwise.
fn plain_stops(line: &str) -> Option<Vec<usize>> {
    let bytes = line.as_bytes();
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b'.' | b'!' | b'?' | b'h' | b'w') {
            // No stop and no link starts here (nor inside a character: its bytes are not ASCII).
            i += 1;
            continue;
        }
        let rest = &line[i..];
        if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.") {
            // A link's dots end nothing.
            i += rest.find(char::is_whitespace).unwrap_or(rest.len());
            continue;
        }
        if matches!(bytes[i], b'.' | b'!' | b'?') {
            let mut j = i;
            while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?' | b')' | b'"' | b'\'') {
                j += 1;
            }
            let rest = &line[j..];
            let after = rest.trim_start();
            if after.is_empty() {
                return Some(cuts);
            }
            let spaced = rest.len() > after.len();
            let next = after.chars().next();
            let opens = next.is_some_and(|c| {
                c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '@' || !c.is_ascii()
            }) || after.starts_with("http");
            if !spaced || !opens {
                // "e.g. this", "v2.1", "...and": let the Unicode rules decide.
                if spaced || bytes[i] != b'.' || next.is_some_and(|c| c.is_alphanumeric()) {
                    return None;
                }
            }
            cuts.push(j);
            i = j;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    Some(cuts)
}

fn uax29(text: &str, offset: usize, out: &mut Vec<Range>) {
    let links = links_in(text);
    let first = out.len();
    for (start, piece) in text.split_sentence_bound_indices() {
        // UAX #29 keeps "e.g." and "1." inside sentences well enough; only trim white space.
        let trimmed_start = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if trimmed.is_empty() {
            continue;
        }
        let s = offset + start + trimmed_start;
        // A link's "?" or "." ends nothing: the piece after it carries on the sentence.
        let in_link = links.iter().any(|&(ls, le)| ls < start && start < le);
        let joins = in_link && out.len() > first;
        match out.last_mut() {
            Some(last) if joins => last.1 = s + trimmed.len(),
            _ => out.push((s, s + trimmed.len())),
        }
    }
}

/// The byte ranges of the links in `text`: from `http://`, `https://` or `www.` to the next
/// white space.
fn links_in(text: &str) -> Vec<Range> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(at) = ["http://", "https://", "www."]
        .iter()
        .filter_map(|p| text.get(from..).and_then(|t| t.find(p)))
        .min()
    {
        let start = from + at;
        let end = text[start..]
            .find(char::is_whitespace)
            .map_or(text.len(), |k| start + k);
        links.push((start, end));
        from = end;
    }
    links
}

/// Joins a piece that is only a number or an abbreviation ("1.", "Mr.") to the next sentence.
fn merge_fragments(text: &str, ranges: Vec<Range>) -> Vec<Range> {
    let mut out: Vec<Range> = Vec::with_capacity(ranges.len());
    let mut pending: Option<usize> = None;
    for (s, e) in ranges {
        let start = pending.take().unwrap_or(s);
        let piece = text.get(s..e).unwrap_or("");
        let is_fragment = piece.len() <= 4
            && piece.ends_with('.')
            && !piece.contains('\n')
            && piece
                .trim_end_matches('.')
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_alphabetic());
        if is_fragment {
            pending = Some(start);
        } else {
            out.push((start, e));
        }
    }
    if let (Some(start), Some(last)) = (pending, out.last_mut()) {
        last.1 = last.1.max(start);
    } else if let Some(start) = pending {
        out.push((start, text.len()));
    }
    out
}

/// Words that open a new clause when they follow a comma (`, but we can`).
const AFTER_COMMA: &[&str] = &[
    "but ",
    "however",
    "so ",
    "and ",
    "which ",
    "then ",
    "though ",
    "although ",
    "because ",
    "as ",
    "since ",
    "while ",
    "whereas ",
    "otherwise",
    "or ",
    "plus ",
    "unless ",
    "if ",
    "once ",
    "when ",
    "in case ",
    "i ",
    "i'",
    "we ",
    "we'",
    "you ",
    "you'",
    "all we ",
    "all i ",
    "it's ",
    "that's ",
    "this ",
    "they ",
    "please ",
    "let ",
    "here",
    "just ",
    "check ",
    "try ",
    "go to ",
    "head to ",
    "visit ",
    "follow ",
    "make sure ",
    "restart ",
    "update ",
];

/// Words that open a new clause even without a comma.
const BARE: &[&str] = &[
    " but ",
    " however ",
    " because ",
    " although ",
    " though ",
    " unless ",
    " if ",
    " or ",
    " so that ",
    " as soon as ",
    " once ",
    " whereas ",
    " which means ",
    " and i ",
    " and i'",
    " and we ",
    " and we'",
    " and you ",
    " and you'",
    " and it ",
    " and it's ",
    " and they ",
    " and this ",
    " and that's ",
];

/// The bytes that follow the space of a [`BARE`] word: after a space and any other byte, no
/// clause opens, and the words need not be compared.
const BARE_SECOND: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < BARE.len() {
        let word = BARE[i].as_bytes();
        if word.len() > 1 {
            table[word[1] as usize] = true;
        }
        i += 1;
    }
    table
};

/// Words after which `if` asks "whether" ("let me know if it works") instead of opening a
/// condition.
const IF_AS_WHETHER: &[&str] = &[
    "know",
    "see",
    "check",
    "ask",
    "asking",
    "tell",
    "wonder",
    "wondering",
    "as",
    "even",
    "what",
    "sure",
    "unsure",
    "confirm",
    "checking",
    "find out",
    "only",
];

/// Clause ranges inside the sentence `range` of `lower` (ASCII lower-cased text).
pub fn clauses(lower: &str, range: Range) -> Vec<Range> {
    let (start, end) = range;
    let Some(sentence) = lower.get(start..end) else {
        return vec![range];
    };
    let bytes = sentence.as_bytes();
    let mut cuts: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b';' | b':' | b',' | b' ' | 0xE2) {
            // No clause is cut at this byte (the dashes are the UTF-8 bytes E2 80 93 and 94).
            i += 1;
            continue;
        }
        let rest = &sentence[i..];
        let cut = match bytes[i] {
            b';' => Some(i + 1),
            // "Please see: https://..." keeps the link with the words that point at it.
            b':' if (rest.get(1..2) == Some(" ") || rest.get(1..2) == Some("\n"))
                && !rest[1..].trim_start().starts_with("http") =>
            {
                Some(i + 1)
            }
            b',' => {
                let after = rest[1..].trim_start();
                let skip = rest.len() - after.len();
                AFTER_COMMA
                    .iter()
                    .any(|w| after.starts_with(w))
                    .then_some(i + skip)
            }
            b' ' => {
                if rest.starts_with(" - ") || rest.starts_with(" -- ") {
                    Some(i + 1)
                } else if rest.starts_with(" if ") {
                    let before = sentence[..i].trim_end();
                    let whether = IF_AS_WHETHER.iter().any(|w| {
                        before.ends_with(w)
                            && before[..before.len() - w.len()]
                                .chars()
                                .next_back()
                                .is_none_or(|c| !c.is_alphanumeric())
                    });
                    (!whether).then_some(i + 1)
                } else {
                    let second = rest.as_bytes().get(1).copied().unwrap_or(b' ');
                    (BARE_SECOND[usize::from(second)] && BARE.iter().any(|w| rest.starts_with(w)))
                        .then_some(i + 1)
                }
            }
            _ if rest.starts_with('\u{2014}') || rest.starts_with('\u{2013}') => Some(i),
            _ => None,
        };
        if let Some(c) = cut {
            if c > 0 && c < sentence.len() {
                cuts.push(c);
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for c in cuts {
        push_trimmed(sentence, from, c, start, &mut out);
        from = c;
    }
    push_trimmed(sentence, from, sentence.len(), start, &mut out);
    if out.is_empty() {
        out.push(range);
    }
    split_conditions(lower, out)
}

/// Words that open a condition: the clause they open ends at its first comma, and what follows
/// is governed by it (`if it hasn't come by friday, we'll look again`).
pub const CONDITION_OPENERS: &[&str] = &["if ", "unless ", "in case ", "should you ", "once "];

/// Where a condition written without a comma gives way to its main clause: a subject with a
/// future or an ability ("if it drops sync again | i'll text you", "once the part's in | we can
/// fit it").
const MAIN_CLAUSE: &[&str] = &[
    " i'll ",
    " we'll ",
    " i will ",
    " we will ",
    " you'll ",
    " you will ",
    " i can ",
    " we can ",
    " i'm going to ",
    " we're going to ",
];

fn split_conditions(lower: &str, clauses: Vec<Range>) -> Vec<Range> {
    let mut out = Vec::with_capacity(clauses.len() + 1);
    for (s, e) in clauses {
        let text = lower.get(s..e).unwrap_or("");
        let opener = CONDITION_OPENERS.iter().find(|w| text.starts_with(*w));
        // Without a comma, the condition ends where a request starts ("if it persists please
        // open a new issue") or where its main clause does ("if it drops again i'll text you").
        let main_clause = opener.and_then(|w| {
            let rest = text.get(w.len()..)?;
            MAIN_CLAUSE
                .iter()
                .filter_map(|m| rest.find(m))
                .min()
                .map(|p| w.len() + p - 1)
        });
        let comma = text.find(", ");
        let end = [
            comma,
            text.find(" please ").map(|p| p - 1),
            main_clause.filter(|_| !text.contains(',')),
        ]
        .into_iter()
        .flatten()
        .min();
        match end.filter(|_| opener.is_some()) {
            Some(comma) if s + comma + 2 < e => {
                out.push((s, s + comma + 1));
                out.push((s + comma + 2, e));
            }
            _ => out.push((s, e)),
        }
    }
    out
}

/// Pushes `text[from..to]` without its surrounding white space, as bytes from `base` (the
/// offset of `text` in the message); nothing when only white space is left.
fn push_trimmed(text: &str, from: usize, to: usize, base: usize, out: &mut Vec<Range>) {
    let Some(piece) = text.get(from..to) else {
        return;
    };
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push((base + from + lead, base + from + lead + trimmed.len()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emoji_between_words_ends_a_sentence() {
        let text = "oof, not the story you wanted 😬 I've got a voucher for you 👍🏽 sound good? 🙂";
        assert_eq!(
            texts(text, &sentences(text)),
            [
                "oof, not the story you wanted 😬",
                "I've got a voucher for you 👍🏽",
                "sound good?",
                "🙂"
            ]
        );
        let lone = "🙂 thanks";
        assert_eq!(texts(lone, &sentences(lone)), ["🙂 thanks"]);
    }

    fn texts(text: &str, ranges: &[Range]) -> Vec<String> {
        ranges
            .iter()
            .map(|(s, e)| text[*s..*e].to_string())
            .collect()
    }

    /// A link's "?" and "." end no sentence, also where the Unicode rules decide ("e.g." in
    /// the line).
    #[test]
    fn a_links_query_ends_no_sentence() {
        let t = "Tips here https://example.com/slow?ref=true&cid=1 . If you need more, e.g. a call, DM us.";
        assert_eq!(
            texts(t, &sentences(t)),
            [
                "Tips here https://example.com/slow?ref=true&cid=1 .",
                "If you need more, e.g. a call, DM us."
            ]
        );
    }

    #[test]
    fn sentences_break_at_stops_and_lines() {
        let t = "Sorry about that! We'll send a new one.\nThanks, Jo\n1. Open the app.";
        assert_eq!(
            texts(t, &sentences(t)),
            [
                "Sorry about that!",
                "We'll send a new one.",
                "Thanks, Jo",
                "1. Open the app."
            ]
        );
    }

    #[test]
    fn plain_and_hard_stops_cut_alike() {
        let t = "Sorry! We'll send it. 2 days, e.g. by Friday. Ok? Yes.";
        let got = texts(t, &sentences(t));
        let mut unicode = Vec::new();
        uax29(t, 0, &mut unicode);
        assert_eq!(got, texts(t, &merge_fragments(t, unicode)));
        let plain = "Sorry about that! We'll send a new one. Does that work?";
        assert_eq!(sentences(plain).len(), 3);
    }

    #[test]
    fn curly_quotes_and_links_do_not_split_characters() {
        let t = "We\u{2019}d like to help\u{a0}here: https://x.example/a.b Thanks \u{201c}ok\u{201d}. Done";
        let all = sentences(t);
        assert!(all
            .iter()
            .all(|(s, e)| t.is_char_boundary(*s) && t.is_char_boundary(*e)));
        assert_eq!(all.len(), 2, "{:?}", texts(t, &all));
    }

    #[test]
    fn urls_do_not_end_sentences() {
        let t = "Please see: https://support.example.com/a.html for the steps. Thanks";
        assert_eq!(sentences(t).len(), 2);
    }

    #[test]
    fn clauses_cut_at_joins_and_conditions() {
        let t = "we can't refund it, but i can exchange it; if it hasn't come by friday, we'll look again";
        let all = clauses(t, (0, t.len()));
        assert_eq!(
            texts(t, &all),
            [
                "we can't refund it,",
                "but i can exchange it;",
                "if it hasn't come by friday,",
                "we'll look again"
            ]
        );
    }

    #[test]
    fn a_condition_without_a_comma_ends_where_its_main_clause_starts() {
        let t = "if it drops sync again i'll text you";
        assert_eq!(
            texts(t, &clauses(t, (0, t.len()))),
            ["if it drops sync again", "i'll text you"]
        );
        // The condition's own subject is not taken for the main clause's.
        let own = "if i can i'll call you back";
        assert_eq!(
            texts(own, &clauses(own, (0, own.len()))),
            ["if i can", "i'll call you back"]
        );
        // Without a condition opener the words cut nothing.
        let plain = "the line drops sync i'll text you";
        assert_eq!(clauses(plain, (0, plain.len())).len(), 1);
    }

    #[test]
    fn a_condition_with_a_comma_ends_at_the_comma() {
        let t = "if there's anything else we can do, let me know";
        assert_eq!(
            texts(t, &clauses(t, (0, t.len()))),
            ["if there's anything else we can do,", "let me know"]
        );
    }
}
