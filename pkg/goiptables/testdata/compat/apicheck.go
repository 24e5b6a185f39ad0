// SPDX-License-Identifier: GPL-2.0-or-later

// apicheck compares the exported API of two packages (declarations, method
// sets, exported struct fields with their tags) and fails when they
// differ. scripts/goiptables-compat.sh runs it on go-iptables and
// goiptables, in a temporary module that has both.
package main

import (
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"os"
	"sort"
	"strings"
)

// api lists the exported API of package path, one line per object,
// method and struct field, with package qualifiers dropped.
func api(path string) []string {
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	pkg, err := imp.Import(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	q := func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	}
	var out []string
	s := pkg.Scope()
	for _, name := range s.Names() {
		o := s.Lookup(name)
		if !o.Exported() {
			continue
		}
		tn, ok := o.(*types.TypeName)
		if !ok {
			out = append(out, types.ObjectString(o, q))
			continue
		}
		if _, isStruct := tn.Type().Underlying().(*types.Struct); isStruct {
			out = append(out, "type "+name+" struct")
		} else {
			out = append(out, types.ObjectString(o, q))
		}
		for _, t := range []types.Type{tn.Type(), types.NewPointer(tn.Type())} {
			ms := types.NewMethodSet(t)
			for i := 0; i < ms.Len(); i++ {
				m := ms.At(i)
				if m.Obj().Exported() {
					out = append(out, fmt.Sprintf("method (%s) %s", types.TypeString(t, q), types.ObjectString(m.Obj(), q)))
				}
			}
		}
		if st, ok := tn.Type().Underlying().(*types.Struct); ok {
			for i := 0; i < st.NumFields(); i++ {
				f := st.Field(i)
				if f.Exported() {
					out = append(out, fmt.Sprintf("field %s.%s %s `%s`", name, f.Name(), types.TypeString(f.Type(), q), st.Tag(i)))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func main() {
	a, b := api(os.Args[1]), api(os.Args[2])
	sa, sb := strings.Join(a, "\n"), strings.Join(b, "\n")
	if sa == sb {
		fmt.Printf("API identical: %d declarations, methods and fields\n", len(a))
		return
	}
	in := func(l []string, x string) bool {
		for _, y := range l {
			if y == x {
				return true
			}
		}
		return false
	}
	for _, x := range a {
		if !in(b, x) {
			fmt.Println("only in", os.Args[1]+":", x)
		}
	}
	for _, x := range b {
		if !in(a, x) {
			fmt.Println("only in", os.Args[2]+":", x)
		}
	}
	os.Exit(1)
}
