// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import "github.com/goipt/goipt/pkg/nft/expr"

// Compatible tells whether iptables-nft 1.8.9 lists a rule
// (nft_is_expr_compatible): only the expressions it knows, limit only
// counting packets without flags, log only with a group. A table with a
// rule that is not is refused: iptables-nft -L/-S fail with "table `%s'
// is incompatible, use 'nft' tool." (nft_assert_table_compatible,
// OTHER_PROBLEM; "chain `%s' in table `%s' is incompatible, use 'nft'
// tool." for one chain), and iptables-nft-save prints "# Table `%s' is
// incompatible, use 'nft' tool." in place of the table (xtables-save.c).
func Compatible(r *Rule) bool {
	for _, e := range r.Exprs {
		if !compatibleExpr(e) {
			return false
		}
	}
	return true
}

func compatibleExpr(e expr.Any) bool {
	switch e := e.(type) {
	case *expr.Limit:
		return e.Type == expr.LimitPackets && e.Flags == 0
	case *expr.Log:
		return e.Has&expr.LogHasGroup != 0
	}
	switch e.Name() {
	case "match", "target", "payload", "meta", "cmp", "bitwise", "counter", "immediate", "lookup", "range":
		return true
	}
	return false
}

// BaseChainCompatible tells whether a base chain is one iptables-nft
// 1.8.9 knows (nft_cache_add_base_chain): a builtin chain of its table
// with the builtin's hook, priority and type. A table with another base
// chain is "tainted": iptables-nft-save and -L print "# Table `%s'
// contains incompatible base-chains, use 'nft' tool to list them." and
// go on without it.
func BaseChainCompatible(c *Chain) bool {
	if !c.Hooked {
		return true
	}
	b := BuiltinChainOf(c.Table, c.Name)
	return b != nil && b.Hook == c.Hook && b.Priority == c.Priority && b.Type == c.Type
}

// IncompatibleError is a table (or chain) iptables-nft 1.8.9 refuses to
// list (nft_assert_table_compatible; OTHER_PROBLEM, status 1).
type IncompatibleError struct {
	Table, Chain string // Chain "" for the whole table
}

func (e *IncompatibleError) Error() string {
	if e.Chain != "" {
		return "chain `" + e.Chain + "' in table `" + e.Table + "' is incompatible, use 'nft' tool."
	}
	return "table `" + e.Table + "' is incompatible, use 'nft' tool."
}

// CheckRules returns an *IncompatibleError for table (and chain, when
// listing one) if a rule of rules is not Compatible.
func CheckRules(rules []*Rule, table, chain string) error {
	for _, r := range rules {
		if !Compatible(r) {
			return &IncompatibleError{Table: table, Chain: chain}
		}
	}
	return nil
}
