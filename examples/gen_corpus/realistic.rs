//! A realistic corpus: real support threads resampled, for benchmarks whose text must look like
//! what tact meets in production (short turns, curly quotes, emoji, URLs, handles, typos).
//!
//! Each conversation is one real thread, drawn with replacement from the files given, with a new
//! id. Whole threads are kept (never spliced), so the share of agent replies that break a rule
//! is the real data's. The repo's real threads are the uniform random samples of brand-support
//! Twitter in `eval/pool/twitter*.jsonl` (Ganhotra et al., EMNLP 2020, Apache-2.0; see
//! `eval/README.md`). They are nearly all English, so one conversation in [`OTHER_LANGUAGE_SHARE`]
//! gets a customer turn from [`OTHER_LANGUAGES`], short messages in other scripts written for
//! this benchmark (not real data), so the text exercises non-ASCII folding as real multilingual
//! queues do. Agent turns are never added or changed.
//!
//! As a macro library (`--macros`), each line is one `{id, title, body}` macro whose body is an
//! agent turn of the threads, drawn with replacement: from `eval/pool/macros*.jsonl`, those are
//! Bitext's canned responses (CDLA-Sharing-1.0, see `eval/README.md`), the source of the real
//! 4,514-macro library the benchmark stands in for.

use std::path::Path;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::Value;

/// How often a conversation gets a customer turn in another language.
pub const OTHER_LANGUAGE_SHARE: f64 = 0.15;

/// Customer turns in other languages and scripts (written for this benchmark).
pub const OTHER_LANGUAGES: [&str; 24] = [
    "Hola, mi pedido llegó roto 😡 ¿me pueden ayudar? Ya escribí dos veces.",
    "¿Cuándo me devuelven el dinero? Llevo 10 días esperando…",
    "Bonjour, ma commande n’est toujours pas arrivée. C’est la troisième fois que j’écris !",
    "Merci de me rappeler au plus vite, le colis est abîmé 😞",
    "Hallo, ich wurde doppelt belastet. Bitte um Rückerstattung – schnell! 🙏",
    "Die Lieferung ist seit einer Woche überfällig. Wo bleibt mein Paket?",
    "Olá, o aplicativo não abre desde ontem. Já reinstalei e nada 😩",
    "Ciao, il rimborso non è ancora arrivato. Potete controllare?",
    "Cześć, zamówienie przyszło uszkodzone. Co mam teraz zrobić?",
    "Merhaba, siparişim hâlâ gelmedi. Lütfen yardım edin 🙏",
    "Здравствуйте! Деньги списали дважды, верните, пожалуйста.",
    "Доставка опять задерживается 😤 Сколько можно ждать?",
    "Γεια σας, η παραγγελία μου δεν έφτασε ποτέ. Τι συμβαίνει;",
    "مرحبا، لم يصلني الطلب حتى الآن. أرجو المساعدة 😔",
    "שלום, חויבתי פעמיים על אותה הזמנה. אפשר החזר?",
    "नमस्ते, मेरा रिफंड अभी तक नहीं आया है। कृपया मदद करें 🙏",
    "こんにちは。注文した商品が壊れて届きました😢 交換できますか？",
    "アプリが起動しません。再インストールしても同じです。",
    "您好，我的订单已经一周没有更新了，请帮我查一下。",
    "退款什么时候到账？我已经等了十天了😣",
    "안녕하세요, 주문한 상품이 아직 도착하지 않았어요. 확인 부탁드려요 🙏",
    "Xin chào, tôi bị trừ tiền hai lần cho cùng một đơn hàng.",
    "สวัสดีค่ะ สินค้าที่ได้รับชำรุด ต้องทำอย่างไรคะ",
    "Hej! Paketet har inte kommit fram ännu 📦 Kan ni kolla?",
];

/// Real threads, resampled from a seed.
#[derive(Debug)]
pub struct Resampler {
    threads: Vec<Value>,
    /// Every agent turn, with the first tag of its thread: the macros' pool.
    agent_turns: Vec<(String, String)>,
    rng: ChaCha8Rng,
    made: u64,
}

impl Resampler {
    /// Reads the threads (JSONL, tact's conversation format) from `files`: those with at least
    /// one message are kept.
    pub fn from_files(files: &[impl AsRef<Path>], seed: u64) -> Result<Resampler, String> {
        let mut threads = Vec::new();
        let mut agent_turns = Vec::new();
        for file in files {
            let file = file.as_ref();
            let text =
                std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let value: Value = serde_json::from_str(line)
                    .map_err(|e| format!("{}:{}: {e}", file.display(), i + 1))?;
                let title = value["tags"][0].as_str().unwrap_or("macro").to_string();
                for turn in messages(&value).filter(|m| m["from"] == "agent") {
                    if let Some(text) = turn["text"].as_str() {
                        agent_turns.push((title.clone(), text.to_string()));
                    }
                }
                if messages(&value).next().is_some() {
                    threads.push(value);
                }
            }
        }
        if threads.is_empty() {
            return Err("no threads with messages in the files given".into());
        }
        Ok(Resampler {
            threads,
            agent_turns,
            rng: ChaCha8Rng::seed_from_u64(seed),
            made: 0,
        })
    }

    /// The next conversation, as one line of JSONL (without the line break).
    pub fn next_line(&mut self) -> String {
        self.made += 1;
        let pick = self.rng.random_range(0..self.threads.len());
        let mut conversation = self.threads[pick].clone();
        conversation["id"] = Value::String(format!("R-{:08}", self.made));
        if self.rng.random_bool(OTHER_LANGUAGE_SHARE) {
            let text = OTHER_LANGUAGES[self.rng.random_range(0..OTHER_LANGUAGES.len())];
            add_customer_turn(&mut conversation, text);
        }
        conversation.to_string()
    }

    /// Whether the threads hold any agent turn to make macros of.
    pub fn has_agent_turns(&self) -> bool {
        !self.agent_turns.is_empty()
    }

    /// The next macro, `{id, title, body}`, as one line of JSONL; `None` when the threads have
    /// no agent turn.
    pub fn next_macro_line(&mut self) -> Option<String> {
        if self.agent_turns.is_empty() {
            return None;
        }
        self.made += 1;
        let (title, body) = &self.agent_turns[self.rng.random_range(0..self.agent_turns.len())];
        let id = format!("M-{:05}", self.made);
        Some(serde_json::json!({"id": id, "title": title, "body": body}).to_string())
    }
}

/// The message events of a conversation.
fn messages(conversation: &Value) -> impl Iterator<Item = &Value> {
    conversation["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["type"] == "message")
}

/// Puts a customer message right after the first customer message (same time), or first.
fn add_customer_turn(conversation: &mut Value, text: &str) {
    let Some(events) = conversation["events"].as_array_mut() else {
        return;
    };
    let first_customer = events
        .iter()
        .position(|e| e["type"] == "message" && e["from"] == "customer");
    let (at, index) = match first_customer {
        Some(i) => (events[i]["at"].clone(), i + 1),
        None => (Value::Null, 0),
    };
    let mut turn = serde_json::json!({"type": "message", "from": "customer", "text": text});
    if !at.is_null() {
        turn["at"] = at;
    }
    events.insert(index, turn);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    const REAL: [&str; 3] = [
        "eval/pool/twitter.jsonl",
        "eval/pool/twitter2.jsonl",
        "eval/pool/twitter3.jsonl",
    ];

    fn take(seed: u64, n: usize) -> Vec<String> {
        let mut r = Resampler::from_files(&REAL, seed).unwrap();
        (0..n).map(|_| r.next_line()).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_corpus_and_another_does_not() {
        assert_eq!(take(42, 50), take(42, 50));
        assert_ne!(take(42, 50), take(43, 50));
    }

    #[test]
    fn agent_turns_are_real_and_unchanged_and_other_languages_are_added() {
        let real: Vec<Value> = REAL
            .iter()
            .flat_map(|f| {
                std::fs::read_to_string(f)
                    .unwrap()
                    .lines()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .map(|l| serde_json::from_str(&l).unwrap())
            .collect();
        let real_agent_turns: std::collections::HashSet<String> = real
            .iter()
            .flat_map(|c| {
                messages(c)
                    .filter(|m| m["from"] == "agent")
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut added = 0;
        for line in take(7, 1000) {
            let c: Value = serde_json::from_str(&line).unwrap();
            assert!(c["id"].as_str().unwrap().starts_with("R-"));
            for m in messages(&c) {
                if m["from"] == "agent" {
                    assert!(real_agent_turns.contains(&m.to_string()), "{m}");
                } else if OTHER_LANGUAGES.contains(&m["text"].as_str().unwrap()) {
                    added += 1;
                }
            }
        }
        // 15% of 1,000, give or take the draw.
        assert!((100..=200).contains(&added), "{added}");
    }

    #[test]
    fn macros_are_real_agent_turns_with_their_tag_as_title() {
        let mut r = Resampler::from_files(&["eval/pool/macros.jsonl"], 3).unwrap();
        let source = std::fs::read_to_string("eval/pool/macros.jsonl").unwrap();
        for _ in 0..200 {
            let m: Value = serde_json::from_str(&r.next_macro_line().unwrap()).unwrap();
            assert!(m["id"].as_str().unwrap().starts_with("M-"));
            let body = serde_json::to_string(&m["body"]).unwrap();
            assert!(source.contains(&body), "{body}");
            assert!(!m["title"].as_str().unwrap().is_empty());
        }
    }

    #[test]
    fn a_file_without_threads_is_an_error() {
        let empty =
            std::env::temp_dir().join(format!("gen-corpus-empty-{}.jsonl", std::process::id()));
        std::fs::write(&empty, "\n").unwrap();
        assert!(Resampler::from_files(&[&empty], 1).is_err());
        std::fs::remove_file(&empty).unwrap();
    }
}
