//! The message analysis' cues as automata kept between runs.
//!
//! Compiling a cue (parsing its text, translating it, building a forward and a reverse Thompson
//! NFA) was most of a short run's start-up: a one-chat check compiles two dozen cues of up to
//! ten thousand characters. The NFAs depend only on the cues' text and this build, so the
//! first run keeps them in the user's cache folder (`crate::cache`, `codec.rs`) and later runs
//! read them back. A [`Regex`] searches with the same engines, configured the same way, as the
//! `regex` crates' meta regex the cues were compiled to before: a forward lazy DFA finds where
//! a match ends, a reverse one where it starts, and a PikeVM takes over should a lazy DFA give
//! up. So a cue finds exactly the same matches whether it was compiled or read back.

mod codec;

use std::sync::{Arc, OnceLock};

use regex_automata::hybrid;
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, WhichCaptures, NFA};
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Input, Match, MatchKind};

use crate::cache::{Entry, Reader};

/// How every cue is compiled: leftmost-first, on bytes (`(?-u)`, empty matches anywhere), the
/// NFA within 10 MB, a lazy-DFA cache of 8 MB (the cues are long alternations read clause by
/// clause: with the default 2 MB their lazy DFAs kept filling and starting over).
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    nfa_size_limit: usize,
    cache_capacity: usize,
}

impl Settings {
    pub(crate) const CUES: Settings = Settings {
        nfa_size_limit: 10 * (1 << 20),
        cache_capacity: 8 * (1 << 20),
    };

    fn syntax(&self) -> syntax::Config {
        syntax::Config::new().utf8(false)
    }

    /// The forward NFA's configuration, as the meta regex derives it from its own.
    fn forward(&self) -> thompson::Config {
        thompson::Config::new()
            .utf8(false)
            .nfa_size_limit(Some(self.nfa_size_limit))
            .shrink(false)
            .which_captures(WhichCaptures::Implicit)
    }

    /// The reverse NFA's: the meta regex's, without captures.
    fn reverse(&self) -> thompson::Config {
        self.forward()
            .which_captures(WhichCaptures::None)
            .reverse(true)
    }

    /// The lazy DFAs', as the meta regex configures them when it has no prefilter.
    fn lazy_dfa(&self) -> hybrid::dfa::Config {
        hybrid::dfa::Config::new()
            .match_kind(MatchKind::LeftmostFirst)
            .starts_for_each_pattern(true)
            .byte_classes(true)
            .unicode_word_boundary(true)
            .specialize_start_states(false)
            .cache_capacity(self.cache_capacity)
            .skip_cache_capacity_check(false)
            .minimum_cache_clear_count(Some(3))
            .minimum_bytes_per_state(Some(10))
    }

    /// Both NFAs of `pattern`.
    pub(crate) fn compile(&self, pattern: &str) -> Option<(NFA, NFA)> {
        let hir = syntax::parse_with(pattern, &self.syntax()).ok()?;
        let forward = thompson::Compiler::new()
            .configure(self.forward())
            .build_from_hir(&hir)
            .ok()?;
        let reverse = thompson::Compiler::new()
            .configure(self.reverse())
            .build_from_hir(&hir)
            .ok()?;
        Some((forward, reverse))
    }
}

/// Per-thread search state of a [`Regex`].
struct Cache {
    lazy: Option<hybrid::regex::Cache>,
    pikevm: Option<thompson::pikevm::Cache>,
}

type CacheFn =
    Box<dyn Fn() -> Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// A compiled cue.
pub(crate) struct Regex {
    /// The forward and reverse lazy DFAs; `None` if they could not be built (the PikeVM then
    /// searches alone).
    lazy: Option<Arc<hybrid::regex::Regex>>,
    /// Built the first time a lazy DFA gives up, which is rare.
    pikevm: OnceLock<Option<PikeVM>>,
    forward: NFA,
    caches: Pool<Cache, CacheFn>,
}

impl Regex {
    fn from_nfas(settings: &Settings, forward: NFA, reverse: NFA) -> Regex {
        let config = settings.lazy_dfa();
        let fwd = hybrid::dfa::Builder::new()
            .configure(config.clone())
            .build_from_nfa(forward.clone());
        let rev = hybrid::dfa::Builder::new()
            .configure(config.match_kind(MatchKind::All))
            .build_from_nfa(reverse);
        let lazy = match (fwd, rev) {
            (Ok(fwd), Ok(rev)) => Some(Arc::new(
                hybrid::regex::Builder::new().build_from_dfas(fwd, rev),
            )),
            _ => None,
        };
        let for_caches = lazy.clone();
        let create: CacheFn = Box::new(move || Cache {
            lazy: for_caches
                .as_deref()
                .map(hybrid::regex::Regex::create_cache),
            pikevm: None,
        });
        Regex {
            lazy,
            pikevm: OnceLock::new(),
            forward,
            caches: Pool::new(create),
        }
    }

    /// `pattern` compiled from its text.
    pub(crate) fn compile(settings: &Settings, pattern: &str) -> Regex {
        match settings.compile(pattern) {
            Some((forward, reverse)) => Regex::from_nfas(settings, forward, reverse),
            None => Regex::never(settings),
        }
    }

    /// A regex that matches nothing, for a cue that does not compile (the cues are fixed and
    /// tested, so this is a safeguard, not a path).
    fn never(settings: &Settings) -> Regex {
        let nfa = NFA::never_match();
        Regex::from_nfas(settings, nfa.clone(), nfa)
    }

    fn pikevm(&self) -> Option<&PikeVM> {
        self.pikevm
            .get_or_init(|| {
                PikeVM::builder()
                    .configure(PikeVM::config().match_kind(MatchKind::LeftmostFirst))
                    .build_from_nfa(self.forward.clone())
                    .ok()
            })
            .as_ref()
    }

    /// The PikeVM's answer, when the lazy DFAs could not give one.
    fn slow_find(&self, cache: &mut Cache, input: &Input<'_>) -> Option<Match> {
        let vm = self.pikevm()?;
        let vm_cache = cache.pikevm.get_or_insert_with(|| vm.create_cache());
        vm.find(vm_cache, input.clone())
    }

    /// Whether the cue matches anywhere in `input`.
    pub(crate) fn is_match<'h, I: Into<Input<'h>>>(&self, input: I) -> bool {
        let input = input.into().earliest(true);
        let mut cache = self.caches.get();
        if let (Some(lazy), Some(lazy_cache)) = (&self.lazy, cache.lazy.as_mut()) {
            if let Ok(found) = lazy
                .forward()
                .try_search_fwd(lazy_cache.as_parts_mut().0, &input)
            {
                return found.is_some();
            }
        }
        self.slow_find(&mut cache, &input).is_some()
    }

    /// The cue's leftmost-first match in `input`.
    pub(crate) fn find<'h, I: Into<Input<'h>>>(&self, input: I) -> Option<Match> {
        let input = input.into();
        let mut cache = self.caches.get();
        if let (Some(lazy), Some(lazy_cache)) = (&self.lazy, cache.lazy.as_mut()) {
            if let Ok(found) = lazy.try_search(lazy_cache, &input) {
                return found;
            }
        }
        self.slow_find(&mut cache, &input)
    }

    /// Every match of the cue in `input`, left to right, none overlapping.
    pub(crate) fn find_iter<'r, 'h, I: Into<Input<'h>>>(&'r self, input: I) -> Matches<'r, 'h> {
        Matches {
            regex: self,
            searcher: Searcher::new(input.into()),
        }
    }
}

/// The matches of [`Regex::find_iter`].
pub(crate) struct Matches<'r, 'h> {
    regex: &'r Regex,
    searcher: Searcher<'h>,
}

impl Iterator for Matches<'_, '_> {
    type Item = Match;

    fn next(&mut self) -> Option<Match> {
        let regex = self.regex;
        self.searcher.advance(|input| Ok(regex.find(input.clone())))
    }
}

/// A fixed list of regexes (the cues), each compiled the first time it is needed: with the
/// cache on, read back from the file the first run wrote (that run compiles them all and writes
/// it); with it off, from its text.
pub(crate) struct Kept {
    settings: Settings,
    sources: Vec<String>,
    /// The NFAs of every regex, once the cache has been read or written; `None` with the cache
    /// off.
    nfas: OnceLock<Option<Arc<Nfas>>>,
}

/// Every regex's NFAs: still as bytes when read from the cache (each is decoded when first
/// needed), or as compiled.
enum Nfas {
    Read {
        body: Vec<u8>,
        at: Vec<(usize, usize)>,
    },
    Compiled(Vec<Option<(NFA, NFA)>>),
}

/// Bumped whenever the layout of [`Kept`]'s file changes.
const FORMAT: &[u8] = b"tact automata 1\n";

/// The largest file body read back: the cues' NFAs take under a megabyte.
const MAX_BODY: usize = 64 << 20;

impl Kept {
    pub(crate) fn new(settings: Settings, sources: Vec<String>) -> Kept {
        Kept {
            settings,
            sources,
            nfas: OnceLock::new(),
        }
    }

    /// The regex of source `index` (out of range: one that matches nothing).
    pub(crate) fn regex(&self, index: usize) -> Regex {
        let nfas = match self.nfas.get_or_init(|| self.load_or_compile()).as_deref() {
            Some(Nfas::Read { body, at }) => at.get(index).and_then(|&(start, end)| {
                let mut reader = Reader(body.get(start..end)?);
                let forward = codec::decode(&mut reader, &self.settings.forward())?;
                let reverse = codec::decode(&mut reader, &self.settings.reverse())?;
                reader.is_empty().then_some((forward, reverse))
            }),
            Some(Nfas::Compiled(all)) => all.get(index).cloned().flatten(),
            None => None,
        };
        // A part of the file that does not read back is compiled again, as a miss would be.
        match nfas {
            Some((forward, reverse)) => Regex::from_nfas(&self.settings, forward, reverse),
            None => match self.sources.get(index) {
                Some(source) => Regex::compile(&self.settings, source),
                None => Regex::never(&self.settings),
            },
        }
    }

    /// With the cache on: the file's NFAs, or every regex compiled and the file written.
    fn load_or_compile(&self) -> Option<Arc<Nfas>> {
        let sources: Vec<&str> = self.sources.iter().map(String::as_str).collect();
        let entry = crate::cache::entry("automata", FORMAT, "cues", &sources)?;
        if let Some(read) = entry.load(MAX_BODY).and_then(|body| self.index(body)) {
            return Some(Arc::new(read));
        }
        let compiled: Vec<Option<(NFA, NFA)>> = sources
            .iter()
            .map(|source| self.settings.compile(source))
            .collect();
        store(&entry, &compiled);
        Some(Arc::new(Nfas::Compiled(compiled)))
    }

    /// Where each regex's NFAs are in a file body: a length (u32) before each; `None` unless
    /// the lengths cover the body exactly, one per regex.
    fn index(&self, body: Vec<u8>) -> Option<Nfas> {
        let mut at = Vec::with_capacity(self.sources.len());
        let mut reader = Reader(&body);
        while !reader.is_empty() {
            let len = reader.u32()? as usize;
            let start = body.len() - reader.0.len();
            reader.take(len)?;
            at.push((start, start + len));
        }
        (at.len() == self.sources.len()).then_some(Nfas::Read { body, at })
    }
}

/// Writes every regex's NFAs to `entry`; nothing if one did not compile (the next run compiles
/// them again).
fn store(entry: &Entry, compiled: &[Option<(NFA, NFA)>]) {
    let mut body = Vec::new();
    for nfas in compiled {
        let Some((forward, reverse)) = nfas else {
            return;
        };
        let mut bytes = Vec::new();
        if codec::encode(forward, &mut bytes).is_none()
            || codec::encode(reverse, &mut bytes).is_none()
        {
            return;
        }
        let Ok(len) = u32::try_from(bytes.len()) else {
            return;
        };
        body.extend(len.to_le_bytes());
        body.extend(bytes);
    }
    entry.store(&body);
}

/// Whether `pattern`'s NFAs, written as the cache writes them and read back, are the NFAs
/// compiled from it, state for state.
#[cfg(test)]
pub(crate) fn reads_back_as_compiled(settings: &Settings, pattern: &str) -> bool {
    let Some((forward, reverse)) = settings.compile(pattern) else {
        return false;
    };
    let mut bytes = Vec::new();
    if codec::encode(&forward, &mut bytes).is_none()
        || codec::encode(&reverse, &mut bytes).is_none()
    {
        return false;
    }
    let mut reader = Reader(&bytes);
    let back = (
        codec::decode(&mut reader, &settings.forward()),
        codec::decode(&mut reader, &settings.reverse()),
    );
    matches!(back, (Some(f), Some(r)) if reader.is_empty()
        && format!("{f:?}") == format!("{forward:?}")
        && format!("{r:?}") == format!("{reverse:?}"))
}
