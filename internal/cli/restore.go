// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/ext"
	"github.com/goipt/goipt/pkg/parse"
)

var restoreOpts = []parse.LongOpt{
	{Name: "counters", HasArg: 0, Val: 'c'},
	{Name: "verbose", HasArg: 0, Val: 'v'},
	{Name: "version", HasArg: 0, Val: 'V'},
	{Name: "test", HasArg: 0, Val: 't'},
	{Name: "help", HasArg: 0, Val: 'h'},
	{Name: "noflush", HasArg: 0, Val: 'n'},
	{Name: "modprobe", HasArg: 1, Val: 'M'},
	{Name: "table", HasArg: 1, Val: 'T'},
	{Name: "wait", HasArg: 2, Val: 'w'},
	{Name: "wait-interval", HasArg: 2, Val: 'W'},
}

// RestoreOptions are iptables-restore's options.
type RestoreOptions struct {
	Counters bool
	Verbose  int
	Test     bool
	NoFlush  bool
	Table    string // -T: only this table
	Wait     int
	Input    io.Reader

	// Inspect, when set, is called at each COMMIT with the table as
	// restore built it, before it is committed (or, with Test, dropped);
	// an error ends the restore (see plan.go).
	Inspect func(x *ext.Xtables, out *bufio.Writer, table string, h backend.Table) error
}

func restoreUsage(w io.Writer, prog string) {
	fmt.Fprintf(w, "Usage: %s [-c] [-v] [-V] [-t] [-h] [-n] [-w secs] [-W usecs] [-T table] [-M command] [file]\n"+
		"\t   [ --counters ]\n"+
		"\t   [ --verbose ]\n"+
		"\t   [ --version]\n"+
		"\t   [ --test ]\n"+
		"\t   [ --help ]\n"+
		"\t   [ --noflush ]\n"+
		"\t   [ --wait=<seconds>\n"+
		"\t   [ --table=<TABLE> ]\n"+
		"\t   [ --modprobe=<command> ]\n", prog)
}

// restoreMain is iptables-restore (or ip6tables-restore).
func restoreMain(fam ext.Family, args []string, stdout, stderr io.Writer) int {
	prog := programName(fam, "-restore")
	args, own := restoreFlags.takeFlags(args, "--json", "--plan")
	argv := append([]string{prog}, args[1:]...)
	g := parse.NewGetopt(append([]string{args[0]}, args[1:]...), "bcvVthnwWM:T:", stderr)
	opts := RestoreOptions{}
	var files []string
	waitIntervalSet := false
	for {
		c, arg, has := g.Next(restoreOpts)
		if c == -1 {
			break
		}
		switch c {
		case 'b':
			fmt.Fprintf(stderr, "-b/--binary option is not implemented\n")
		case 'c':
			opts.Counters = true
		case 'v':
			opts.Verbose++
		case 'V':
			fmt.Fprintf(stdout, "%s v%s (%s)\n", prog, iptables.Version, Legacy.Name())
			return 0
		case 't':
			opts.Test = true
		case 'h':
			restoreUsage(stderr, prog)
			return 0
		case 'n':
			opts.NoFlush = true
		case 'w', 'W':
			val := arg
			if !has && parse.HasArg(argv, g.Optind()) {
				val, has = argv[g.Optind()], true
				g.Skip()
			}
			if c == 'w' {
				w, err := parse.ParseWaitTime(val, has)
				if err != nil {
					// iptables-restore has set its line counter to 0.
					return iptables.Report(stderr, prog, Legacy.Name(), 0, err)
				}
				opts.Wait = w
			} else {
				if _, err := parse.ParseWaitInterval(val, has); err != nil {
					return iptables.Report(stderr, prog, Legacy.Name(), 0, err)
				}
				fmt.Fprintln(stderr, parse.WaitIntervalWarning)
				waitIntervalSet = true
			}
		case 'M':
		case 'T':
			opts.Table = arg
		case 1:
			files = append(files, arg)
		default:
			fmt.Fprintf(stderr, "Try `%s -h' for more information.\n", prog)
			return 1
		}
	}
	// Words after "--" are file names too.
	in, ok := restoreInput(append(files, argv[g.Optind():]...), stderr)
	if !ok {
		return 1
	}
	defer in.Close()
	opts.Input = in
	if waitIntervalSet && opts.Wait == 0 {
		fmt.Fprintf(stderr, "Option --wait-interval requires option --wait\n")
		return 1
	}
	return restoreWith(fam, prog, opts, own["--json"], own["--plan"], stdout, stderr)
}

// restoreInput opens the file named, or stdin when none is; more than one
// is an error, printed as iptables-restore prints it.
func restoreInput(files []string, stderr io.Writer) (io.ReadCloser, bool) {
	switch {
	case len(files) > 1:
		fmt.Fprintf(stderr, "Unknown arguments found on commandline\n")
		return nil, false
	case len(files) == 1:
		f, err := os.Open(files[0])
		if err != nil {
			fmt.Fprintf(stderr, "Can't open %s: %s\n", files[0], ext.Strerror(unwrapErrno(err)))
			return nil, false
		}
		return f, true
	}
	return io.NopCloser(os.Stdin), true
}

// restorer holds the state of one iptables-restore run.
type restorer struct {
	fam    ext.Family
	prog   string
	opts   RestoreOptions
	out    *bufio.Writer
	stderr io.Writer
	x      *ext.Xtables
	env    *iptables.Env

	handle   backend.Table
	unlock   func() // releases the lock of the table being restored
	curtable string
	inTable  bool
	line     int

	argv []string // reused for every rule line: nothing keeps it
}

// failure ends the run with status after its message was printed.
type failure int

func (f failure) Error() string { return "restore failed" }

func restore(fam ext.Family, prog string, opts RestoreOptions, stdout, stderr io.Writer) int {
	r := &restorer{fam: fam, prog: prog, opts: opts, stderr: stderr,
		out: bufio.NewWriterSize(stdout, 64<<10)}
	r.env = &iptables.Env{Fam: fam, Program: prog, Out: r.out, Err: stderr, Restore: true, Backend: Legacy,
		Handle: func(string) (backend.Table, error) { return r.handle, nil }}
	err := ext.Run(fam, prog, func(x *ext.Xtables) error {
		r.x = x
		return r.run()
	})
	r.out.Flush()
	if r.handle != nil {
		r.handle.Close()
	}
	r.releaseLock()
	if f, ok := err.(failure); ok {
		return int(f)
	}
	return iptables.Report(stderr, prog, Legacy.Name(), r.line, err)
}

func (r *restorer) lineFailed() error {
	r.out.Flush()
	fmt.Fprintf(r.stderr, "%s: line %d failed\n", r.prog, r.line)
	return failure(1)
}

func (r *restorer) run() error {
	lr := parse.NewLineReader(r.opts.Input)
	for {
		buf, err := lr.Next()
		if err != nil {
			break
		}
		r.line++
		ok := false
		// A line that starts with a NUL byte is an empty C string (first
		// is 0): not a blank line, but a rule line without words.
		first := byte(0)
		if buf != "" {
			first = buf[0]
		}
		switch {
		case first == '\n':
			continue
		case first == '#':
			if r.opts.Verbose > 0 {
				r.out.WriteString(buf)
				r.out.Flush()
			}
			continue
		case buf == "COMMIT\n" && r.inTable:
			if r.opts.Inspect != nil {
				if err := r.opts.Inspect(r.x, r.out, r.curtable, r.handle); err != nil {
					return err
				}
			}
			if !r.opts.Test {
				if err := r.handle.Commit(); err != nil {
					r.handle = nil
					ok = false
				} else {
					ok = true
				}
			} else {
				r.handle.Close()
				ok = true
			}
			r.handle = nil
			r.releaseLock()
			r.inTable = false
		case first == '*' && !r.inTable:
			skip, err := r.startTable(buf)
			if err != nil {
				return err
			}
			if skip {
				continue
			}
			ok = true
		case first == ':' && r.inTable:
			if err := r.chainLine(buf); err != nil {
				return err
			}
			ok = true
		case r.inTable:
			var err error
			if ok, err = r.ruleLine(buf); err != nil {
				return err
			}
		}
		if r.opts.Table != "" && r.opts.Table != r.curtable {
			continue
		}
		if !ok {
			return r.lineFailed()
		}
	}
	if r.inTable {
		r.out.Flush()
		fmt.Fprintf(r.stderr, "%s: COMMIT expected at line %d\n", r.prog, r.line+1)
		return failure(1)
	}
	return nil
}

func (r *restorer) releaseLock() {
	if r.unlock != nil {
		r.unlock()
		r.unlock = nil
	}
}

// fields is strtok(s, " \t\n") over the whole string.
func fields(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ' ' || c == '\t' || c == '\n' })
}

func (r *restorer) startTable(buf string) (skip bool, err error) {
	if r.unlock, err = iptables.XtablesLock(r.stderr)(r.opts.Wait); err != nil {
		return false, err
	}
	f := fields(buf[1:])
	if len(f) == 0 {
		return false, &parse.Error{Status: parse.ParameterProblem,
			Msg: fmt.Sprintf("%s: line %d table name invalid", r.prog, r.line)}
	}
	table := f[0]
	if len(table) > 32 {
		table = table[:32]
	}
	r.curtable = table
	if r.opts.Table != "" && r.opts.Table != f[0] {
		r.releaseLock()
		return true, nil
	}
	h, err := Legacy.Open(r.fam, f[0])
	if err != nil {
		return false, &parse.Error{Status: parse.ParameterProblem,
			Msg: fmt.Sprintf("%s: unable to initialize table '%s'", r.prog, f[0])}
	}
	r.handle = h
	if !r.opts.NoFlush {
		verbose := r.opts.Verbose > 0
		chains := h.Chains()
		for _, c := range chains {
			if verbose {
				fmt.Fprintf(r.out, "Flushing chain `%s'\n", c)
			}
			h.Flush(c)
		}
		for _, c := range chains {
			if h.Builtin(c) {
				continue
			}
			if verbose {
				fmt.Fprintf(r.out, "Deleting chain `%s'\n", c)
			}
			h.DeleteChain(c)
		}
	}
	r.inTable = true
	return false, nil
}

func (r *restorer) chainLine(buf string) error {
	f := fields(buf[1:])
	if len(f) == 0 {
		return &parse.Error{Status: parse.ParameterProblem,
			Msg: fmt.Sprintf("%s: line %d chain name invalid", r.prog, r.line)}
	}
	chain := f[0]
	if len(chain) >= 29 {
		return &parse.Error{Status: parse.ParameterProblem,
			Msg: fmt.Sprintf("Invalid chain name `%s' (%d chars max)", chain, 28)}
	}
	h := r.handle
	if !h.Builtin(chain) {
		if r.opts.NoFlush && h.IsChain(chain) {
			if err := h.Flush(chain); err != nil {
				return &parse.Error{Status: parse.ParameterProblem,
					Msg: fmt.Sprintf("error flushing chain '%s':%s", chain, ext.Strerror(iptcErrno(err)))}
			}
		} else if err := h.CreateChain(chain); err != nil {
			return &parse.Error{Status: parse.ParameterProblem,
				Msg: fmt.Sprintf("error creating chain '%s':%s", chain, ext.Strerror(iptcErrno(err)))}
		}
	}
	if len(f) < 2 {
		return &parse.Error{Status: parse.ParameterProblem,
			Msg: fmt.Sprintf("%s: line %d policy invalid", r.prog, r.line)}
	}
	policy := f[1]
	if policy != "-" {
		var counters *[2]uint64
		if len(f) < 3 && r.opts.Counters {
			return &parse.Error{Status: parse.ParameterProblem,
				Msg: fmt.Sprintf("invalid policy counters for chain '%s'", chain)}
		}
		if len(f) >= 3 {
			p, b, ok := parse.ParseRestoreCounters(f[2])
			if !ok {
				return &parse.Error{Status: parse.ParameterProblem,
					Msg: fmt.Sprintf("invalid policy counters for chain '%s'", chain)}
			}
			if r.opts.Counters {
				counters = &[2]uint64{p, b}
			}
		}
		if err := h.SetPolicy(chain, policy, counters); err != nil {
			return parse.Errorf(parse.OtherProblem, "Can't set policy `%s' on `%s' line %d: %s",
				policy, chain, r.line, Legacy.StrError(r.fam, iptcErrno(err)))
		}
	}
	r.x.AnnounceChain(chain)
	return nil
}

func iptcErrno(err error) (e iptcErrnoT) {
	if ie, ok := err.(*backend.Error); ok {
		return ie.Errno
	}
	return 0
}

func (r *restorer) ruleLine(buf string) (bool, error) {
	argv := append(r.argv[:0], r.prog, "-t", r.curtable)
	defer func() { r.argv = argv[:0] }()
	if !r.opts.NoFlush {
		for i := 0; i < r.opts.Verbose; i++ {
			argv = append(argv, "-v")
		}
	}
	pcnt, bcnt, rest, has, err := parse.RuleCounters(buf, r.line)
	if err != nil {
		return false, err
	}
	if r.opts.Counters && has {
		argv = append(argv, "--set-counters", pcnt, bcnt)
	}
	if argv, err = parse.SplitRestoreArgs(rest, argv); err != nil {
		return false, err
	}
	cmd, _, err := iptables.Do(r.x, r.env, argv)
	r.out.Flush()
	if err == nil && cmd != nil && (cmd.Help || cmd.Version) {
		// iptables' do_command exits the process after printing the
		// help or the version: nothing more is read or committed.
		return false, failure(0)
	}
	if err != nil {
		if iptables.IsOpFailure(err) {
			return false, nil
		}
		return false, err
	}
	return true, nil
}
