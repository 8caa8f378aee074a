//! The `include` graph of a policy's phrase sets: cycles and chains too long, found in one
//! linear pass (Tarjan's strongly connected components, iterative, so no chain of includes can
//! exhaust the stack).

use std::collections::HashMap;

use super::ast::{PhraseEntry, PhraseSetDef};
use super::error::{Located, PolicyError};
use super::limits::MAX_INCLUDE_DEPTH;

/// One error per cycle of includes (at its first set), and one per set where a chain of
/// includes first grows longer than [`MAX_INCLUDE_DEPTH`].
pub(crate) fn include_errors(sets: &[Located<'_, PhraseSetDef>]) -> Vec<PolicyError> {
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    for (i, set) in sets.iter().enumerate() {
        by_name.entry(set.item.name.name.as_str()).or_insert(i);
    }
    let graph: Vec<Vec<usize>> = sets
        .iter()
        .map(|set| {
            included_names(set.item)
                .filter_map(|name| by_name.get(name).copied())
                .collect()
        })
        .collect();
    let mut errors = Vec::new();
    let mut depth = vec![0usize; sets.len()];
    for component in components(&graph) {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|&v| graph.get(v).is_some_and(|out| out.contains(&v)));
        if cyclic {
            if let Some(set) = component.iter().min().and_then(|&v| sets.get(v)) {
                let name = &set.item.name;
                errors.push(
                    set.error(
                        name.span,
                        format!("the phrase set `{}` includes itself", name.name),
                    )
                    .with_code("P015"),
                );
            }
            continue;
        }
        // Components come out after every component they reach, so the depths below are known.
        for &v in &component {
            let below = graph
                .get(v)
                .into_iter()
                .flatten()
                .map(|&w| depth.get(w).map_or(0, |d| d + 1))
                .max()
                .unwrap_or(0);
            depth[v] = below;
            if below == MAX_INCLUDE_DEPTH + 1 {
                if let Some(set) = sets.get(v) {
                    let name = &set.item.name;
                    errors.push(
                        set.error(
                            name.span,
                            format!(
                                "the phrase set `{}` starts a chain of more than {MAX_INCLUDE_DEPTH} `include`s",
                                name.name
                            ),
                        )
                        .with_code("P016")
                        .with_help("include the sets it needs directly instead of through a chain"),
                    );
                }
            }
        }
    }
    errors
}

/// The names a set includes, among its entries and its exceptions.
pub(crate) fn included_names(set: &PhraseSetDef) -> impl Iterator<Item = &str> {
    set.entries
        .iter()
        .chain(&set.exceptions)
        .filter_map(|e| match e {
            PhraseEntry::Include(i) => Some(i.name.as_str()),
            _ => None,
        })
}

/// The strongly connected components of `graph`, each after every component it reaches.
fn components(graph: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = graph.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        // The walk's own stack: a vertex and how many of its edges have been followed.
        let mut walk = vec![(root, 0usize)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = walk.last_mut() {
            if let Some(&w) = graph[v].get(*edge) {
                *edge += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    walk.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            walk.pop();
            if let Some(&(parent, _)) = walk.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(component);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn components_come_after_what_they_reach() {
        // 0 -> 1 <-> 2 -> 3, and 4 alone.
        let graph = vec![vec![1], vec![2], vec![1, 3], vec![], vec![]];
        let mut found = components(&graph);
        for c in &mut found {
            c.sort_unstable();
        }
        assert_eq!(found, vec![vec![3], vec![1, 2], vec![0], vec![4]]);
    }
}
