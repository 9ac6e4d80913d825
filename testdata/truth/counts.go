package truth

// Counts returns, after Walk, the number of recorded objects per type. A program that
// dumps its heap more than once (growth) keeps the counts of each moment and writes
// its own truth file from them.
func (r *Recorder) Counts() map[string]int {
	out := make(map[string]int, len(r.t.Counts))
	for k, v := range r.t.Counts {
		out[k] = v
	}
	return out
}
