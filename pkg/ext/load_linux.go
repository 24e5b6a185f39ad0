// SPDX-License-Identifier: GPL-2.0-or-later

package ext

// Loading extensions: the plugins that -m and -j name.

/*
// The shim keeps no pointer it is given past the call and never calls Go
// (see run_linux.go).
#cgo noescape gx_load_match
#cgo nocallback gx_load_match
#cgo noescape gx_load_target
#cgo nocallback gx_load_target
#cgo noescape gx_find_target
#cgo nocallback gx_find_target
#include <stdlib.h>
#include <string.h>
#include <xtables.h>
#include "xt_shim.h"
*/
import "C"
import (
	"strings"
	"unsafe"
)

// Ext is an extension loaded for the rule being built.
type Ext struct {
	p        unsafe.Pointer
	Target   bool
	Name     string
	Revision int
	// Clone is set when the same match was already loaded in this rule:
	// the clone shares the original's options (iptables does not merge
	// them again).
	Clone    bool
	HasParse bool
	Options  []Option
}

func (x *Xtables) newExt(p unsafe.Pointer, target bool) *Ext {
	d := describe(p, target)
	return &Ext{p: p, Target: target, Name: d.name, Revision: d.revision,
		HasParse: d.hasParse, Options: d.options}
}

// descriptor is what newExt reads of an extension: the same for every copy
// of it, so read once per extension and kept (used inside Run, one at a time).
type descriptor struct {
	name     string
	revision int
	hasParse bool
	options  []Option // shared by every Ext of the extension: read-only
}

type identKey struct {
	name, opts unsafe.Pointer
	revision   int
	target     bool
}

var descriptors = map[identKey]*descriptor{}

// extIdent reads what identifies an extension's descriptor, whichever copy
// of it p is (a clone for a match used twice in a rule): the pointers to
// its name and option table, which live in the plugin and so are the same
// for every copy, and its revision. The fields are read through cgo's view
// of xtables.h, without a call into C.
func extIdent(p unsafe.Pointer, target bool) (identKey, *C.char) {
	if target {
		t := (*C.struct_xtables_target)(p)
		opts := unsafe.Pointer(t.x6_options)
		if opts == nil {
			opts = unsafe.Pointer(t.extra_opts)
		}
		return identKey{unsafe.Pointer(t.name), opts, int(t.revision), true}, t.name
	}
	m := (*C.struct_xtables_match)(p)
	opts := unsafe.Pointer(m.x6_options)
	if opts == nil {
		opts = unsafe.Pointer(m.extra_opts)
	}
	return identKey{unsafe.Pointer(m.name), opts, int(m.revision), false}, m.name
}

func describe(p unsafe.Pointer, target bool) *descriptor {
	t := cbool(target)
	key, name := extIdent(p, target)
	if d := descriptors[key]; d != nil {
		return d
	}
	d := &descriptor{name: C.GoString(name), revision: key.revision,
		hasParse: C.gx_ext_has_parse(p, t) != 0}
	opts := (*[256]C.struct_gx_opt)(C.malloc(C.size_t(unsafe.Sizeof(C.struct_gx_opt{})) * 256))
	n := int(C.gx_ext_options(p, t, &opts[0], 256))
	for i := 0; i < n; i++ {
		d.options = append(d.options, Option{
			Name:       C.GoString(opts[i].name),
			HasArg:     int(opts[i].has_arg),
			ID:         int(opts[i].id),
			Invertible: opts[i].invert != 0,
		})
	}
	C.free(unsafe.Pointer(opts))
	descriptors[key] = d
	return d
}

// Try modes of xtables_find_match.
const (
	DontLoad    = int(C.XTF_DONT_LOAD)
	TryLoad     = int(C.XTF_TRY_LOAD)
	MustSucceed = int(C.XTF_LOAD_MUST_SUCCEED)
)

// LoadMatch adds match name to the rule being built, as -m does (mode
// MustSucceed) or as the implicit protocol match does (TryLoad). It returns
// nil, nil when TryLoad finds nothing.
func (x *Xtables) LoadMatch(name string, mode int) (*Ext, error) {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	var p unsafe.Pointer
	var clone C.int
	if err := check(C.gx_load_match(cname, C.int(mode), &p, &clone)); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, nil
	}
	e := x.newExt(p, false)
	e.Clone = clone != 0
	return e, nil
}

// LoadTarget sets target extension name for the rule being built; nil, nil
// when no plugin has it (a chain name, or a misspelling).
func (x *Xtables) LoadTarget(name string) (*Ext, error) {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	var p unsafe.Pointer
	if err := check(C.gx_load_target(cname, &p)); err != nil {
		return nil, err
	}
	if p == nil {
		return nil, nil
	}
	return x.newExt(p, true), nil
}

// StdTarget sets the standard target: a verdict, or a jump to chain name.
func (x *Xtables) StdTarget(name string, isChain bool) error {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	return check(C.gx_std_target(cname, cbool(isChain)))
}

// RequireTarget fails with libxtables' "Couldn't load target" error
// unless a plugin has target name.
func (x *Xtables) RequireTarget(name string) error {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	return check(C.gx_require_target(cname))
}

// IsTarget tells whether a plugin provides target name.
func (x *Xtables) IsTarget(name string) (bool, error) {
	cname := x.cstr(0, name)
	defer x.freeStr(0, cname)
	var found C.int
	err := check(C.gx_find_target(cname, &found))
	return found != 0, err
}

// Help returns the extension's help text as iptables -h prints it.
func (x *Xtables) Help(e *Ext) (string, error) {
	var out *C.char
	var n C.size_t
	rc := C.gx_help(e.p, cbool(e.Target), &out, &n)
	return captured(rc, out, n)
}

// Plugins lists the names of the installed match and target plugins.
func (x *Xtables) Plugins() (matches, targets []string, err error) {
	var out *C.char
	var n C.size_t
	s, err := captured(C.gx_list_plugins(&out, &n), out, n)
	if err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, f := range strings.Split(s, "\n") {
		name, ok := strings.CutSuffix(f, ".so")
		if !ok {
			continue
		}
		fam := ""
		for _, p := range []string{"libxt_", "libipt_", "libip6t_"} {
			if strings.HasPrefix(name, p) {
				fam = p
			}
		}
		if fam == "" || (fam == "libipt_" && x.fam == IPv6) || (fam == "libip6t_" && x.fam == IPv4) {
			continue
		}
		name = strings.TrimPrefix(name, fam)
		if seen[name] {
			continue
		}
		seen[name] = true
		if strings.ToUpper(name) == name {
			targets = append(targets, name)
		} else {
			matches = append(matches, name)
		}
	}
	return matches, targets, nil
}

// AnnounceChain tells libxtables that name is a chain, so that a later -j
// name does not look for a plugin of that name.
func (x *Xtables) AnnounceChain(name string) {
	cs := C.CString(name)
	C.xtables_announce_chain(cs)
	C.free(unsafe.Pointer(cs))
}
