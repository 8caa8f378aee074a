//! Picking the conversations a reviewer should read: a reproducible random sample, optionally
//! stratified, plus every conversation a critical rule sent to 0 when asked.
//!
//! Each conversation gets a key, the SipHash-1-3 of its id keyed by the seed, and a sample is the
//! conversations with the smallest keys. The key depends only on the id and the seed, so the same
//! seed picks the same conversations whatever order the files are read in, and a conversation in
//! the sample stays in it when more data is added (unless one with a smaller key comes along).
//! Only the `size` smallest keys of each stratum are kept while reading, so memory stays bounded
//! by the sample, not the batch.
//!
//! Strata: by agent, by team, or by rule, where a conversation's rule is the failed rule that cost
//! it the most points (`no violation` when none failed). Each stratum gets one conversation first
//! (so a rare agent or rule is seen), then the rest in proportion to its size.

use std::collections::{BTreeMap, BinaryHeap};
use std::hash::Hasher;

use serde::Serialize;
use siphasher::sip::SipHasher13;

use super::{Scorecard, Verdict};

/// How to group conversations before sampling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strata {
    /// One group: a simple random sample.
    None,
    /// By agent.
    Agent,
    /// By team.
    Team,
    /// By the failed rule that cost the conversation most.
    Rule,
}

/// What was sampled, for the report to say.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// Conversations in the sample.
    pub size: usize,
    /// Conversations it was drawn from.
    pub of: usize,
    /// The seed.
    pub seed: u64,
    /// The strata.
    pub strata: Strata,
    /// Of the sample, how many are there because a critical rule failed (`--sample-critical`).
    pub critical: usize,
}

/// Collects candidates as the scorecards stream by.
#[derive(Debug)]
pub struct Sampler<T> {
    size: usize,
    seed: u64,
    strata: Strata,
    all_critical: bool,
    seen: usize,
    /// Per stratum: how many conversations it holds, and its `size` smallest keys.
    groups: BTreeMap<String, (usize, BinaryHeap<(u64, usize)>)>,
    /// The candidates still kept, by arrival number.
    kept: BTreeMap<usize, T>,
    /// Conversations kept because a critical rule failed, by arrival number.
    critical: BTreeMap<usize, T>,
}

impl<T> Sampler<T> {
    /// A sampler of `size` conversations with this seed; with `all_critical`, every conversation
    /// a critical rule sent to 0 is added to the sample.
    pub fn new(size: usize, seed: u64, strata: Strata, all_critical: bool) -> Sampler<T> {
        Sampler {
            size,
            seed,
            strata,
            all_critical,
            seen: 0,
            groups: BTreeMap::new(),
            kept: BTreeMap::new(),
            critical: BTreeMap::new(),
        }
    }

    /// The conversation's key: its id hashed with the seed.
    fn key(&self, id: &str) -> u64 {
        let mut hasher = SipHasher13::new_with_keys(self.seed, 0x7461_6374);
        hasher.write(id.as_bytes());
        hasher.finish()
    }

    fn stratum(&self, card: &Scorecard) -> String {
        let named = |name: &Option<String>| name.clone().unwrap_or_else(|| "(none)".into());
        match self.strata {
            Strata::None => String::new(),
            Strata::Agent => named(&card.agent),
            Strata::Team => named(&card.team),
            Strata::Rule => card
                .rules
                .iter()
                .filter(|r| r.verdict == Verdict::Fail)
                .fold(None::<&super::RuleScore>, |best, r| match best {
                    Some(b) if b.points_lost >= r.points_lost => Some(b),
                    _ => Some(r),
                })
                .map_or_else(|| "no violation".into(), |r| r.rule.clone()),
        }
    }

    /// Offers one conversation: its scorecard, and what to keep of it if it may be picked (made
    /// only then).
    pub fn offer(&mut self, card: &Scorecard, item: impl FnOnce() -> T) {
        let arrival = self.seen;
        self.seen += 1;
        if self.all_critical && card.critical_failure.is_some() {
            self.critical.insert(arrival, item());
            return;
        }
        let key = self.key(&card.id);
        let stratum = self.stratum(card);
        let (count, heap) = self.groups.entry(stratum).or_default();
        *count += 1;
        if heap.len() < self.size {
            heap.push((key, arrival));
            self.kept.insert(arrival, item());
        } else if heap.peek().is_some_and(|&(largest, _)| key < largest) {
            if let Some((_, dropped)) = heap.pop() {
                self.kept.remove(&dropped);
            }
            heap.push((key, arrival));
            self.kept.insert(arrival, item());
        }
    }

    /// The sample in the order the conversations were read, and what it is.
    pub fn finish(mut self) -> (Vec<T>, Sample) {
        let shares = self.shares();
        let mut chosen: BTreeMap<usize, T> = BTreeMap::new();
        for ((_, (_, heap)), share) in self.groups.into_iter().zip(shares) {
            for (_, arrival) in heap.into_sorted_vec().into_iter().take(share) {
                if let Some(item) = self.kept.remove(&arrival) {
                    chosen.insert(arrival, item);
                }
            }
        }
        let critical = self.critical.len();
        chosen.append(&mut self.critical);
        let sample = Sample {
            size: chosen.len(),
            of: self.seen,
            seed: self.seed,
            strata: self.strata,
            critical,
        };
        (chosen.into_values().collect(), sample)
    }

    /// How many each stratum gives (in the order of `groups`): one each first (the strata whose
    /// smallest key is smallest, when there are more strata than places), then by largest
    /// shortfall from its proportional share, never more than it holds.
    fn shares(&self) -> Vec<usize> {
        let sizes: Vec<usize> = self.groups.values().map(|(n, _)| *n).collect();
        let total: usize = sizes.iter().sum();
        let mut shares = vec![0; sizes.len()];
        let mut left = self.size.min(total);
        let mut by_first_key: Vec<(u64, usize)> = self
            .groups
            .values()
            .enumerate()
            .filter_map(|(i, (_, heap))| heap.iter().map(|&(k, _)| k).min().map(|k| (k, i)))
            .collect();
        by_first_key.sort_unstable();
        for (_, i) in by_first_key {
            if left == 0 {
                break;
            }
            shares[i] = 1;
            left -= 1;
        }
        while left > 0 {
            let want =
                |i: usize| sizes[i] as f64 * self.size as f64 / total as f64 - shares[i] as f64;
            let Some(next) = (0..sizes.len())
                .filter(|&i| shares[i] < sizes[i].min(self.size))
                .max_by(|&a, &b| want(a).total_cmp(&want(b)).then(b.cmp(&a)))
            else {
                break;
            };
            shares[next] += 1;
            left -= 1;
        }
        shares
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(id: &str, agent: &str, critical: bool) -> Scorecard {
        Scorecard {
            id: id.into(),
            source: String::new(),
            agent: Some(agent.into()),
            team: None,
            week: None,
            score: Some(50.0),
            critical_failure: critical.then(|| "never-say-wrong".into()),
            rules: Vec::new(),
        }
    }

    fn sample(cards: &[Scorecard], size: usize, seed: u64, strata: Strata) -> Vec<String> {
        let mut sampler = Sampler::new(size, seed, strata, false);
        for c in cards {
            sampler.offer(c, || c.id.clone());
        }
        sampler.finish().0
    }

    fn batch() -> Vec<Scorecard> {
        (0..200)
            .map(|i| card(&format!("c{i}"), if i < 190 { "ana" } else { "bo" }, i == 7))
            .collect()
    }

    #[test]
    fn the_same_seed_picks_the_same_conversations_in_any_order() {
        let cards = batch();
        let first = sample(&cards, 10, 42, Strata::None);
        assert_eq!(first.len(), 10);
        let mut reversed = cards.clone();
        reversed.reverse();
        let mut again = sample(&reversed, 10, 42, Strata::None);
        again.reverse();
        assert_eq!(first, again);
        assert_ne!(first, sample(&cards, 10, 43, Strata::None));
    }

    #[test]
    fn a_rare_stratum_is_seen_and_the_rest_is_proportional() {
        let picked = sample(&batch(), 10, 1, Strata::Agent);
        let bo = picked
            .iter()
            .filter(|id| id[1..].parse::<usize>().unwrap() >= 190)
            .count();
        // bo holds 10 of 200: one place first, then 10 × 10/200 = 0.5 more is less than ana's
        // shortfall, so bo keeps one and ana takes nine.
        assert_eq!((picked.len(), bo), (10, 1), "{picked:?}");
    }

    #[test]
    fn critical_conversations_are_all_added() {
        let cards = batch();
        let mut sampler = Sampler::new(3, 5, Strata::None, true);
        for c in &cards {
            sampler.offer(c, || c.id.clone());
        }
        let (picked, info) = sampler.finish();
        assert!(picked.contains(&"c7".to_string()));
        assert_eq!((info.size, info.of, info.critical), (4, 200, 1));
    }

    #[test]
    fn a_sample_larger_than_the_batch_is_the_batch() {
        let cards = batch();
        assert_eq!(sample(&cards[..5], 10, 9, Strata::Agent).len(), 5);
        assert!(sample(&cards, 0, 9, Strata::None).is_empty());
    }
}
