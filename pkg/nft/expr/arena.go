// SPDX-License-Identifier: GPL-2.0-or-later

package expr

// Arena hands out expressions from slabs, so that decoding a dump costs an
// allocation per few hundred expressions rather than one each. What it
// hands out lives as long as anything points into its slab.
type Arena struct {
	payload []Payload
	meta    []Meta
	cmp     []Cmp
	bitwise []Bitwise
	rng     []Range
	counter []Counter
	imm     []Immediate
	verdict []Verdict
	match   []Match
	target  []Target
	limit   []Limit
	log     []Log
}

const slabLen = 256

// take returns a new element from ar's slab that slab picks, or a new
// allocation when ar is nil.
func take[T any](ar *Arena, slab func(*Arena) *[]T) *T {
	if ar == nil {
		return new(T)
	}
	s := slab(ar)
	if len(*s) == cap(*s) {
		*s = make([]T, 0, slabLen)
	}
	*s = (*s)[:len(*s)+1]
	return &(*s)[len(*s)-1]
}
