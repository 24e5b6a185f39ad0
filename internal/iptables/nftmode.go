// SPDX-License-Identifier: GPL-2.0-or-later

package iptables

import (
	"fmt"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

// Where iptables-nft (xtables.c, nft.c) runs a command otherwise than
// iptables-legacy (iptables.c, libiptc): the table's optional interfaces
// (backend.Reporter, backend.AllChains, backend.Lister,
// backend.ExtrasSetter) carry most of it; what is the command line's is
// here.

// nft tells whether the command runs as iptables-nft runs it.
func (env *Env) nft() bool {
	return env.Backend != nil && env.Backend.Name() == backend.NFTablesName
}

// resolveTargetNFT is iptables-nft's reading of -j and -g: an extension
// when one has the name (verdicts are the standard target's), else a
// chain, which must exist (assert_chain_exists, after the cache is
// read). The table gets the rule's extras: the jump, and the target's
// user data (NFLOG's whole prefix).
func resolveTargetNFT(x *ext.Xtables, _ *Env, cmd *parse.Command, h backend.Table) error {
	jump := cmd.Target == nil && cmd.Jump != ""
	if jump && !h.IsChain(cmd.Jump) {
		return parse.Errorf(parse.ParameterProblem, "Chain '%s' does not exist", cmd.Jump)
	}
	if cmd.Target == nil {
		if err := x.StdTarget(cmd.Jump, jump); err != nil {
			return err
		}
	}
	if es, ok := h.(backend.ExtrasSetter); ok {
		es.SetExtras(backend.Extras{Jump: jump, TargetUserData: x.TargetUserData()})
	}
	return nil
}

// setReports has a table that reports what -v prints (backend.Reporter)
// print it through p, and tells whether it does.
func setReports(h backend.Table, p *Printer, verbose bool) bool {
	r, ok := h.(backend.Reporter)
	if !ok || !verbose {
		return false
	}
	r.SetReport(func(rule backend.Rule) error {
		return p.Rule(rule.Entry, rule.Target, rule.IsChain, 0, fmtPrintRule)
	}, func(verb, chain string) {
		fmt.Fprintf(p.Out, "%s chain `%s'\n", verb, chain)
	})
	return true
}

// allOf returns the table's own way of doing every chain at once, nil if
// it has none.
func allOf(h backend.Table, method func(backend.AllChains) error) func() error {
	a, ok := h.(backend.AllChains)
	if !ok {
		return nil
	}
	return func() error { return method(a) }
}

// prepareList is what comes before -L and -S: under iptables-nft, the
// warning that iptables-legacy tables are present too (on stderr, as
// soon as the command is parsed: nft_check_xt_legacy), then the table's
// preparation (backend.Lister), which may refuse the listing.
func prepareList(env *Env, h backend.Table, cmd *parse.Command) error {
	if env.nft() {
		fmt.Fprint(env.Err, LegacyTablesWarning(env.Fam, false))
	}
	l, ok := h.(backend.Lister)
	if !ok {
		return nil
	}
	chain := ""
	if cmd.ChainSet {
		chain = cmd.Chain
	}
	note, err := l.PrepareList(chain)
	env.Out.WriteString(note)
	return err
}
