// SPDX-License-Identifier: GPL-2.0-or-later

// Package nftcli compares goipt's iptables-nft with the system's
// iptables-nft 1.8.9 (/usr/sbin/xtables-nft-multi), command line by
// command line, in throwaway network namespaces: exit status, stdout,
// stderr, and the kernel's ruleset afterwards as nft(8) prints it with
// each rule's expressions (nft --debug=netlink list ruleset). It also
// races goipt against iptables-nft and nft writing the same table.
package nftcli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goipt/goipt/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// reference is iptables-nft 1.8.9.
const reference = "xtables-nft-multi"

// goiptNFT returns goipt as xtables-nft-multi (its applets are then all
// iptables-nft's), or skips t when the reference or nft(8) is missing.
func goiptNFT(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{reference, "nft"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s to compare with (Debian: iptables, nftables)", tool)
		}
	}
	bin := testenv.Goipt(t)
	link := filepath.Join(t.TempDir(), "xtables-nft-multi")
	if err := os.Symlink(bin, link); err != nil {
		t.Fatal(err)
	}
	return link
}

// normalize hides what differs by version and date, not by behaviour.
func normalize(s string) string {
	s = nftVersionRE.ReplaceAllString(testenv.HideSaveDates(testenv.HideVersions(s)), "$1 vX")
	return protoNumberRE.ReplaceAllStringFunc(s, protoName)
}

// protoNumberRE is the protocol column of -L -n as iptables 1.8.9 prints
// it, a number where 1.8.10 and later (and goipt) print the name: the
// number, its padding, and the opt column after it.
var protoNumberRE = regexp.MustCompile(`([ !])([0-9]+) +(--|-f|!f) `)

// protoNames are the names of the protocol numbers the cases use.
var protoNames = map[string]string{"0": "all", "1": "icmp", "6": "tcp", "17": "udp", "47": "gre", "58": "ipv6-icmp"}

// protoName rewrites one protoNumberRE match as 1.8.11 prints it
// ("%-4s " for the name).
func protoName(m string) string {
	g := protoNumberRE.FindStringSubmatch(m)
	name, ok := protoNames[g[2]]
	if !ok {
		return m
	}
	return g[1] + fmt.Sprintf("%-4s ", name) + g[3] + " "
}

// nftVersionRE is the save applets' names as called under
// xtables-nft-multi (save4 v1.8.9 (nf_tables)).
var nftVersionRE = regexp.MustCompile(`\b((?:save|restore)[46]) v[0-9][^ :\n]*( \([^)\n]*\))?`)

// words splits a command line like a shell does for plain words and
// double or single quotes.
func words(s string) []string {
	var out []string
	var cur strings.Builder
	inWord, quote := false, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote, inWord = c, true
		case c == ' ':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}
