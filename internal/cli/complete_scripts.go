// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// The completion scripts in completions/ are cobra's, generated from the
// command tree and checked in (a test fails when they are stale); `make
// completions` (or `make man`) runs `goipt __gen-completions completions`.
// Every script asks `goipt __complete ...` for the candidates, so the
// completion itself lives in complete.go.

// completionFiles maps the files of completions/ to their generators.
var completionFiles = []struct {
	Name string
	Gen  func(root *cobra.Command, w *bytes.Buffer) error
}{
	{"goipt.bash", func(root *cobra.Command, w *bytes.Buffer) error { return genBash(root, w, true) }},
	{"_goipt", func(root *cobra.Command, w *bytes.Buffer) error { return root.GenZshCompletion(w) }},
	{"goipt.fish", func(root *cobra.Command, w *bytes.Buffer) error { return root.GenFishCompletion(w, true) }},
}

// genCompletions returns the contents of completions/, by file name.
func genCompletions() (map[string][]byte, error) {
	root := NewRootCommand(&bytes.Buffer{}, &bytes.Buffer{})
	out := map[string][]byte{}
	for _, f := range completionFiles {
		var b bytes.Buffer
		if err := f.Gen(root, &b); err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[f.Name] = b.Bytes()
	}
	return out, nil
}

// genBash is cobra's bash script plus goipt's additions.
func genBash(root *cobra.Command, w io.Writer, descriptions bool) error {
	if err := root.GenBashCompletionV2(w, descriptions); err != nil {
		return err
	}
	_, err := io.WriteString(w, bashApplets())
	return err
}

// addDocCommands adds the hidden generators to root, and makes `goipt
// completion bash` print the same script as completions/goipt.bash.
func addDocCommands(root *cobra.Command) {
	root.AddCommand(genCommands()...)
	root.InitDefaultCompletionCmd()
	if bash, _, err := root.Find([]string{"completion", "bash"}); err == nil && bash.Name() == "bash" {
		bash.RunE = func(cmd *cobra.Command, args []string) error {
			noDesc, _ := cmd.Flags().GetBool("no-descriptions")
			return genBash(cmd.Root(), cmd.OutOrStdout(), !noDesc)
		}
		bash.Run = nil
	}
}

// bashAppletNames are the names the bash script also completes, when they
// lead to goipt (a symlink made by make build or make install).
func bashAppletNames() []string {
	return append(append([]string(nil), AppletNames...), "xtables-legacy-multi")
}

// bashApplets is appended to cobra's bash script: a fallback for shells
// without the bash-completion package, and completion for the applet
// symlinks. (Long: it is one bash script, kept whole to be read as one.)
func bashApplets() string {
	return strings.ReplaceAll(`
# ---- goipt additions (generated with the rest of this file) ----

# Without the bash-completion package (bash --norc, minimal systems) there
# is no _get_comp_words_by_ref: take bash's own words, joining the pieces
# it splits at '=' and ':' back together.
__goipt_init_completion()
{
    COMPREPLY=()
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref "$@" cur prev words cword
        return
    fi
    local i w rest=${COMP_LINE:0:COMP_POINT} trimmed
    words=() cword=-1
    for ((i = 0; i < ${#COMP_WORDS[@]} && i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        trimmed=${rest#"${rest%%[![:space:]]*}"}
        if ((i > 0)) && [[ ${#trimmed} == "${#rest}" ]]; then
            words[cword]+=$w
        else
            words[++cword]=$w
        fi
        rest=${trimmed#"$w"}
    done
    cur=${words[cword]}
    prev=${words[cword-1]-}
}

# bash's printf %q, with which cobra's script quotes a lone candidate,
# escapes commas (NEW\,ESTABLISHED); outside braces they need no quoting.
__goipt_start()
{
    __start_goipt
    COMPREPLY=("${COMPREPLY[@]//\\,/,}")
}

if [[ $(type -t compopt) = "builtin" ]]; then
    complete -o default -F __goipt_start goipt
else
    complete -o default -o nospace -F __goipt_start goipt
fi

# APPLET ARGS... (through a symlink to goipt) is completed as
# goipt APPLET ARGS...
__goipt_start_applet()
{
    local cmd=${COMP_WORDS[0]} applet=${COMP_WORDS[0]##*/} bin tail head
    bin=$(type -P "$cmd") && bin=$(readlink -f "$bin") || return
    [[ ${bin##*/} == goipt ]] || return
    tail=${COMP_LINE#*"$cmd"}
    head=$((${#COMP_LINE} - ${#tail}))
    if [[ $applet == xtables-legacy-multi ]]; then
        COMP_WORDS=("$bin" "${COMP_WORDS[@]:1}")
        COMP_LINE=$bin$tail
    else
        COMP_WORDS=("$bin" "$applet" "${COMP_WORDS[@]:1}")
        COMP_CWORD=$((COMP_CWORD + 1))
        COMP_LINE="$bin $applet$tail"
    fi
    COMP_POINT=$((COMP_POINT - head + ${#COMP_LINE} - ${#tail}))
    __goipt_start
}

for __goipt_applet in @APPLETS@; do
    if [[ $(readlink -f "$(type -P "$__goipt_applet")" 2>/dev/null) == */goipt ]]; then
        complete -o default -F __goipt_start_applet "$__goipt_applet"
    fi
done
unset __goipt_applet
`, "@APPLETS@", strings.Join(bashAppletNames(), " "))
}

// writeGenerated writes files into dir.
func writeGenerated(dir string, files map[string][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// genCommands are the hidden commands make man and make completions run.
func genCommands() []*cobra.Command {
	return []*cobra.Command{
		{
			Use:    "__gen-completions DIR",
			Short:  "Write the bash, zsh and fish completion scripts into DIR",
			Hidden: true,
			Args:   cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				files, err := genCompletions()
				if err != nil {
					return err
				}
				return writeGenerated(args[0], files)
			},
		},
	}
}
