// SPDX-License-Identifier: GPL-2.0-or-later

package parse

import "sync"

// merge adds an extension's options to the getopt table as
// xtables_merge_options does: core options first, then the newest
// extension's, then the older ones.
func (p *parser) merge(e *Ext) {
	p.nextOffset += optionOffsetScale
	e.offset = p.nextOffset
	if p.node == nil {
		p.node = &mergeRoot
	}
	p.node = p.node.child(p.opts, e)
	p.opts, p.g.exact = p.node.opts, p.node.exact
}

// A mergeNode is a getopt table after extensions were merged in some
// order: the table depends only on that order (the offsets are the
// position in it), so rules that load the same extensions in the same
// order share their tables instead of building them per rule. Children
// are keyed by the extension's option table (shared by every load of an
// extension through internal/iptables); tables are read-only.
type mergeNode struct {
	opts     []LongOpt
	exact    map[string]int // exactIndex(opts)
	children map[*Option]*mergeNode
}

var mergeMu sync.Mutex

// maxMergeChildren bounds the cache for Extensions that hand out new
// option tables for every load.
const maxMergeChildren = 64

func (n *mergeNode) child(cur []LongOpt, e *Ext) *mergeNode {
	var key *Option
	if len(e.Options) > 0 {
		key = &e.Options[0]
	}
	mergeMu.Lock()
	defer mergeMu.Unlock()
	if c := n.children[key]; c != nil {
		return c
	}
	merged := make([]LongOpt, 0, len(cur)+len(e.Options))
	merged = append(merged, coreOpts...)
	for _, o := range e.Options {
		merged = append(merged, LongOpt{o.Name, o.HasArg, o.ID + e.offset})
	}
	merged = append(merged, cur[len(coreOpts):]...)
	c := &mergeNode{opts: merged, exact: exactIndex(merged)}
	if len(n.children) < maxMergeChildren {
		if n.children == nil {
			n.children = map[*Option]*mergeNode{}
		}
		n.children[key] = c
	}
	return c
}

func (p *parser) addMatch(m *Ext) {
	for _, prev := range p.cmd.Matches {
		if prev.Name == m.Name {
			prev.completed = true
			if m.Clone {
				m.offset = prev.offset
			}
		}
	}
	p.cmd.Matches = append(p.cmd.Matches, m)
}

// loadMatch is -m NAME.
func (p *parser) loadMatch(name string) error {
	if p.invert {
		return paramError("unexpected ! flag before --match")
	}
	m, err := p.cfg.Exts.LoadMatch(name, false)
	if err != nil {
		return err
	}
	p.addMatch(m)
	if !m.Clone && len(m.Options) > 0 {
		p.merge(m)
	}
	return nil
}

// loadTarget is -j NAME: a target extension, or a chain (no extension).
func (p *parser) loadTarget(name string) error {
	if err := CheckTargetName(name); err != nil {
		return err
	}
	p.cmd.Jump = name
	t, err := p.cfg.Exts.LoadTarget(name)
	if err != nil {
		return err
	}
	p.cmd.Target = t
	if t != nil && len(t.Options) > 0 {
		p.merge(t)
	}
	return nil
}

func (p *parser) loadProto() (*Ext, error) {
	if p.cmd.Protocol == "" || p.protoUsed {
		return nil, nil
	}
	p.protoUsed = true
	name := p.cmd.Protocol
	if n, ok := strtoui(name, 0, 255); ok {
		pn, found := p.cfg.Exts.ProtoName(uint16(n), p.cmd.Options&OptNumeric != 0)
		if !found {
			return nil, nil
		}
		name = pn
	}
	return p.cfg.Exts.LoadMatch(name, true)
}

// commandDefault hands an option getopt did not know as iptables' own to
// the extension that owns it, or loads the protocol's match and has
// getopt read the option again.
func (p *parser) commandDefault(c int) error {
	if t := p.cmd.Target; t != nil && t.HasParse && c >= t.offset && c < t.offset+optionOffsetScale {
		return p.extParse(t, c-t.offset)
	}
	for _, m := range p.cmd.Matches {
		if m.completed || !m.HasParse {
			continue
		}
		if c < m.offset || c >= m.offset+optionOffsetScale {
			continue
		}
		return p.extParse(m, c-m.offset)
	}
	m, err := p.loadProto()
	if err != nil {
		return err
	}
	if m != nil {
		p.addMatch(m)
		p.merge(m)
		// getopt goes on from the rest of a cluster of short options, if
		// any, and takes arguments from the word before: as iptables.
		p.g.optind--
		p.keepInvert = true
		return nil
	}
	return p.unknownOption(c)
}

// unknownOption is the error for an option no one knows.
func (p *parser) unknownOption(c int) error {
	switch c {
	case ':':
		return paramError("option \"%s\" requires an argument", p.argv[p.g.optind-1])
	case '?':
		if p.g.optopt != 0 {
			return paramError("unknown option \"-%c\"", byte(p.g.optopt))
		}
		return paramError("unknown option \"%s\"", p.argv[p.g.optind-1])
	}
	arg := p.g.optarg
	if !p.g.hasArg {
		arg = "(null)"
	}
	return paramError("Unknown arg \"%s\"", arg)
}

func (p *parser) extParse(e *Ext, id int) error {
	optind, err := p.cfg.Exts.ParseOption(e, id, p.g.optarg, p.g.hasArg, p.invert, p.argv, p.g.optind)
	if optind > p.g.optind {
		p.g.optind = optind
		p.g.nextchar = ""
	}
	return err
}
