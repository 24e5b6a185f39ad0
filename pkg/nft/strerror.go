// SPDX-License-Identifier: GPL-2.0-or-later

package nft

import "syscall"

// fn is the iptables-nft operation an error comes from: nft_strerror's
// messages depend on it (the global nft_fn, set by each operation).
type fn uint8

const (
	fnNone fn = iota
	fnRuleAppend
	fnRuleInsert
	fnRuleCheck
	fnRuleReplace
	fnRuleDelete // also -Z CHAIN N (nft_rule_zero_counters sets it)
	fnRuleDeleteNum
	fnRuleFlush
	fnChainUserAdd
	fnChainDel
	fnChainUserRename
	fnChainSet
)

// strerrorTable is nft_strerror's table, in its order: the first entry
// whose operation (fnNone: any) and errno match gives the message.
var strerrorTable = []struct {
	fn    fn
	errno syscall.Errno
	msg   string
}{
	{fnChainDel, syscall.ENOTEMPTY, "Chain is not empty"},
	{fnChainDel, syscall.EBUSY, "Directory not empty"},
	{fnChainDel, syscall.EMLINK, "Can't delete chain with references left"},
	{fnChainUserAdd, syscall.EEXIST, "Chain already exists"},
	{fnChainUserRename, syscall.EEXIST, "File exists"},
	{fnRuleInsert, syscall.E2BIG, "Index of insertion too big"},
	{fnRuleCheck, syscall.ENOENT, "Bad rule (does a matching rule exist in that chain?)"},
	{fnRuleReplace, syscall.E2BIG, "Index of replacement too big"},
	{fnRuleDeleteNum, syscall.E2BIG, "Index of deletion too big"},
	{fnRuleDelete, syscall.ENOENT, "Bad rule (does a matching rule exist in that chain?)"},
	{fnChainSet, syscall.ENOENT, "Bad built-in chain name"},
	{fnChainSet, syscall.EINVAL, "Bad policy name"},
	{fnChainSet, syscall.ENXIO, "Bad table name"},
	{fnNone, syscall.ELOOP, "Loop found in table"},
	{fnNone, syscall.EPERM, "Permission denied (you must be root)"},
	{fnNone, 0, "Incompatible with this kernel"},
	{fnNone, syscall.ENOPROTOOPT, "iptables who? (do you need to insmod?)"},
	{fnNone, syscall.ENOSYS, "Will be implemented real soon.  I promise ;)"},
	{fnNone, syscall.ENOMEM, "Memory allocation problem"},
	{fnNone, syscall.ENOENT, "No chain/target/match by that name"},
}

// strError is nft_strerror(errno) after operation f.
func strError(f fn, errno syscall.Errno) string {
	for _, e := range strerrorTable {
		if (e.fn == fnNone || e.fn == f) && e.errno == errno {
			return e.msg
		}
	}
	return strerror(errno)
}
