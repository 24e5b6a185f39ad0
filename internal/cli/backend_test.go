// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/goipt/goipt/pkg/ext"
)

// fakeRoot makes a file system root whose links are links: each pair is a
// path and what it points to ("" for a plain file).
func fakeRoot(t *testing.T, links ...string) string {
	root := t.TempDir()
	for i := 0; i < len(links); i += 2 {
		p := filepath.Join(root, links[i])
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if links[i+1] == "" {
			err = os.WriteFile(p, nil, 0o755)
		} else {
			err = os.Symlink(links[i+1], p)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// debian is Debian 12's alternatives, iptables pointing at variant v's
// (-nft or -legacy) and ip6tables at w's.
func debian(t *testing.T, v, w string) string {
	return fakeRoot(t,
		"/usr/sbin/iptables", "/etc/alternatives/iptables",
		"/etc/alternatives/iptables", "/usr/sbin/iptables-"+v,
		"/usr/sbin/iptables-"+v, "xtables-"+v+"-multi",
		"/usr/sbin/ip6tables", "/etc/alternatives/ip6tables",
		"/etc/alternatives/ip6tables", "/usr/sbin/ip6tables-"+w,
		"/usr/sbin/ip6tables-"+w, "xtables-"+w+"-multi",
		"/usr/sbin/xtables-nft-multi", "", "/usr/sbin/xtables-legacy-multi", "")
}

func TestPlainVariant(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == BackendEnv {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct {
		name, env, root string
		fam             ext.Family
		want            variant
	}{
		{"debian nft", "", debian(t, "nft", "nft"), ext.IPv4, variantNFT},
		{"debian legacy", "", debian(t, "legacy", "legacy"), ext.IPv4, variantLegacy},
		{"ip6tables follows its own link", "", debian(t, "nft", "legacy"), ext.IPv6, variantLegacy},
		{"GOIPT_BACKEND first", "legacy", debian(t, "nft", "nft"), ext.IPv4, variantLegacy},
		{"GOIPT_BACKEND=nft", "nft", debian(t, "legacy", "legacy"), ext.IPv4, variantNFT},
		{"GOIPT_BACKEND=nf_tables", "NF_TABLES", debian(t, "legacy", "legacy"), ext.IPv4, variantNFT},
		{"unknown GOIPT_BACKEND is no choice", "bogus", debian(t, "legacy", "legacy"), ext.IPv4, variantLegacy},
		{"straight to the multi-call binary", "", fakeRoot(t, "/sbin/iptables", "/usr/sbin/xtables-legacy-multi"), ext.IPv4, variantLegacy},
		{"iptables 1.6", "", fakeRoot(t, "/usr/sbin/iptables", "xtables-multi"), ext.IPv4, variantLegacy},
		{"relative link to -legacy", "", fakeRoot(t, "/usr/sbin/iptables", "../sbin/iptables-legacy"), ext.IPv4, variantLegacy},
		{"no iptables: upstream's default", "", fakeRoot(t), ext.IPv4, variantNFT},
		{"a plain file says nothing", "", fakeRoot(t, "/usr/sbin/iptables", ""), ext.IPv4, variantNFT},
		{"a loop says nothing", "", fakeRoot(t, "/usr/sbin/iptables", "/usr/sbin/iptables"), ext.IPv4, variantNFT},
	} {
		if got := plainVariant(env(tc.env), tc.root, tc.fam); got != tc.want {
			t.Errorf("%s: variant %d, want %d", tc.name, got, tc.want)
		}
	}
}
