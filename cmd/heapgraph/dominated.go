package main

import "github.com/heapgraph/heapgraph/graph"

// keptAliveBy returns a predicate telling whether a node is dominated by
// one of the targets: every path from the roots to it runs through a
// target, so it is alive only because a target is and cannot be why a
// target is alive (a Conn's back pointer to the manager that owns it, a
// closure the target holds that captures the target). Back-reference
// images leave such referrers out.
//
// Answers are memoized along the dominator chains walked, so however many
// referrers are asked about, each node's chain is walked once.
func keptAliveBy(dom *graph.Dominators, targets []graph.NodeID) func(graph.NodeID) bool {
	const (
		unknown = iota
		yes
		no
	)
	memo := map[graph.NodeID]uint8{}
	for _, t := range targets {
		memo[t] = yes
	}
	var chain []graph.NodeID
	return func(n graph.NodeID) bool {
		chain = chain[:0]
		answer := uint8(no)
		for x := dom.Idom(n); ; x = dom.Idom(x) {
			if x == graph.SuperRoot || x == graph.NoNode {
				break
			}
			if m := memo[x]; m != unknown {
				answer = m
				break
			}
			chain = append(chain, x)
		}
		for _, x := range chain {
			memo[x] = answer
		}
		return answer == yes
	}
}
