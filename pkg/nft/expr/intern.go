// SPDX-License-Identifier: GPL-2.0-or-later

package expr

import "sync"

// Names of extensions and chains repeat across a dump: interning them
// saves an allocation per expression.
var interned = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

// maxInterned bounds the table; past it, names are allocated.
const maxInterned = 1 << 16

// Intern returns b as a string, shared with earlier calls for the same
// bytes.
func Intern(b []byte) string {
	interned.Lock()
	defer interned.Unlock()
	if s, ok := interned.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if len(interned.m) < maxInterned {
		interned.m[s] = s
	}
	return s
}
