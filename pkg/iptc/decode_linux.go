// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

type extKey struct {
	target bool
	name   string
}

// decodeRules turns kernel entries into Rules, in one ext.Run. With owned,
// the entries are the caller's to give away (Handle.Rules' copies): the
// Rules keep them instead of copies.
func decodeRules(fam Family, raws []backend.Rule, owned bool) (out []*Rule, err error) {
	err = ext.Run(fam, program(fam), func(x *ext.Xtables) error {
		out, err = decodeRulesIn(x, raws, owned)
		return err
	})
	return out, trimMessage(err)
}

// decodeRulesIn is decodeRules inside a Run.
func decodeRulesIn(x *ext.Xtables, raws []backend.Rule, owned bool) ([]*Rule, error) {
	fam := x.Family()
	out := make([]*Rule, len(raws))
	err := func() error {
		if err := x.Reset(); err != nil {
			return err
		}
		defer x.Reset()
		// Save every extension first: loading one for its option table
		// would make the save functions work on clones. The saves go to
		// libxtables in batches (one call each).
		d := &decoder{x: x, fam: fam, owned: owned, isTarget: map[string]bool{},
			todo: make([]undecoded, 0, 2*len(raws))}
		for i, raw := range raws {
			r, err := d.decodeOne(raw)
			if err != nil {
				return err
			}
			out[i] = r
			if d.batch.Len() >= decodeBatchSize {
				d.saveAll()
			}
		}
		d.saveAll()
		todo := d.todo
		opts := map[extKey][]ext.Option{}
		for _, p := range todo {
			o, ok := opts[p.key]
			if !ok {
				var e *ext.Ext
				var err error
				if p.key.target {
					e, err = x.LoadTarget(p.key.name)
				} else {
					e, err = x.LoadMatch(p.key.name, ext.TryLoad)
				}
				if err == nil && e != nil {
					o = e.Options
				}
				opts[p.key] = o
			}
			*p.params = wordsToParams(p.words, o)
		}
		return nil
	}()
	return out, err
}

type undecoded struct {
	params *Params
	words  []parse.Word
	key    extKey
}

// decodeBatchSize is how many extensions a decoder saves in one call.
const decodeBatchSize = 1024

// decoder decodes rules, saving their extensions in batches: each match
// alone behind its rule's header (its save output is then unambiguous),
// and each target.
type decoder struct {
	x        *ext.Xtables
	fam      Family
	owned    bool            // the entries may be kept (decodeRules)
	isTarget map[string]bool // names plugins have as targets, asked once
	batch    ext.Entries
	jobs     []saveJob // what each rule of the batch is
	todo     []undecoded
	oneBuf   []byte // the entry of one match, rebuilt for each
}

// saveJob is what an extension saved in the batch is read back into.
type saveJob struct {
	match    *Match // a match, or else the target:
	rule     *Rule
	target   *Target
	std      bool
	targname string
}

// saveAll saves the batch and reads each extension back. A failing save
// leaves its extension undecoded, as a save of it alone would, and the
// rest is saved again.
func (d *decoder) saveAll() {
	for d.batch.Len() > 0 {
		out, ends, failed, _, err := d.x.SaveEntries(&d.batch)
		n := d.batch.Len()
		if err == nil {
			failed = n - 1
		}
		start := 0
		for i := 0; i <= failed; i++ {
			ms, ts := string(out[start:ends[i][0]]), string(out[ends[i][0]:ends[i][1]])
			var jerr error
			if err != nil && i == failed {
				jerr = err
			}
			d.readBack(d.jobs[i], ms, ts, jerr)
			start = ends[i][1]
		}
		d.jobs = d.jobs[failed+1:]
		d.batch.DropFirst(failed + 1)
	}
	d.batch.Reset()
	d.jobs = d.jobs[:0]
}

// readBack reads an extension's save output (ms of a match, ts of a
// target) into its Match or Target.
func (d *decoder) readBack(j saveJob, ms, ts string, err error) {
	if m := j.match; m != nil {
		words := parse.SplitWords(ms)
		if err == nil && len(words) >= 2 && words[0].Text == "-m" {
			m.Name = words[1].Text
			d.todo = append(d.todo, undecoded{&m.Params, words[2:], extKey{false, m.Name}})
		}
		return
	}
	// An extension that cannot be loaded leaves the target without
	// options (and the rule unbuildable), as iptables-save fails on it.
	t := j.target
	words := parse.SplitWords(ts)
	if len(words) >= 2 && (words[0].Text == "-j" || words[0].Text == "-g") {
		t.Name = words[1].Text
		if !j.std {
			d.todo = append(d.todo, undecoded{&t.Params, words[2:], extKey{true, t.Name}})
		}
		j.rule.Target = t
	} else if j.targname != "" {
		t.Name = j.targname
		j.rule.Target = t
	}
}

func (d *decoder) decodeOne(raw backend.Rule) (*Rule, error) {
	e := raw.Entry
	if !d.owned {
		e = append([]byte(nil), e...)
	}
	h := ext.DecodeHeader(d.fam, e)
	// The rule keeps its entry, and its extensions' blobs are slices of it
	// (capacity capped): no allocation for each.
	r := &Rule{entry: e}
	d.decodeHeader(r, &h)
	hdrSize := ext.EntrySize(d.fam)
	toff, noff := int(h.TargetOffset), int(h.NextOffset)
	if toff > len(e) || noff > len(e) || toff < hdrSize {
		return nil, fmt.Errorf("iptc: malformed entry (offsets %d/%d, size %d)", toff, noff, len(e))
	}
	if err := d.addMatches(r, e, toff); err != nil {
		return nil, err
	}
	if toff+ext.ExtHeaderSize <= noff {
		d.addTarget(r, raw.Target, e, toff, noff, h.Flags&ext.GotoFlag(d.fam) != 0)
	}
	return r, nil
}

// decodeHeader fills in the part of r that is not an extension.
func (d *decoder) decodeHeader(r *Rule, h *ext.Header) {
	fam := d.fam
	r.Src = FormatAddrMask(h.Src, h.SrcMask)
	r.Dst = FormatAddrMask(h.Dst, h.DstMask)
	r.InvSrc = h.InvFlags&ext.InvSrcIP != 0
	r.InvDst = h.InvFlags&ext.InvDstIP != 0
	if r.InvSrc && r.Src == "" {
		r.Src = zeroAddr(fam).String() + "/" + zeroAddr(fam).String()
	}
	if r.InvDst && r.Dst == "" {
		r.Dst = zeroAddr(fam).String() + "/" + zeroAddr(fam).String()
	}
	r.InInterface, r.OutInterface = h.InIface, h.OutIface
	r.InvIn = h.InvFlags&ext.InvViaIn != 0
	r.InvOut = h.InvFlags&ext.InvViaOut != 0
	if h.Proto > 0 {
		if n, ok := d.x.ProtoName(h.Proto, true); ok {
			r.Protocol = n
		} else {
			r.Protocol = strconv.Itoa(int(h.Proto))
		}
	} else if fam == IPv6 && h.Flags&ext.FlagProto6 != 0 {
		r.Protocol = "all"
	}
	r.InvProto = h.InvFlags&ext.InvProto != 0
	if fam == IPv4 {
		r.Fragment = h.Flags&ext.FlagFrag4 != 0
		r.InvFragment = r.Fragment && h.InvFlags&ext.InvFrag != 0
	}
	r.Counters = Counters{h.Packets, h.Bytes}
}

// addMatches adds the matches of entry e (before the target at toff) to
// r and to the batch.
func (d *decoder) addMatches(r *Rule, e []byte, toff int) error {
	hdrSize := ext.EntrySize(d.fam)
	n := 0 // matches, counted first: r.Matches allocated once
	for off := hdrSize; off+ext.ExtHeaderSize <= toff; n++ {
		size := int(binary.NativeEndian.Uint16(e[off:]))
		if size < ext.ExtHeaderSize || off+size > toff {
			return fmt.Errorf("iptc: malformed match at offset %d", off)
		}
		off += size
	}
	if n > 0 {
		r.Matches = make([]*Match, 0, n)
	}
	for off := hdrSize; off+ext.ExtHeaderSize <= toff; {
		size := int(binary.NativeEndian.Uint16(e[off:]))
		blob := e[off : off+size]
		m := &Match{Name: cString(blob[ext.ExtNameOff : ext.ExtNameOff+ext.ExtNameMaxLen]), Revision: int(blob[ext.ExtRevOff]),
			Raw: blob[:len(blob):len(blob)]}
		// The match alone, behind the rule's header: its save output is
		// then unambiguous. (The batch copies it.)
		one := append(append(d.oneBuf[:0], e[:hdrSize]...), blob...)
		d.oneBuf = one
		binary.NativeEndian.PutUint16(one[ext.Layout(d.fam).TargetOffset:], uint16(len(one)))
		d.batch.Add(one, "", ext.EntryOpts{WithMatches: true, NoTarget: true})
		d.jobs = append(d.jobs, saveJob{match: m})
		r.Matches = append(r.Matches, m)
		off += size
	}
	return nil
}

// addTarget adds the target blob e[toff:noff] of r to the batch; libName
// is the target as the backend names it.
func (d *decoder) addTarget(r *Rule, libName string, e []byte, toff, noff int, goTo bool) {
	blob := e[toff:noff]
	t := &Target{Revision: int(blob[ext.ExtRevOff]), Goto: goTo, Raw: blob[:len(blob):len(blob)]}
	name := cString(blob[ext.ExtNameOff : ext.ExtNameOff+ext.ExtNameMaxLen])
	std := name == ""
	se, targname := e, libName
	if !std && (IsVerdict(name) || !d.targetPlugin(name)) {
		// A verdict or jump as iptables builds it, before libiptc
		// turns it into its own encoding.
		std, targname = true, name
		se = append([]byte(nil), e...)
		clear(se[toff+ext.ExtNameOff : toff+ext.ExtNameOff+ext.ExtNameMaxLen])
	}
	if targname == "" && !std {
		targname = name
	}
	d.batch.Add(se, targname, ext.EntryOpts{Goto: goTo})
	d.jobs = append(d.jobs, saveJob{rule: r, target: t, std: std, targname: targname})
}

// targetPlugin tells whether a plugin has target name (asked once a name).
func (d *decoder) targetPlugin(name string) bool {
	ok, seen := d.isTarget[name]
	if !seen {
		ok = isTarget(d.x, name)
		d.isTarget[name] = ok
	}
	return ok
}

func isTarget(x *ext.Xtables, name string) bool {
	ok, err := x.IsTarget(name)
	return ok && err == nil
}

// Decode reads a kernel entry of family fam into a Rule. targetName is the
// target as the backend names it (backend.Rule.Target, libiptc's
// iptc_get_target): a verdict, a chain, or the target extension's name.
func Decode(fam Family, entry []byte, targetName string) (*Rule, error) {
	rs, err := decodeRules(fam, []backend.Rule{{Entry: entry, Target: targetName}}, false)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}
