// SPDX-License-Identifier: GPL-2.0-or-later

// Command blocklist is a small pkg/iptc program, used by `make demo`: it
// puts a chain of blocked networks in front of the INPUT chain of both
// families, in one transaction per family, and prints the chain back.
//
//	blocklist 192.0.2.0/24 198.51.100.7 2001:db8:bad::/48
package main

import (
	"fmt"
	"net/netip"
	"os"
	"strings"

	"github.com/goipt/goipt/pkg/iptc"
)

const chain = "BLOCKLIST"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "blocklist:", err)
		os.Exit(1)
	}
}

func run(networks []string) error {
	byFamily := map[iptc.Family][]string{}
	for _, n := range networks {
		fam := iptc.IPv4
		if strings.Contains(n, ":") {
			fam = iptc.IPv6
		}
		if _, err := netip.ParsePrefix(n); err != nil {
			if _, err := netip.ParseAddr(n); err != nil {
				return fmt.Errorf("%q is neither an address nor a network", n)
			}
		}
		byFamily[fam] = append(byFamily[fam], n)
	}
	for _, fam := range []iptc.Family{iptc.IPv4, iptc.IPv6} {
		if err := block(fam, byFamily[fam]); err != nil {
			return err
		}
	}
	return nil
}

// block (re)builds the chain and its jump from INPUT, all in one commit.
func block(fam iptc.Family, networks []string) error {
	table, err := iptc.Open(fam, iptc.Filter, nil)
	if err != nil {
		return err
	}
	defer table.Close() // on a failure below, drops what was not committed: the error says why
	exists, err := table.IsChain(chain)
	if err != nil {
		return err
	}
	if exists {
		err = table.Chain(chain).Flush()
	} else {
		_, err = table.CreateChain(chain)
	}
	if err != nil {
		return err
	}
	for _, n := range networks {
		rule := iptc.NewRule()
		rule.SetSrc(n)
		rule.CreateMatch("comment").Set("comment", "blocked by the goipt library")
		rule.CreateTarget("DROP")
		if err := table.Chain(chain).AppendRule(rule); err != nil {
			return err
		}
	}
	jump := iptc.NewRule()
	jump.CreateTarget(chain)
	input := table.Chain("INPUT")
	if ok, err := input.HasRule(jump); err != nil {
		return err
	} else if !ok {
		if err := input.InsertRule(jump, 0); err != nil {
			return err
		}
	}
	if err := table.Commit(); err != nil {
		return err
	}
	rules, err := iptc.DumpChain(fam, iptc.Filter, chain)
	if err != nil {
		return err
	}
	fmt.Printf("%s %s:\n", fam, chain)
	for _, r := range rules {
		fmt.Println("  ", r)
	}
	return nil
}
