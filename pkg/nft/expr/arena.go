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
	bytes   []byte
	exprs   []Any
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
	e := &(*s)[len(*s)-1]
	var zero T
	*e = zero // a slab reused after Reset
	return e
}

// New returns a new, zero expression of type T from ar (nil: a new
// allocation).
func New[T any](ar *Arena) *T {
	if ar == nil {
		return new(T)
	}
	var e any
	switch any((*T)(nil)).(type) {
	case *Payload:
		e = take(ar, func(a *Arena) *[]Payload { return &a.payload })
	case *Meta:
		e = take(ar, func(a *Arena) *[]Meta { return &a.meta })
	case *Cmp:
		e = take(ar, func(a *Arena) *[]Cmp { return &a.cmp })
	case *Bitwise:
		e = take(ar, func(a *Arena) *[]Bitwise { return &a.bitwise })
	case *Range:
		e = take(ar, func(a *Arena) *[]Range { return &a.rng })
	case *Counter:
		e = take(ar, func(a *Arena) *[]Counter { return &a.counter })
	case *Immediate:
		e = take(ar, func(a *Arena) *[]Immediate { return &a.imm })
	case *Verdict:
		e = take(ar, func(a *Arena) *[]Verdict { return &a.verdict })
	case *Match:
		e = take(ar, func(a *Arena) *[]Match { return &a.match })
	case *Target:
		e = take(ar, func(a *Arena) *[]Target { return &a.target })
	case *Limit:
		e = take(ar, func(a *Arena) *[]Limit { return &a.limit })
	case *Log:
		e = take(ar, func(a *Arena) *[]Log { return &a.log })
	default:
		return new(T)
	}
	return e.(*T)
}

// Bytes returns n zero bytes from ar (nil: a new allocation), with no room
// to append into.
func (ar *Arena) Bytes(n int) []byte {
	if ar == nil || n > 4096 {
		return make([]byte, n)
	}
	if len(ar.bytes)+n > cap(ar.bytes) {
		ar.bytes = make([]byte, 0, 64<<10)
	}
	l := len(ar.bytes)
	ar.bytes = ar.bytes[:l+n]
	b := ar.bytes[l : l+n : l+n]
	clear(b)
	return b
}

// Exprs returns an empty expression list with room for n from ar (nil: a
// new allocation); appending past n reallocates it.
func (ar *Arena) Exprs(n int) []Any {
	if ar == nil {
		return make([]Any, 0, n)
	}
	if len(ar.exprs)+n > cap(ar.exprs) {
		ar.exprs = make([]Any, 0, max(n, 4096))
	}
	l := len(ar.exprs)
	ar.exprs = ar.exprs[:l+n]
	return ar.exprs[l : l : l+n]
}

// Reset makes ar hand out its last slabs again: everything it handed out
// before is then invalid. A batch copies a rule when it is added, so a
// restore can translate every rule with one arena reset each time.
func (ar *Arena) Reset() {
	ar.payload, ar.meta, ar.cmp, ar.bitwise = ar.payload[:0], ar.meta[:0], ar.cmp[:0], ar.bitwise[:0]
	ar.rng, ar.counter, ar.imm, ar.verdict = ar.rng[:0], ar.counter[:0], ar.imm[:0], ar.verdict[:0]
	ar.match, ar.target, ar.limit, ar.log = ar.match[:0], ar.target[:0], ar.limit[:0], ar.log[:0]
	clear(ar.exprs)
	ar.bytes, ar.exprs = ar.bytes[:0], ar.exprs[:0]
}
