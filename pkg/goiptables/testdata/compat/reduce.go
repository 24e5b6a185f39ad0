// SPDX-License-Identifier: GPL-2.0-or-later

// reduce rewrites go-iptables' own test file (iptables/iptables_test.go,
// package iptables) so that it uses the package's public API only, and
// can then run against another implementation of that API through type
// and function aliases. scripts/goiptables-compat.sh runs it on the copy
// in the Go module cache; nothing of go-iptables is kept in goipt.
//
//	reduce IN OUT
//
// What goes, and why:
//   - tests of unexported helpers (filterRuleOutput,
//     extractIptablesVersion) and of unexported fields (TestTimeout reads
//     ipt.timeout, TestLegacyDetection ipt.path and ipt.mode);
//   - t.Log/t.Logf calls that print unexported fields;
//   - mustTestableIptables' extra copies with hasCheck turned off (an
//     unexported field: the -S based Exists of iptables before 1.4.11);
//   - assignments to unexported fields (TestError's ipt.path, which then
//     expects an *os.PathError from a missing binary, and the rest of that
//     block; TestIsNotExist's e.msg);
//
// and what is rewritten: ipt.proto becomes ipt.Proto(), ipt.v1/v2/v3
// become verMajor(ipt)/verMinor(ipt)/verPatch(ipt), helpers over
// GetIptablesVersion that the shim defines. Last, the expected "prot" column of the Stats test
// follows iptables 1.8.10 and later, which print the protocol's name under
// -n ("all") where 1.8.9 printed its number ("0"): the test only knows
// versions up to 1.8.9.
//
// It fails when something unexported is left that it does not know.
package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"strings"
)

var dropFuncs = map[string]bool{
	"TestTimeout":                true,
	"TestLegacyDetection":        true,
	"TestFilterRuleOutput":       true,
	"TestExtractIptablesVersion": true,
}

// unexported fields and functions of go-iptables the test uses.
var internal = map[string]bool{
	"path": true, "proto": true, "hasCheck": true, "hasWait": true, "waitSupportSecond": true,
	"hasRandomFully": true, "v1": true, "v2": true, "v3": true, "mode": true, "timeout": true,
	"msg": true, "cmd": true, "exitStatus": true,
	"filterRuleOutput": true, "extractIptablesVersion": true, "getIptablesCommand": true,
	"getIptablesCommandSupport": true, "getIptablesVersionString": true,
}

func usesInternal(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if internal[x.Sel.Name] {
				found = true
			}
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok && internal[id.Name] {
				found = true
			}
		}
		return !found
	})
	return found
}

func isLog(s ast.Stmt) bool {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && (sel.Sel.Name == "Logf" || sel.Sel.Name == "Log")
}

// assignsInternal tells whether s assigns to an unexported field.
func assignsInternal(s ast.Stmt) bool {
	as, ok := s.(*ast.AssignStmt)
	if !ok {
		return false
	}
	for _, l := range as.Lhs {
		if sel, ok := l.(*ast.SelectorExpr); ok && internal[sel.Sel.Name] {
			return true
		}
	}
	return false
}

func reduceBlock(b *ast.BlockStmt) {
	var out []ast.Stmt
	for _, s := range b.List {
		switch {
		case isLog(s) && usesInternal(s):
			continue
		case assignsInternal(s):
			sel := s.(*ast.AssignStmt).Lhs[0].(*ast.SelectorExpr)
			if sel.Sel.Name == "path" {
				// TestError: the rest tests a missing iptables binary.
				b.List = out
				return
			}
			continue
		}
		if ifs, ok := s.(*ast.IfStmt); ok && usesInternalField(ifs.Cond, "hasCheck") {
			continue
		}
		out = append(out, s)
	}
	b.List = out
}

func usesInternalField(n ast.Node, field string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == field {
			found = true
		}
		return !found
	})
	return found
}

// rewrite replaces X.proto by X.Proto() and X.v1 by v1(X).
func rewrite(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		var exprs []*ast.Expr
		switch x := n.(type) {
		case *ast.BinaryExpr:
			exprs = []*ast.Expr{&x.X, &x.Y}
		case *ast.ParenExpr:
			exprs = []*ast.Expr{&x.X}
		case *ast.CallExpr:
			for i := range x.Args {
				exprs = append(exprs, &x.Args[i])
			}
		}
		for _, e := range exprs {
			sel, ok := (*e).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			switch sel.Sel.Name {
			case "proto":
				*e = &ast.CallExpr{Fun: &ast.SelectorExpr{X: sel.X, Sel: ast.NewIdent("Proto")}}
			case "v1", "v2", "v3":
				helper := map[string]string{"v1": "verMajor", "v2": "verMinor", "v3": "verPatch"}[sel.Sel.Name]
				*e = &ast.CallExpr{Fun: ast.NewIdent(helper), Args: []ast.Expr{sel.X}}
			}
		}
		return true
	})
}

// protAfter189 adds, after the statement that declares prot, the
// expectation of iptables 1.8.10 and later.
func protAfter189(fn *ast.FuncDecl) bool {
	done := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		b, ok := n.(*ast.BlockStmt)
		if !ok || done {
			return !done
		}
		for i, s := range b.List {
			as, ok := s.(*ast.AssignStmt)
			if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 {
				continue
			}
			if id, ok := as.Lhs[0].(*ast.Ident); !ok || id.Name != "prot" {
				continue
			}
			stmt, err := parser.ParseExpr(`func() { if verMajor(ipt) == 1 && (verMinor(ipt) > 8 || verMinor(ipt) == 8 && verPatch(ipt) >= 10) { prot = "all" } }`)
			if err != nil {
				panic(err)
			}
			add := stmt.(*ast.FuncLit).Body.List[0]
			// After the if statements that follow (the 1.8.9 cases).
			j := i + 1
			for j < len(b.List) {
				if _, ok := b.List[j].(*ast.IfStmt); !ok {
					break
				}
				j++
			}
			b.List = append(b.List[:j], append([]ast.Stmt{add}, b.List[j:]...)...)
			done = true
			return false
		}
		return true
	})
	return done
}

// dropUnusedImports removes the imports no code uses any more.
func dropUnusedImports(f *ast.File) {
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		var specs []ast.Spec
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			path := strings.Trim(is.Path.Value, `"`)
			name := path[strings.LastIndex(path, "/")+1:]
			if is.Name != nil {
				name = is.Name.Name
			}
			if used[name] || name == "_" {
				specs = append(specs, s)
			}
		}
		gd.Specs = specs
	}
	f.Imports = nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: reduce IN OUT")
		os.Exit(2)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, os.Args[1], nil, parser.ParseComments)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var decls []ast.Decl
	var kept []string
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if ok && dropFuncs[fn.Name.Name] {
			continue
		}
		if ok {
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if b, ok := n.(*ast.BlockStmt); ok {
					reduceBlock(b)
				}
				return true
			})
			rewrite(fn.Body)
			if fn.Name.Name == "runRulesTests" && !protAfter189(fn) {
				fmt.Fprintln(os.Stderr, "reduce: no prot := in runRulesTests")
				os.Exit(1)
			}
			if usesInternal(fn.Body) {
				fmt.Fprintf(os.Stderr, "reduce: %s still uses unexported names\n", fn.Name.Name)
				os.Exit(1)
			}
			if strings.HasPrefix(fn.Name.Name, "Test") {
				kept = append(kept, fn.Name.Name)
			}
		}
		decls = append(decls, d)
	}
	f.Decls = decls
	dropUnusedImports(f)
	f.Comments = nil // the license header and comments stay with the original
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	header := "// Code generated by goipt's reduce from go-iptables' iptables_test.go\n" +
		"// (Apache-2.0, Copyright 2015 CoreOS, Inc.) for a local test run; DO NOT COMMIT.\n\n"
	if err := os.WriteFile(os.Args[2], append([]byte(header), buf.Bytes()...), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "reduce: kept %s\n", strings.Join(kept, " "))
}
