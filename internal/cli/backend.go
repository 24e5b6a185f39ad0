// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/legacy"
	"github.com/goipt/goipt/pkg/nft"
)

// Legacy is the backend of the iptables-legacy applets. cmd/goipt sets
// SkipFree: the process exits after its commits.
var Legacy = &legacy.Backend{}

// NFT is the backend of the iptables-nft applets.
var NFT = &nft.Backend{}

// BackendEnv is the environment variable that chooses the plain names'
// backend: "nft" (or "nf_tables") or "legacy".
const BackendEnv = "GOIPT_BACKEND"

// PlainBackend is the backend of the plain names (iptables, ip6tables,
// their -save and -restore, and goipt itself): see plainVariant.
func PlainBackend(fam ext.Family) backend.Backend {
	if plainVariant(os.Getenv, "/", fam) == variantLegacy {
		return Legacy
	}
	return NFT
}

// plainVariant is the rule for the plain names: $GOIPT_BACKEND when it
// names one; else the system's own choice, where it has made one: where
// its iptables (ip6tables for IPv6) leads, link after link (Debian's
// alternatives: /usr/sbin/iptables -> /etc/alternatives/iptables ->
// /usr/sbin/iptables-nft -> xtables-nft-multi), the first name that says
// (ending in -nft or -legacy, xtables-nft-multi, xtables-legacy-multi, or
// iptables 1.6's xtables-multi); else nf_tables, upstream iptables'
// default. root is the file system's root (tests pass a fake one).
func plainVariant(getenv func(string) string, root string, fam ext.Family) variant {
	switch strings.ToLower(getenv(BackendEnv)) {
	case "nft", "nf_tables":
		return variantNFT
	case "legacy":
		return variantLegacy
	}
	name := "iptables"
	if fam == ext.IPv6 {
		name = "ip6tables"
	}
	for _, dir := range []string{"/usr/sbin", "/sbin"} {
		if v, ok := systemVariant(root, filepath.Join(dir, name)); ok {
			return v
		}
	}
	return variantNFT
}

// systemVariant follows the links from path (under root) and returns the
// variant the first telling name along them says.
func systemVariant(root, path string) (variant, bool) {
	for hops := 0; hops < 16; hops++ {
		switch base := filepath.Base(path); {
		case strings.HasSuffix(base, "-nft"), base == "xtables-nft-multi":
			return variantNFT, true
		case strings.HasSuffix(base, "-legacy"), base == "xtables-legacy-multi", base == "xtables-multi":
			return variantLegacy, true
		}
		target, err := os.Readlink(filepath.Join(root, path))
		if err != nil {
			return 0, false
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(path), target)
		}
		path = filepath.Clean(target)
	}
	return 0, false
}
