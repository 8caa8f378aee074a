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
use regex_automata::nfa::thompson::backtrack::BoundedBacktracker;
use regex_automata::nfa::thompson::{self, pikevm::PikeVM, WhichCaptures, NFA};
use regex_automata::util::captures::{Captures, GroupInfo};
use regex_automata::util::iter::Searcher;
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, Match, MatchKind};
use regex_syntax::hir::Hir;

use crate::cache::{Body, Entry, Reader};

/// How a list of regexes is parsed and compiled: the settings of the meta regex each was
/// compiled to before it was kept.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// What the cache file's name is derived with, beside the sources.
    name: &'static str,
    /// The syntax tree of a source; `None` if it does not parse.
    parse: fn(&str) -> Option<Hir>,
    /// Whether empty matches may split a UTF-8 character (`false`) or not.
    utf8: bool,
    captures: WhichCaptures,
    nfa_size_limit: usize,
    cache_capacity: usize,
}

impl Settings {
    /// Settings named `name` (what the cache file's name is derived with): `parse` gives a
    /// source's syntax tree, `utf8` whether empty matches stay between UTF-8 characters,
    /// `captures` which groups are kept, and the NFA's size limit and the lazy DFAs' cache, in
    /// bytes.
    pub(crate) const fn new(
        name: &'static str,
        parse: fn(&str) -> Option<Hir>,
        utf8: bool,
        captures: WhichCaptures,
        nfa_size_limit: usize,
        cache_capacity: usize,
    ) -> Settings {
        Settings {
            name,
            parse,
            utf8,
            captures,
            nfa_size_limit,
            cache_capacity,
        }
    }

    /// What the cache key holds of the settings: all but the parser, which is code (the build's
    /// identity covers it).
    fn describe(&self) -> String {
        format!(
            "{} utf8={} captures={:?} nfa={} cache={}",
            self.name, self.utf8, self.captures, self.nfa_size_limit, self.cache_capacity
        )
    }

    /// The forward NFA's configuration, as the meta regex derives it from its own.
    fn forward(&self) -> thompson::Config {
        thompson::Config::new()
            .utf8(self.utf8)
            .nfa_size_limit(Some(self.nfa_size_limit))
            .shrink(false)
            .which_captures(self.captures)
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
        let hir = (self.parse)(pattern)?;
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
    backtrack: Option<thompson::backtrack::Cache>,
}

type CacheFn =
    Box<dyn Fn() -> Cache + Send + Sync + std::panic::UnwindSafe + std::panic::RefUnwindSafe>;

/// A compiled regex.
pub(crate) struct Regex {
    /// The forward and reverse lazy DFAs; `None` if they could not be built (the PikeVM then
    /// searches alone).
    lazy: Option<Arc<hybrid::regex::Regex>>,
    /// Built the first time a lazy DFA cannot answer, or groups are asked for.
    pikevm: OnceLock<Option<PikeVM>>,
    /// The same: faster than the PikeVM on short spans.
    backtrack: OnceLock<Option<BoundedBacktracker>>,
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
            backtrack: None,
        });
        Regex {
            lazy,
            pikevm: OnceLock::new(),
            backtrack: OnceLock::new(),
            forward,
            caches: Pool::new(create),
        }
    }

    /// `pattern` compiled from its text; `None` if it does not compile.
    pub(crate) fn compile(settings: &Settings, pattern: &str) -> Option<Regex> {
        let (forward, reverse) = settings.compile(pattern)?;
        Some(Regex::from_nfas(settings, forward, reverse))
    }

    /// A regex that matches nothing, for a cue that does not compile (the cues are fixed and
    /// tested, so this is a safeguard, not a path).
    pub(crate) fn never(settings: &Settings) -> Regex {
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

    fn backtracker(&self) -> Option<&BoundedBacktracker> {
        self.backtrack
            .get_or_init(|| {
                BoundedBacktracker::builder()
                    .build_from_nfa(self.forward.clone())
                    .ok()
            })
            .as_ref()
    }

    /// The answer of the bounded backtracker (on a span short enough for it) or the PikeVM,
    /// when the lazy DFAs could not give one (a Unicode word boundary on a non-ASCII text, a
    /// lazy DFA that gave up), as the meta regex falls back.
    fn slow_find(&self, cache: &mut Cache, input: &Input<'_>) -> Option<Match> {
        if let Some(bt) = self.backtracker() {
            if input.get_span().len() <= bt.max_haystack_len() {
                let bt_cache = cache.backtrack.get_or_insert_with(|| bt.create_cache());
                if let Ok(found) = bt.try_find(bt_cache, input.clone()) {
                    return found;
                }
            }
        }
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

    /// The leftmost-first match in `input`.
    pub(crate) fn find<'h, I: Into<Input<'h>>>(&self, input: I) -> Option<Match> {
        let input = input.into();
        let mut cache = self.caches.get();
        if let (Some(lazy), Some(lazy_cache)) = (&self.lazy, cache.lazy.as_mut()) {
            if let Some(found) = lazy_find(lazy, lazy_cache, &input) {
                return found;
            }
        }
        self.slow_find(&mut cache, &input)
    }

    /// The groups a capture search fills.
    pub(crate) fn group_info(&self) -> &GroupInfo {
        self.forward.group_info()
    }

    /// Room for the groups of a match.
    pub(crate) fn create_captures(&self) -> Captures {
        Captures::all(self.group_info().clone())
    }

    /// The leftmost-first match in `input` with its groups, as the meta regex finds them: the
    /// lazy DFAs find the match, then the backtracker (or, on a span too long for it, the
    /// PikeVM) finds its groups within it.
    pub(crate) fn search_captures(&self, input: &Input<'_>, caps: &mut Captures) {
        caps.set_pattern(None);
        let Some(found) = self.find(input.clone()) else {
            return;
        };
        let span = input
            .clone()
            .span(found.range())
            .anchored(Anchored::Pattern(found.pattern()));
        let mut cache = self.caches.get();
        if let Some(bt) = self.backtracker() {
            if span.get_span().len() <= bt.max_haystack_len() {
                let bt_cache = cache.backtrack.get_or_insert_with(|| bt.create_cache());
                if bt.try_search(bt_cache, &span, caps).is_ok() {
                    return;
                }
            }
        }
        if let Some(vm) = self.pikevm() {
            let vm_cache = cache.pikevm.get_or_insert_with(|| vm.create_cache());
            vm.search(vm_cache, &span, caps);
        }
    }

    /// Every match of the cue in `input`, left to right, none overlapping.
    pub(crate) fn find_iter<'r, 'h, I: Into<Input<'h>>>(&'r self, input: I) -> Matches<'r, 'h> {
        Matches {
            regex: self,
            searcher: Searcher::new(input.into()),
        }
    }
}

#[cfg(test)]
impl Regex {
    /// Every match's groups (start and end of each, `None` where a group took no part), left
    /// to right, as the meta regex's `captures_iter` gives them.
    pub(crate) fn captures_spans(&self, text: &str) -> Vec<Vec<Option<(usize, usize)>>> {
        let mut out = Vec::new();
        let mut searcher = Searcher::new(Input::new(text));
        loop {
            let mut caps = self.create_captures();
            let found = searcher.advance(|input| {
                self.search_captures(input, &mut caps);
                Ok(caps.get_match())
            });
            if found.is_none() {
                return out;
            }
            out.push(caps.iter().map(|g| g.map(|s| (s.start, s.end))).collect());
        }
    }
}

/// The leftmost-first match by the lazy DFAs, as `hybrid::regex::Regex::try_search` finds it:
/// where it ends by the forward one, where it starts by the reverse one from there. `None` when
/// they cannot say: a lazy DFA gave up, or the reverse one finds no start where the forward one
/// found an end (which two NFAs compiled together never do, but a damaged or forged cache file
/// could make; the engine's own search would panic there).
fn lazy_find(
    lazy: &hybrid::regex::Regex,
    cache: &mut hybrid::regex::Cache,
    input: &Input<'_>,
) -> Option<Option<Match>> {
    let (forward, reverse) = cache.as_parts_mut();
    let Some(end) = lazy.forward().try_search_fwd(forward, input).ok()? else {
        return Some(None);
    };
    let anchored = match input.get_anchored() {
        Anchored::No => lazy.forward().get_nfa().is_always_start_anchored(),
        Anchored::Yes | Anchored::Pattern(_) => true,
    };
    if input.start() == end.offset() || anchored {
        let start = if input.start() == end.offset() {
            end.offset()
        } else {
            input.start()
        };
        return Some(Some(Match::new(end.pattern(), start..end.offset())));
    }
    let back = input
        .clone()
        .span(input.start()..end.offset())
        .anchored(Anchored::Yes)
        .earliest(false);
    let start = lazy.reverse().try_search_rev(reverse, &back).ok()??;
    (start.offset() <= end.offset())
        .then(|| Some(Match::new(end.pattern(), start.offset()..end.offset())))
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

/// A fixed list of regexes (the cues, a policy's regexes), each compiled the first time it is
/// needed: read back from the entry built into the binary (the built-in policy's lists), else
/// with the cache on from the file the first run wrote (that run compiles them all and writes
/// it), else from its text.
pub(crate) struct Kept {
    settings: Settings,
    sources: Vec<String>,
    /// The NFAs of every regex, once the entry has been read or written; `None` when there is
    /// none (the cache off, and the list not built in).
    nfas: OnceLock<Option<Arc<Nfas>>>,
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Regex")
            .field("states", &self.forward.states().len())
            .finish()
    }
}

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kept")
            .field("settings", &self.settings.name)
            .field("sources", &self.sources.len())
            .finish()
    }
}

/// Every regex's NFAs: still as bytes when read from the cache (each is decoded when first
/// needed), or as compiled.
enum Nfas {
    Read { body: Body, at: Vec<(usize, usize)> },
    Compiled(Vec<Option<(NFA, NFA)>>),
}

/// Bumped whenever the layout of [`Kept`]'s file changes, or what its NFAs are read back as.
const FORMAT: &[u8] = b"tact automata 2\n";

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

    /// Reads the cache file now, or on a miss compiles every regex (on the thread pool,
    /// unless called from it) and writes it. Without it, this happens at the first
    /// [`Self::regex`], one regex after another.
    pub(crate) fn prepare(&self) {
        let parallel = rayon::current_thread_index().is_none();
        self.nfas.get_or_init(|| self.load_or_compile(parallel));
    }

    /// The regex of source `index`; `None` if it does not compile (or there is no such source).
    pub(crate) fn regex(&self, index: usize) -> Option<Regex> {
        let nfas = match self
            .nfas
            .get_or_init(|| self.load_or_compile(false))
            .as_deref()
        {
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
            Some((forward, reverse)) => Some(Regex::from_nfas(&self.settings, forward, reverse)),
            None => Regex::compile(&self.settings, self.sources.get(index)?),
        }
    }

    /// Whether the NFAs are read from the entries built into the binary (`crate::cache`).
    #[cfg(test)]
    pub(crate) fn reads_built_in(&self) -> bool {
        matches!(
            self.nfas.get_or_init(|| self.load_or_compile(false)).as_deref(),
            Some(Nfas::Read { body, .. }) if body.is_built_in()
        )
    }

    /// The built-in entry's NFAs, or with the cache on the file's, or every regex compiled and
    /// the file written.
    fn load_or_compile(&self, parallel: bool) -> Option<Arc<Nfas>> {
        let sources: Vec<&str> = self.sources.iter().map(String::as_str).collect();
        let entry = crate::cache::entry("automata", FORMAT, &self.settings.describe(), &sources)?;
        if let Some(read) = entry.load(MAX_BODY).and_then(|body| self.index(body)) {
            return Some(Arc::new(read));
        }
        let compiled: Vec<Option<(NFA, NFA)>> = if parallel {
            use rayon::prelude::*;
            sources
                .par_iter()
                .map(|source| self.settings.compile(source))
                .collect()
        } else {
            sources
                .iter()
                .map(|source| self.settings.compile(source))
                .collect()
        };
        store(&entry, &compiled);
        Some(Arc::new(Nfas::Compiled(compiled)))
    }

    /// Where each regex's NFAs are in a file body: a length (u32) before each; `None` unless
    /// the lengths cover the body exactly, one per regex.
    fn index(&self, body: Body) -> Option<Nfas> {
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
    if let Some(body) = encode_all(compiled) {
        entry.store(&body);
    }
}

/// The body of [`Kept`]'s file: for each regex, the length of its NFAs' bytes (u32), then its
/// forward and its reverse NFA; `None` if one did not compile or cannot be written.
fn encode_all(compiled: &[Option<(NFA, NFA)>]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    for nfas in compiled {
        let (forward, reverse) = nfas.as_ref()?;
        let mut bytes = Vec::new();
        codec::encode(forward, &mut bytes)?;
        codec::encode(reverse, &mut bytes)?;
        body.extend(u32::try_from(bytes.len()).ok()?.to_le_bytes());
        body.extend(bytes);
    }
    Some(body)
}

/// The capture slots a search of `pattern`'s forward NFA keeps, summed over its states (see
/// `codec::SLOT_BUDGET`).
#[cfg(test)]
pub(crate) fn slots_of(settings: &Settings, pattern: &str) -> Option<(u64, u64)> {
    let (forward, _) = settings.compile(pattern)?;
    let groups = forward
        .group_info()
        .group_len(regex_automata::PatternID::ZERO);
    Some((
        codec::slots(forward.states().len(), groups),
        codec::SLOT_BUDGET,
    ))
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

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::util::syntax;

    fn parse_bytes(pattern: &str) -> Option<Hir> {
        syntax::parse_with(pattern, &syntax::Config::new().utf8(false)).ok()
    }

    const BYTES: Settings = Settings::new(
        "test",
        parse_bytes,
        false,
        WhichCaptures::Implicit,
        1 << 20,
        1 << 20,
    );

    fn sources() -> Vec<String> {
        vec![
            r"(?-u)\bsorry\b".to_string(),
            r"(?-u)refund(ed)?".to_string(),
        ]
    }

    fn body_of(sources: &[String]) -> Vec<u8> {
        let compiled: Vec<_> = sources.iter().map(|s| BYTES.compile(s)).collect();
        encode_all(&compiled).unwrap_or_default()
    }

    fn found(kept: &Kept, index: usize, text: &str) -> Option<std::ops::Range<usize>> {
        kept.regex(index)?.find(text).map(|m| m.range())
    }

    /// A file's NFAs are the regexes; a regex whose bytes do not read is compiled from its
    /// text instead, and one that does not exist or compile is none.
    #[test]
    fn regexes_are_read_back_or_compiled_again() {
        let kept = Kept::new(BYTES, sources());
        let body = body_of(&sources());
        let read = kept.index(Body::from(body.clone()));
        assert!(kept.nfas.set(read.map(Arc::new)).is_ok());
        assert_eq!(found(&kept, 0, "so sorry!"), Some(3..8));
        assert_eq!(found(&kept, 1, "we refunded it"), Some(3..11));
        assert!(kept.regex(2).is_none());

        // The second regex's bytes zeroed, its length kept: it is compiled from its text.
        let kept = Kept::new(BYTES, sources());
        let first = u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize;
        let mut damaged = body.clone();
        damaged[4 + first + 4..].fill(0);
        let read = kept.index(Body::from(damaged));
        assert!(kept.nfas.set(read.map(Arc::new)).is_ok());
        assert_eq!(found(&kept, 1, "we refunded it"), Some(3..11));

        let broken = Kept::new(BYTES, vec!["(".to_string()]);
        assert!(broken.regex(0).is_none());
    }

    /// A forward and a reverse NFA that do not belong together (a forged file) make no panic:
    /// the forward NFA's own answer is given.
    #[test]
    fn mismatched_automata_answer_without_panicking() {
        let (forward, _) = BYTES
            .compile(r"(?-u)\bsorry\b")
            .unwrap_or_else(|| panic!("compiles"));
        let (_, reverse) = BYTES.compile("zzz").unwrap_or_else(|| panic!("compiles"));
        let regex = Regex::from_nfas(&BYTES, forward, reverse);
        assert_eq!(regex.find("so sorry!").map(|m| m.range()), Some(3..8));
        assert!(regex.is_match("so sorry!"));
        assert_eq!(regex.find_iter("sorry, sorry").count(), 2);
        let mut caps = regex.create_captures();
        regex.search_captures(&Input::new("oh sorry"), &mut caps);
        assert_eq!(caps.get_match().map(|m| m.range()), Some(3..8));
    }

    /// Lengths that do not cover the body exactly, one per regex, make it no file at all.
    #[test]
    fn a_body_of_another_shape_is_refused() {
        let kept = Kept::new(BYTES, sources());
        let body = body_of(&sources());
        assert!(kept.index(Body::from(body.clone())).is_some());
        for cut in [1, 4, body.len() / 2, body.len() - 1] {
            assert!(
                kept.index(Body::from(body[..cut].to_vec())).is_none(),
                "cut {cut}"
            );
        }
        let mut longer = body.clone();
        longer.extend(body_of(&sources()[..1]));
        assert!(kept.index(Body::from(longer)).is_none());
        assert!(Kept::new(BYTES, sources()[..1].to_vec())
            .index(Body::from(body))
            .is_none());
    }
}
