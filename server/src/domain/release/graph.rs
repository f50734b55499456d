//! Release dependencies form a directed acyclic graph; adding an edge that would close a
//! loop is refused with the loop spelled out.

use std::collections::{HashMap, HashSet, VecDeque};
use std::hash::Hash;

/// The path `from → … → to` following `edges`, if there is one (breadth-first, so the
/// shortest). `edges(n)` lists the nodes `n` points to.
pub fn path<N, F>(from: N, to: N, mut edges: F) -> Option<Vec<N>>
where
    N: Copy + Eq + Hash,
    F: FnMut(N) -> Vec<N>,
{
    let mut came_from: HashMap<N, N> = HashMap::new();
    let mut seen: HashSet<N> = HashSet::from([from]);
    let mut queue = VecDeque::from([from]);
    while let Some(node) = queue.pop_front() {
        if node == to {
            let mut path = vec![to];
            let mut current = to;
            while let Some(previous) = came_from.get(&current) {
                path.push(*previous);
                current = *previous;
            }
            path.reverse();
            return Some(path);
        }
        for next in edges(node) {
            if seen.insert(next) {
                came_from.insert(next, node);
                queue.push_back(next);
            }
        }
    }
    None
}

/// The cycle that `release → depends_on` would close, as `[release, depends_on, …, release]`.
pub fn cycle_if_added<N, F>(release: N, depends_on: N, edges: F) -> Option<Vec<N>>
where
    N: Copy + Eq + Hash,
    F: FnMut(N) -> Vec<N>,
{
    let mut cycle = path(depends_on, release, edges)?;
    cycle.insert(0, release);
    Some(cycle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(u32, u32)]) -> impl FnMut(u32) -> Vec<u32> + '_ {
        move |n| {
            edges
                .iter()
                .filter(|(a, _)| *a == n)
                .map(|(_, b)| *b)
                .collect()
        }
    }

    #[test]
    fn finds_the_cycle_a_new_edge_would_close() {
        // 1 → 2 → 3; adding 3 → 1 closes 3 → 1 → 2 → 3.
        let edges = [(1, 2), (2, 3)];
        assert_eq!(cycle_if_added(3, 1, graph(&edges)), Some(vec![3, 1, 2, 3]));
    }

    #[test]
    fn accepts_edges_that_keep_the_graph_acyclic() {
        let edges = [(1, 2), (2, 3), (1, 3)];
        assert_eq!(cycle_if_added(1, 3, graph(&edges)), None);
        assert_eq!(cycle_if_added(4, 1, graph(&edges)), None);
    }

    #[test]
    fn diamond_is_not_a_cycle_and_self_loop_is() {
        let edges = [(1, 2), (1, 3), (2, 4), (3, 4)];
        assert_eq!(cycle_if_added(1, 4, graph(&edges)), None);
        assert_eq!(cycle_if_added(5, 5, graph(&[])), Some(vec![5, 5]));
    }
}
