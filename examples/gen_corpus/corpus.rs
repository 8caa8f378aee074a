//! A deterministic corpus of support conversations in the contract's format, for benchmarks and
//! load tests: the same seed gives the same conversations on every machine
//! (`cargo run --release --example gen_corpus`).
//!
//! Conversations have 5-40 messages of 20-400 characters, customers and agents taking turns, a
//! `created` event, and now and then a note, a follow-up or a resolution. Agents mostly answer
//! well, but a realistic share of replies are late, skip the apology, tell the customer they are
//! wrong, make excuses, or offer one take-it-or-leave-it option, so every rule has work to do.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

/// Makes conversations one after another from a seed.
#[derive(Debug)]
pub struct Generator {
    rng: ChaCha8Rng,
    made: u64,
}

impl Generator {
    /// A generator; the same seed always gives the same sequence.
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: ChaCha8Rng::seed_from_u64(seed),
            made: 0,
        }
    }

    /// The next conversation, as one line of JSONL (without the line break).
    pub fn next_line(&mut self) -> String {
        self.made += 1;
        conversation(&mut self.rng, self.made).to_string()
    }
}

const AGENTS: [&str; 24] = [
    "maria", "sam", "li", "omar", "ana", "jon", "priya", "kofi", "elena", "tomas", "yuki", "raj",
    "nora", "felix", "amara", "diego", "hana", "ivan", "lucia", "malik", "sofia", "ben", "chen",
    "zara",
];
const TEAMS: [&str; 6] = [
    "billing",
    "shipping",
    "accounts",
    "returns",
    "tech",
    "retention",
];
const CHANNELS: [&str; 4] = ["email", "chat", "twitter", "phone"];

const CUSTOMER: [&str; 16] = [
    "My order arrived broken and nobody has answered my emails.",
    "You charged me twice for the same order!",
    "The app keeps crashing when I open it.",
    "I've been waiting two weeks for my refund.",
    "This is the third time I'm writing about the same problem.",
    "The package says delivered but there is nothing at my door.",
    "I was promised a call back yesterday and nobody called.",
    "Why was my account locked? I need access for work today.",
    "The replacement you sent is the wrong size again.",
    "I want to cancel my subscription, the price went up without notice.",
    "Your courier left the parcel in the rain and everything is wet.",
    "I was told the discount would apply but it did not.",
    "Can someone explain this extra fee on my invoice?",
    "Honestly I'm really frustrated with how this has been handled.",
    "It's order 55213, placed on the 3rd.",
    "Yes, that works for me, thank you.",
];

const ACKNOWLEDGE: [&str; 6] = [
    "Thank you for letting us know, and I understand how frustrating this must be.",
    "I can see why you're upset, and thanks for your patience.",
    "Thanks for explaining what happened, that sounds really annoying.",
    "I understand, and I appreciate you taking the time to write to us.",
    "That's not the experience we want you to have.",
    "I hear you, and I want to get this sorted for you today.",
];
const APOLOGY: [&str; 5] = [
    "I'm so sorry about this.",
    "I apologize for the trouble this has caused.",
    "I'm really sorry for the wait.",
    "My apologies for the mix-up on our side.",
    "We're sorry this happened.",
];
const QUESTION: [&str; 5] = [
    "Could you tell me your order number?",
    "Can you share a photo of the damage?",
    "When did you first notice the problem?",
    "Which email address is on the account?",
    "Could you confirm the last four digits of the card?",
];
const SOLUTION: [&str; 7] = [
    "I've issued a full refund to your card.",
    "I can send a replacement by express delivery.",
    "I'll credit your account with the difference.",
    "I've arranged a free return label for you.",
    "I can exchange it for the right size at no cost.",
    "I've waived the late fee on your invoice.",
    "I've unlocked your account and reset the password.",
];
const CHOICE: [&str; 3] = [
    "Which would you prefer?",
    "Would you rather have a refund or a replacement?",
    "Let me know which option suits you best.",
];
const AGREEMENT: [&str; 3] = [
    "Does that work for you?",
    "Is that okay with you?",
    "Does that sound fair?",
];
const CHECK_BACK: [&str; 3] = [
    "I'll check back with you on Friday to make sure it's all sorted.",
    "I'll follow up tomorrow to confirm everything arrived.",
    "I'll keep an eye on it and update you by the end of the week.",
];
const FILLER: [&str; 6] = [
    "Let me look into this for you.",
    "I'm checking the details on our system now.",
    "One moment while I pull up your account.",
    "I've added a note to your case so the whole team can see it.",
    "You should receive a confirmation email shortly.",
    "Is there anything else I can help you with?",
];
/// What a coaching linter is for: each breaks a rule of the built-in policy.
const BAD: [&str; 10] = [
    "You're wrong, our system never charges twice.",
    "That's not true, the parcel left on time.",
    "Calm down, please.",
    "This is the only thing I can do. Take it or leave it.",
    "There's nothing I can do about that.",
    "It's not our fault, the courier is always late.",
    "We're very busy at the moment, so it took a while.",
    "As I already said, that's our policy.",
    "Sorry, but it's the warehouse's fault.",
    "That's not my department.",
];

fn pick<'a>(rng: &mut ChaCha8Rng, pool: &[&'a str]) -> &'a str {
    pool[rng.random_range(0..pool.len())]
}

/// An agent reply of 20-400 characters: mostly good practice, sometimes not.
fn agent_reply(rng: &mut ChaCha8Rng, first: bool, offered: &mut bool) -> String {
    let target = rng.random_range(20..=400);
    let mut parts: Vec<&str> = Vec::new();
    if first && rng.random_bool(0.8) {
        parts.push(pick(rng, &ACKNOWLEDGE));
    }
    if rng.random_bool(0.6) {
        parts.push(pick(rng, &APOLOGY));
    }
    if !*offered && rng.random_bool(0.35) {
        parts.push(pick(rng, &QUESTION));
    } else if rng.random_bool(0.5) {
        parts.push(pick(rng, &SOLUTION));
        *offered = true;
        if rng.random_bool(0.6) {
            parts.push(pick(rng, &SOLUTION));
            parts.push(pick(rng, &CHOICE));
        }
        if rng.random_bool(0.6) {
            parts.push(pick(rng, &AGREEMENT));
        }
        if rng.random_bool(0.5) {
            parts.push(pick(rng, &CHECK_BACK));
        }
    }
    if rng.random_bool(0.12) {
        let at = rng.random_range(0..=parts.len());
        parts.insert(at, pick(rng, &BAD));
    }
    let mut text = parts.join(" ");
    while text.len() < target {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(pick(rng, &FILLER));
    }
    cut(text, 400)
}

fn customer_message(rng: &mut ChaCha8Rng) -> String {
    let target = rng.random_range(20..=400);
    let mut text = String::new();
    while text.len() < target {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(pick(rng, &CUSTOMER));
    }
    cut(text, 400)
}

/// At most `max` bytes, cut after a sentence where possible.
fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let sentence_end = text[..end].rfind(['.', '!', '?']).map(|i| i + 1);
        text.truncate(sentence_end.filter(|&e| e >= 20).unwrap_or(end));
    }
    text
}

fn time(minutes: i64) -> String {
    // From 2026-01-05T00:00:00Z, a Monday.
    let base = 1_767_571_200;
    let secs = base + minutes * 60;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn conversation(rng: &mut ChaCha8Rng, n: u64) -> serde_json::Value {
    let mut minutes: i64 = rng.random_range(0..(365 * 24 * 60));
    let messages = rng.random_range(5..=40);
    let mut events = vec![json!({"type": "created", "at": time(minutes)})];
    let mut offered = false;
    for i in 0..messages {
        let agent = i % 2 == 1;
        // Most first replies come within the hour; some are late.
        minutes += if agent && i == 1 && rng.random_bool(0.15) {
            rng.random_range(241..2000)
        } else {
            rng.random_range(1..90)
        };
        let text = if agent {
            agent_reply(rng, i == 1, &mut offered)
        } else {
            customer_message(rng)
        };
        let from = if agent { "agent" } else { "customer" };
        events.push(json!({"type": "message", "at": time(minutes), "from": from, "text": text}));
        if agent && offered && rng.random_bool(0.1) {
            events.push(json!({"type": "note", "at": time(minutes), "from": "agent",
                "text": "Resolution agreed; details in the order history."}));
        }
    }
    if offered && rng.random_bool(0.4) {
        minutes += 60 * 24;
        events.push(json!({"type": "follow_up", "at": time(minutes)}));
    }
    if rng.random_bool(0.5) {
        minutes += rng.random_range(10..600);
        events.push(json!({"type": "resolved", "at": time(minutes)}));
    }
    json!({
        "id": format!("G-{n:08}"),
        "channel": pick(rng, &CHANNELS),
        "agent": pick(rng, &AGENTS),
        "team": pick(rng, &TEAMS),
        "tags": if rng.random_bool(0.7) { vec!["complaint"] } else { vec![] },
        "events": events,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;
    use tact::input::conversation_from_value;

    #[test]
    fn the_same_seed_gives_the_same_corpus_and_another_does_not() {
        let take = |seed| {
            let mut g = Generator::new(seed);
            (0..50).map(|_| g.next_line()).collect::<Vec<_>>()
        };
        assert_eq!(take(42), take(42));
        assert_ne!(take(42), take(43));
    }

    #[test]
    fn conversations_have_the_promised_shape() {
        let mut g = Generator::new(7);
        for _ in 0..300 {
            let value: serde_json::Value = serde_json::from_str(&g.next_line()).unwrap();
            let c = conversation_from_value(value, tact::conversation::Origin::default()).unwrap();
            let messages: Vec<_> = c.events.iter().filter(|e| e.is_message()).collect();
            assert!((5..=40).contains(&messages.len()), "{}", messages.len());
            for m in messages {
                let len = m.text.as_deref().unwrap().len();
                assert!((20..=400).contains(&len), "{len}");
            }
            assert_eq!(c.events[0].kind, "created");
        }
    }
}
