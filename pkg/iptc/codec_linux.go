// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

func gotoFlag(fam Family) uint8 {
	if fam == IPv6 {
		return ipv6FlagGoto
	}
	return ipv4FlagGoto
}

func program(fam Family) string {
	if fam == IPv6 {
		return "ip6tables"
	}
	return "iptables"
}

func targetOffsetField(fam Family) int {
	if fam == IPv6 {
		return ipv6TargetOffs
	}
	return ipv4TargetOffs
}

// built is a rule as the kernel takes it, with the mask iptables compares
// entries with for -D and -C.
type built struct {
	entry, mask []byte
}

func checkIface(name string) error {
	if len(name) >= ifNameSize {
		return ext.Errorf(ext.ParameterProblem,
			"interface name `%s' must be shorter than %d characters", name, ifNameSize)
	}
	return nil
}

func checkTargetName(name string) error {
	if len(name) >= extNameMaxLen {
		return ext.Errorf(ext.ParameterProblem,
			"Invalid target name `%s' (%d chars max)", name, extNameMaxLen-1)
	}
	if strings.ContainsAny(name, " \t\n\v\f\r") {
		return ext.Errorf(ext.ParameterProblem, "Invalid target name `%s'", name)
	}
	return nil
}

// header builds the non-extension part of r.
func header(x *ext.X, fam Family, r *Rule) (*ext.Header, error) {
	h := &ext.Header{}
	var err error
	if h.Src, h.SrcMask, err = ParseAddrMask(fam, r.Src); err != nil {
		return nil, err
	}
	if h.Dst, h.DstMask, err = ParseAddrMask(fam, r.Dst); err != nil {
		return nil, err
	}
	if r.InvSrc {
		h.InvFlags |= invSrcIP
	}
	if r.InvDst {
		h.InvFlags |= invDstIP
	}
	for _, i := range []string{r.InInterface, r.OutInterface} {
		if err := checkIface(i); err != nil {
			return nil, err
		}
	}
	h.InIface, h.InMask = r.InInterface, ext.IfaceMask(r.InInterface)
	h.OutIface, h.OutMask = r.OutInterface, ext.IfaceMask(r.OutInterface)
	if r.InvIn {
		h.InvFlags |= invViaIn
	}
	if r.InvOut {
		h.InvFlags |= invViaOut
	}
	if r.Protocol != "" {
		p, err := x.ParseProtocol(parse.LowerASCII(r.Protocol))
		if err != nil {
			return nil, err
		}
		if p == 0 && r.InvProto {
			return nil, ext.Errorf(ext.ParameterProblem, "rule would never match protocol")
		}
		h.Proto = p
		if fam == IPv6 {
			h.Flags |= ipv6FlagProto
		}
	}
	if r.InvProto {
		if r.Protocol == "" {
			return nil, ext.Errorf(ext.ParameterProblem, "rule would never match protocol")
		}
		h.InvFlags |= invProto
	}
	if r.Fragment || r.InvFragment {
		if fam == IPv6 {
			return nil, ext.Errorf(ext.ParameterProblem, "fragment (-f) is not supported by ip6tables")
		}
		h.Flags |= ipv4FlagFrag
		if r.InvFragment {
			h.InvFlags |= invFrag
		}
	}
	if r.Target != nil && r.Target.Goto {
		h.Flags |= gotoFlag(fam)
	}
	h.Packets, h.Bytes = r.Counters.Packets, r.Counters.Bytes
	return h, nil
}

func findOption(e *ext.Ext, name string) *ext.Option {
	for i := range e.Options {
		if e.Options[i].Name == name {
			return &e.Options[i]
		}
	}
	return nil
}

// parseParams hands each option to the extension's parser, as getopt would
// have found it on iptables' command line.
func parseParams(x *ext.X, fam Family, e *ext.Ext, params Params) error {
	for _, p := range params {
		opt := findOption(e, p.Name)
		if opt == nil || p.Name == "" {
			kind := "match"
			if e.Target {
				kind = "target"
			}
			return ext.Errorf(ext.ParameterProblem, "unknown option \"--%s\" (%s %s)", p.Name, kind, e.Name)
		}
		args := p.Args()
		if opt.HasArg == 1 && len(args) == 0 {
			return ext.Errorf(ext.ParameterProblem, "option \"--%s\" requires an argument", p.Name)
		}
		if opt.HasArg == 0 && len(args) > 0 {
			return ext.Errorf(ext.ParameterProblem, "Bad argument `%s'", args[0])
		}
		argv := append([]string{program(fam), "--" + p.Name}, args...)
		optind, val := 2, ""
		if len(args) > 0 {
			optind, val = 3, args[0]
		}
		x.SetArgv(argv)
		next, err := x.ParseOption(e, opt.ID, val, len(args) > 0, p.Invert, optind)
		if err != nil {
			return err
		}
		if next < len(argv) {
			return ext.Errorf(ext.ParameterProblem, "Bad argument `%s'", argv[next])
		}
	}
	return nil
}

// encodeRule builds r's kernel entry inside ext.Run. targetIsChain tells
// that the target names an existing user chain (which wins over a target
// extension of the same name, as in iptables).
func encodeRule(x *ext.X, fam Family, r *Rule, targetIsChain bool) (built, error) {
	if err := x.Reset(); err != nil {
		return built{}, err
	}
	h, err := header(x, fam, r)
	if err != nil {
		return built{}, err
	}
	x.SetHeader(h)
	for _, m := range r.Matches {
		if m == nil || m.Name == "" {
			return built{}, ext.Errorf(ext.ParameterProblem, "match without a name")
		}
		e, err := x.LoadMatch(m.Name, ext.MustSucceed)
		if err != nil {
			return built{}, err
		}
		if err := parseParams(x, fam, e, m.Params); err != nil {
			return built{}, err
		}
	}
	t := r.Target
	switch {
	case t == nil || t.Name == "":
		if t != nil && (t.Goto || len(t.Params) > 0) {
			return built{}, ext.Errorf(ext.ParameterProblem, "target without a name")
		}
		err = x.StdTarget("", false)
	case targetIsChain:
		if err = checkTargetName(t.Name); err == nil {
			if len(t.Params) > 0 {
				err = ext.Errorf(ext.ParameterProblem, "jump to chain %s takes no options", t.Name)
			} else {
				err = x.StdTarget(t.Name, true)
			}
		}
	case t.Goto:
		err = ext.Errorf(ext.ParameterProblem, "goto '%s' is not a chain", t.Name)
	default:
		if err = checkTargetName(t.Name); err != nil {
			break
		}
		var e *ext.Ext
		if e, err = x.LoadTarget(t.Name); err == nil {
			if e == nil {
				err = ext.Errorf(ext.ParameterProblem,
					"Couldn't load target `%s':No such file or directory", t.Name)
			} else {
				err = parseParams(x, fam, e, t.Params)
			}
		}
	}
	if err != nil {
		return built{}, err
	}
	if err := x.FinalCheck(); err != nil {
		return built{}, err
	}
	entry, mask, err := x.Build()
	if err != nil {
		return built{}, err
	}
	return built{entry, mask}, nil
}

// encodeRules builds rules in one ext.Run. isChain tells which target names
// are user chains.
func encodeRules(fam Family, rules []*Rule, isChain func(string) bool) ([]built, error) {
	chains := make([]bool, len(rules))
	for i, r := range rules {
		if r == nil {
			return nil, fmt.Errorf("iptc: nil rule")
		}
		if t := r.Target; t != nil && t.Name != "" && !IsVerdict(t.Name) && isChain != nil {
			chains[i] = isChain(t.Name)
		}
	}
	out := make([]built, len(rules))
	err := ext.Run(fam, program(fam), func(x *ext.X) error {
		defer x.Reset()
		for i, r := range rules {
			b, err := encodeRule(x, fam, r, chains[i])
			if err != nil {
				return err
			}
			out[i] = b
		}
		return nil
	})
	return out, err
}

// Encode builds r's kernel entry for family fam, and the mask iptables
// compares entries with for -D and -C, without any table: a target that is
// neither a verdict nor a target extension is taken to be a user chain.
func Encode(fam Family, r *Rule) (entry, mask []byte, err error) {
	var isTarget map[string]bool
	if t := r.Target; t != nil && t.Name != "" && !IsVerdict(t.Name) {
		isTarget = map[string]bool{}
		err = ext.Run(fam, program(fam), func(x *ext.X) error {
			ok, err := x.IsTarget(t.Name)
			isTarget[t.Name] = ok
			return err
		})
		if err != nil {
			return nil, nil, err
		}
	}
	b, err := encodeRules(fam, []*Rule{r}, func(name string) bool { return !isTarget[name] })
	if err != nil {
		return nil, nil, err
	}
	return b[0].entry, b[0].mask, nil
}

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
func decodeRules(fam Family, raws []RawRule, owned bool) ([]*Rule, error) {
	out := make([]*Rule, len(raws))
	err := ext.Run(fam, program(fam), func(x *ext.X) error {
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
	})
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
	x        *ext.X
	fam      Family
	owned    bool            // the entries may be kept (decodeRules)
	isTarget map[string]bool // names plugins have as targets, asked once
	batch    ext.Batch
	jobs     []saveJob // what each rule of the batch is
	todo     []undecoded
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
		out, ends, failed, _, err := d.x.SaveBatch(&d.batch)
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

func (d *decoder) decodeOne(raw RawRule) (*Rule, error) {
	x, fam := d.x, d.fam
	e := raw.Entry
	if !d.owned {
		e = append([]byte(nil), e...)
	}
	h := ext.DecodeHeader(fam, e)
	// The rule keeps its entry, and its extensions' blobs are slices of it
	// (capacity capped): no allocation for each.
	r := &Rule{entry: e}
	r.Src = FormatAddrMask(h.Src, h.SrcMask)
	r.Dst = FormatAddrMask(h.Dst, h.DstMask)
	r.InvSrc = h.InvFlags&invSrcIP != 0
	r.InvDst = h.InvFlags&invDstIP != 0
	if r.InvSrc && r.Src == "" {
		r.Src = zeroAddr(fam).String() + "/" + zeroAddr(fam).String()
	}
	if r.InvDst && r.Dst == "" {
		r.Dst = zeroAddr(fam).String() + "/" + zeroAddr(fam).String()
	}
	r.InInterface, r.OutInterface = h.InIface, h.OutIface
	r.InvIn = h.InvFlags&invViaIn != 0
	r.InvOut = h.InvFlags&invViaOut != 0
	if h.Proto > 0 {
		if n, ok := x.ProtoName(h.Proto, true); ok {
			r.Protocol = n
		} else {
			r.Protocol = strconv.Itoa(int(h.Proto))
		}
	} else if fam == IPv6 && h.Flags&ipv6FlagProto != 0 {
		r.Protocol = "all"
	}
	r.InvProto = h.InvFlags&invProto != 0
	if fam == IPv4 {
		r.Fragment = h.Flags&ipv4FlagFrag != 0
		r.InvFragment = r.Fragment && h.InvFlags&invFrag != 0
	}
	r.Counters = Counters{h.Packets, h.Bytes}

	var oneBuf []byte // the entry of one match, rebuilt for each (the batch copies it)
	hdrSize := ext.EntrySize(fam)
	toff, noff := int(h.TargetOffset), int(h.NextOffset)
	if toff > len(e) || noff > len(e) || toff < hdrSize {
		return nil, fmt.Errorf("iptc: malformed entry (offsets %d/%d, size %d)", toff, noff, len(e))
	}
	n := 0 // matches, counted first: r.Matches allocated once
	for off := hdrSize; off+extHeaderSize <= toff; n++ {
		size := int(binary.NativeEndian.Uint16(e[off:]))
		if size < extHeaderSize || off+size > toff {
			return nil, fmt.Errorf("iptc: malformed match at offset %d", off)
		}
		off += size
	}
	if n > 0 {
		r.Matches = make([]*Match, 0, n)
	}
	for off := hdrSize; off+extHeaderSize <= toff; {
		size := int(binary.NativeEndian.Uint16(e[off:]))
		blob := e[off : off+size]
		m := &Match{Name: cString(blob[extNameOff : extNameOff+extNameMaxLen]), Revision: int(blob[extRevisionOff]),
			Raw: blob[:len(blob):len(blob)]}
		// The match alone, behind the rule's header: its save output is
		// then unambiguous.
		one := append(append(oneBuf[:0], e[:hdrSize]...), blob...)
		oneBuf = one
		binary.NativeEndian.PutUint16(one[targetOffsetField(fam):], uint16(len(one)))
		d.batch.Add(one, "", ext.BatchOpts{WithMatches: true, NoTarget: true})
		d.jobs = append(d.jobs, saveJob{match: m})
		r.Matches = append(r.Matches, m)
		off += size
	}
	goTo := h.Flags&gotoFlag(fam) != 0
	if toff+extHeaderSize <= noff {
		blob := e[toff:noff]
		t := &Target{Revision: int(blob[extRevisionOff]), Goto: goTo, Raw: blob[:len(blob):len(blob)]}
		name := cString(blob[extNameOff : extNameOff+extNameMaxLen])
		std := name == ""
		se, targname := e, raw.Target
		if !std && (IsVerdict(name) || !d.targetPlugin(name)) {
			// A verdict or jump as iptables builds it, before libiptc
			// turns it into its own encoding.
			std, targname = true, name
			se = append([]byte(nil), e...)
			clear(se[toff+extNameOff : toff+extNameOff+extNameMaxLen])
		}
		if targname == "" && !std {
			targname = name
		}
		d.batch.Add(se, targname, ext.BatchOpts{Goto: goTo})
		d.jobs = append(d.jobs, saveJob{rule: r, target: t, std: std, targname: targname})
	}
	return r, nil
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

func isTarget(x *ext.X, name string) bool {
	ok, err := x.IsTarget(name)
	return ok && err == nil
}

func isOptWord(w parse.Word) bool {
	return !w.Quoted && (w.Text == "!" || strings.HasPrefix(w.Text, "--"))
}

// wordsToParams splits an extension's save output (after "-m NAME" or
// "-j NAME") into options, using the extension's option table to tell
// which words are arguments.
func wordsToParams(words []parse.Word, opts []ext.Option) Params {
	var ps Params
	n := len(words)
	for i := 0; i < n; {
		inv := false
		if !words[i].Quoted && words[i].Text == "!" {
			inv = true
			if i++; i == n {
				break
			}
		}
		w := words[i]
		i++
		if w.Quoted || !strings.HasPrefix(w.Text, "-") || strings.Trim(w.Text, "-") == "" {
			// A word outside any option: keep it, unnamed.
			ps = append(ps, Param{Value: w.Text, Invert: inv})
			continue
		}
		p := Param{Name: strings.TrimLeft(w.Text, "-"), Invert: inv}
		var opt *ext.Option
		for k := range opts {
			if opts[k].Name == p.Name {
				opt = &opts[k]
			}
		}
		takesArg := opt == nil || opt.HasArg != 0
		required := opt != nil && opt.HasArg == 1
		// The old "--opt ! value" form.
		if takesArg && i+1 < n && !words[i].Quoted && words[i].Text == "!" {
			p.Invert = true
			i++
		}
		if takesArg && i < n && (required || !isOptWord(words[i])) {
			p.Value = words[i].Text
			i++
			for i < n && !isOptWord(words[i]) {
				p.Extra = append(p.Extra, words[i].Text)
				i++
			}
		}
		ps = append(ps, p)
	}
	return ps
}

// Decode reads a kernel entry of family fam into a Rule. targetName is the
// target as libiptc names it (iptc_get_target): a verdict, a chain, or the
// target extension's name.
func Decode(fam Family, entry []byte, targetName string) (*Rule, error) {
	rs, err := decodeRules(fam, []RawRule{{Entry: entry, Target: targetName}}, false)
	if err != nil {
		return nil, err
	}
	return rs[0], nil
}

// EqualRules tells whether a and b are the same rule as iptables -C and -D
// decide it (libiptc's is_same with iptables' mask): the same header, the
// same matches and target, the same options where the extensions say they
// matter; counters do not. Both are built for family fam; a target that is
// neither a verdict nor a target extension is taken for a user chain.
func EqualRules(fam Family, a, b *Rule) (bool, error) {
	names := map[string]bool{}
	for _, r := range []*Rule{a, b} {
		if t := r.Target; t != nil && t.Name != "" && !IsVerdict(t.Name) {
			names[t.Name] = false
		}
	}
	if len(names) > 0 {
		err := ext.Run(fam, program(fam), func(x *ext.X) error {
			for n := range names {
				names[n] = isTarget(x, n)
			}
			return nil
		})
		if err != nil {
			return false, err
		}
	}
	bs, err := encodeRules(fam, []*Rule{a, b}, func(n string) bool { return !names[n] })
	if err != nil {
		return false, err
	}
	return sameEntry(fam, bs[0], bs[1].entry), nil
}

// sameEntry compares entry e with the built rule a under a's mask.
func sameEntry(fam Family, a built, e []byte) bool {
	ha, hb := ext.DecodeHeader(fam, a.entry), ext.DecodeHeader(fam, e)
	if ha.Src != hb.Src || ha.Dst != hb.Dst || ha.SrcMask != hb.SrcMask || ha.DstMask != hb.DstMask ||
		ha.Proto != hb.Proto || ha.Flags != hb.Flags || ha.InvFlags != hb.InvFlags ||
		(fam == IPv6 && ha.TOS != hb.TOS) {
		return false
	}
	if !sameIface(ha.InIface, hb.InIface, ha.InMask, hb.InMask) ||
		!sameIface(ha.OutIface, hb.OutIface, ha.OutMask, hb.OutMask) {
		return false
	}
	if ha.TargetOffset != hb.TargetOffset || ha.NextOffset != hb.NextOffset ||
		int(ha.NextOffset) != len(a.entry) || len(a.entry) != len(e) || len(a.mask) != len(e) {
		return false
	}
	// Matches, then the target: the same size and name, and the same data
	// where the mask is set.
	for off := ext.EntrySize(fam); off+extHeaderSize <= len(e); {
		size := int(binary.NativeEndian.Uint16(a.entry[off:]))
		if size < extHeaderSize || off+size > len(e) ||
			size != int(binary.NativeEndian.Uint16(e[off:])) ||
			cString(a.entry[off+extNameOff:off+extNameOff+extNameMaxLen]) != cString(e[off+extNameOff:off+extNameOff+extNameMaxLen]) {
			return false
		}
		for i := off + extHeaderSize; i < off+size; i++ {
			if (a.entry[i]^e[i])&a.mask[i] != 0 {
				return false
			}
		}
		off += size
	}
	return true
}

func sameIface(a, b string, ma, mb [16]byte) bool {
	if ma != mb {
		return false
	}
	for i := 0; i < ifNameSize; i++ {
		var ca, cb byte
		if i < len(a) {
			ca = a[i]
		}
		if i < len(b) {
			cb = b[i]
		}
		if ca&ma[i] != cb&mb[i] {
			return false
		}
	}
	return true
}
