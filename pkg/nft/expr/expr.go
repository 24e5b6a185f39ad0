// SPDX-License-Identifier: GPL-2.0-or-later

// Package expr holds the nf_tables expressions iptables-nft 1.8.9 writes
// and reads for IPv4 and IPv6 rules, one file per expression, and the
// record stream (wire.go) they travel in between Go and libnftnl.
//
// An expression's Encode appends the libnftnl attributes (NFTNL_EXPR_*)
// iptables-nft sets for it, no more: libnftnl then puts exactly those
// netlink attributes in the message, as it does for iptables-nft.
package expr

import "fmt"

// Any is one expression of a rule.
type Any interface {
	// Name is the kernel's name of the expression ("payload", "cmp"...).
	Name() string
	// Encode appends the expression's attributes to w (after w.Expr).
	Encode(w *Writer)
}

// Registers, as iptables-nft uses them.
const (
	RegVerdict = 0 // NFT_REG_VERDICT
	Reg1       = 1 // NFT_REG_1 (16 bytes)
	Reg32_01   = 9 // NFT_REG32_01, where iptables-nft puts meta nftrace's value
)

// Comparison operators (enum nft_cmp_ops), also range's EQ and NEQ.
const (
	CmpEQ  = 0
	CmpNEQ = 1
	CmpLT  = 2
	CmpLTE = 3
	CmpGT  = 4
	CmpGTE = 5
)

// Payload bases (enum nft_payload_bases).
const (
	BaseLL        = 0
	BaseNetwork   = 1
	BaseTransport = 2
)

// Meta keys (enum nft_meta_keys) iptables-nft uses.
const (
	MetaMark    = 3
	MetaIIF     = 4
	MetaOIF     = 5
	MetaIIFName = 6
	MetaOIFName = 7
	MetaNFTrace = 12
	MetaL4Proto = 16
	MetaBRIIIF  = 17
	MetaBRIOIF  = 18
	MetaPktType = 19
)

// Verdict codes (NF_DROP, NF_ACCEPT and enum nft_verdicts).
const (
	VerdictDrop     = 0
	VerdictAccept   = 1
	VerdictContinue = -1
	VerdictBreak    = -2
	VerdictJump     = -3
	VerdictGoto     = -4
	VerdictReturn   = -5
)

// Decode reads the attributes of an expression named name from r, up to
// the next expression or the end of the object, from arena ar (nil: one
// allocation each). Values that are slices alias r's buffer.
func Decode(name []byte, r *Reader, ar *Arena) (Any, error) {
	var a attrs
	for r.Peek() == TagAttr {
		_, id, v, _ := r.Next()
		if int(id) < len(a.v) {
			a.v[id], a.set = v, a.set|1<<id
		}
	}
	switch string(name) {
	case "payload":
		return decodePayload(&a, ar), nil
	case "meta":
		return decodeMeta(&a, ar), nil
	case "cmp":
		return decodeCmp(&a, ar), nil
	case "bitwise":
		return decodeBitwise(&a, ar), nil
	case "range":
		return decodeRange(&a, ar), nil
	case "counter":
		return decodeCounter(&a, ar), nil
	case "immediate":
		return decodeImmediate(&a, ar), nil
	case "match":
		return decodeMatch(&a, ar), nil
	case "target":
		return decodeTarget(&a, ar), nil
	case "limit":
		return decodeLimit(&a, ar), nil
	case "log":
		return decodeLog(&a, ar), nil
	case "":
		return nil, fmt.Errorf("nft: expression without a name")
	}
	return &Other{Kind: Intern(name), Attrs: a.v, Set: a.set}, nil
}

// attrs are one expression's attribute values by libnftnl id.
type attrs struct {
	v   [16][]byte
	set uint32
}

func (a *attrs) has(id int) bool   { return a.set&(1<<id) != 0 }
func (a *attrs) u16(id int) uint16 { return U16(a.v[id]) }
func (a *attrs) u32(id int) uint32 { return U32(a.v[id]) }
func (a *attrs) u64(id int) uint64 { return U64(a.v[id]) }
func (a *attrs) str(id int) string { return Intern(CString(a.v[id])) }

// Other is an expression iptables-nft does not write; kept so that callers
// can tell what a rule holds.
type Other struct {
	Kind  string
	Attrs [16][]byte
	Set   uint32
}

func (e *Other) Name() string { return e.Kind }

func (e *Other) Encode(w *Writer) {
	for id := range e.Attrs {
		if e.Set&(1<<id) != 0 {
			w.Bytes(uint16(id), e.Attrs[id])
		}
	}
}
