// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/goipt/goipt/internal/iptables"
)

var cobraCommands = map[string]bool{
	"help": true, "--help": true, "-h": true, "version": true, "--version": true,
	"completion": true, "__complete": true, "__completeNoDesc": true,
	"__gen-completions": true,
}

func isCobraCommand(arg string) bool { return cobraCommands[arg] }

// NewRootCommand builds the cobra tree: help, version, completion, and one
// raw-argument command per applet.
func NewRootCommand(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "goipt",
		Short: "iptables-legacy and iptables-nft, reimplemented in Go",
		Long: "goipt is a drop-in for iptables, ip6tables, iptables-save, iptables-restore,\n" +
			"ip6tables-save, ip6tables-restore and iptables-xml on the legacy x_tables kernel API,\n" +
			"and for iptables-nft, ip6tables-nft and their -save on nf_tables.\n" +
			"Call it through a symlink named after an applet, or as `goipt APPLET ARGS...`;\n" +
			"`goipt ARGS...` is `iptables ARGS...`.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       iptables.Version,
	}
	root.SetVersionTemplate(versionLine)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print goipt's version",
		Run: func(cmd *cobra.Command, args []string) {
			io.WriteString(cmd.OutOrStdout(), versionLine)
		},
	})
	addDocCommands(root)
	for _, name := range AppletNames {
		a := applets[name]
		root.AddCommand(&cobra.Command{
			Use:                name + " [ARGS...]",
			Short:              "Run " + name + " (iptables-legacy grammar)",
			Long:               appletDocs[name],
			DisableFlagParsing: true,
			ValidArgsFunction:  appletCompletion(name),
			RunE: func(cmd *cobra.Command, args []string) error {
				if rc := a.Main(a.Fam, append([]string{a.Name}, args...), stdout, stderr); rc != 0 {
					return exitError(rc)
				}
				return nil
			},
		})
	}
	return root
}

// versionLine is what goipt version and goipt --version print.
var versionLine = fmt.Sprintf("goipt %s (iptables v%s legacy compatible)\n", iptables.Version, iptables.Version)

type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func runCobra(args []string, stdout, stderr io.Writer) int {
	root := NewRootCommand(stdout, stderr)
	root.SetArgs(args[1:])
	if err := root.Execute(); err != nil {
		if rc, ok := err.(exitError); ok {
			return int(rc)
		}
		fmt.Fprintln(stderr, "goipt:", err)
		return 2
	}
	return 0
}
