// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
	"github.com/goipt/goipt/internal/testenv"
)

// tmuxShell is a shell in tmux, in a throwaway network namespace, with a
// freshly built goipt (and iptables, ip6tables symlinks) first on PATH.
type tmuxShell struct {
	t    *testing.T
	tmux string
	sock string
	dir  string
}

func newTmuxShell(t *testing.T, shell string, args ...string) *tmuxShell {
	t.Helper()
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("no tmux")
	}
	sh, err := exec.LookPath(shell)
	if err != nil {
		t.Skip("no " + shell)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	testenv.BuildGoipt(t, bin)
	for _, a := range []string{"iptables", "ip6tables"} {
		if err := os.Symlink("goipt", filepath.Join(bin, a)); err != nil {
			t.Fatal(err)
		}
	}
	s := &tmuxShell{t: t, tmux: tmux, sock: filepath.Join(dir, "tmux.sock"), dir: dir}
	// Completion reads iptables-legacy's chains: the shell's goipt makes
	// them there (the plain names' backend, GOIPT_BACKEND).
	cmd := fmt.Sprintf("env -i PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin HOME=%s TERM=xterm HISTFILE= GOIPT_BACKEND=legacy XTABLES_LOCKFILE=%s unshare -n %s %s",
		bin, dir, filepath.Join(dir, "xtables.lock"), sh, strings.Join(args, " "))
	s.run("new-session", "-d", "-s", "goipt", "-x", "200", "-y", "40", cmd)
	pid, _ := strconv.Atoi(strings.TrimSpace(s.run("display-message", "-p", "-t", "goipt", "#{pane_pid}")))
	t.Cleanup(func() {
		exec.Command(tmux, "-S", s.sock, "kill-server").Run()
		// Let the shell go before the temporary directory does.
		for end := time.Now().Add(5 * time.Second); pid > 0 && time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			if syscall.Kill(pid, 0) != nil {
				break
			}
		}
	})
	return s
}

func (s *tmuxShell) run(args ...string) string {
	s.t.Helper()
	out, err := exec.Command(s.tmux, append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %q: %v\n%s", args, err, out)
	}
	return string(out)
}

func (s *tmuxShell) screen() []string {
	var lines []string
	for _, l := range strings.Split(s.run("capture-pane", "-p", "-t", "goipt"), "\n") {
		if l = strings.TrimRight(l, " "); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// waitLast waits until the screen's last line is want.
func (s *tmuxShell) waitLast(what, want string) {
	s.t.Helper()
	var lines []string
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		lines = s.screen()
		if len(lines) > 0 && lines[len(lines)-1] == want {
			return
		}
	}
	s.t.Fatalf("%s: last line is not %q; screen:\n%s", what, want, strings.Join(lines, "\n"))
}

// waitLine waits until a line of the screen holds all of want.
func (s *tmuxShell) waitLine(what string, want ...string) {
	s.t.Helper()
	var lines []string
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		lines = s.screen()
	line:
		for _, l := range lines {
			for _, w := range want {
				if !strings.Contains(l, w) {
					continue line
				}
			}
			return
		}
	}
	s.t.Fatalf("%s: no line with %q; screen:\n%s", what, want, strings.Join(lines, "\n"))
}

func (s *tmuxShell) command(cmd string) {
	s.t.Helper()
	s.run("send-keys", "-t", "goipt", "-l", cmd)
	s.run("send-keys", "-t", "goipt", "Enter")
}

// tab types typed, presses Tab, and waits for the line to read want after
// the prompt; then it clears the line.
func (s *tmuxShell) tab(prompt, typed, want string) {
	s.t.Helper()
	s.run("send-keys", "-t", "goipt", "-l", typed)
	s.run("send-keys", "-t", "goipt", "Tab")
	s.waitLast(typed+"<TAB>", prompt+want)
	s.run("send-keys", "-t", "goipt", "C-u")
	s.waitLast("clear the line", strings.TrimRight(prompt, " "))
}

// TestBashCompletionTmux types into a real bash, in tmux, with the
// checked-in completions/goipt.bash loaded and nothing else (bash --norc:
// no bash-completion package), in a throwaway network namespace, and
// reads the screen back.
func TestBashCompletionTmux(t *testing.T) {
	s := newTmuxShell(t, "bash", "--norc", "--noprofile")
	script, err := filepath.Abs(filepath.Join(repoRoot, "completions", "goipt.bash"))
	if err != nil {
		t.Fatal(err)
	}
	s.command("PS1='$ '")
	s.command("source " + script + " && goipt iptables -N MYCHAIN && goipt ip6tables -N SIXCHAIN && clear")
	s.waitLast("setup", "$")
	for _, c := range []struct{ typed, want string }{
		{"goipt iptables -A IN", "goipt iptables -A INPUT"},
		{"goipt iptables -A MY", "goipt iptables -A MYCHAIN"},
		{"goipt ip6tables -I SI", "goipt ip6tables -I SIXCHAIN"},
		{"goipt iptables -A INPUT -j MY", "goipt iptables -A INPUT -j MYCHAIN"},
		{"goipt iptables -t na", "goipt iptables -t nat"},
		{"goipt iptables --app", "goipt iptables --append"},
		{"goipt iptables --table=ma", "goipt iptables --table=mangle"},
		{"goipt iptables -A INPUT -m comment --comment \"a b\" -j DR", "goipt iptables -A INPUT -m comment --comment \"a b\" -j DROP"},
		{"goipt iptables -m connt", "goipt iptables -m conntrack"},
		{"goipt iptables -m conntrack --ctstate NEW,ESTA", "goipt iptables -m conntrack --ctstate NEW,ESTABLISHED"},
		{"goipt iptables-sa", "goipt iptables-save"},
		// The applets' symlinks.
		{"iptables -A MY", "iptables -A MYCHAIN"},
		{"ip6tables -P FORW", "ip6tables -P FORWARD"},
	} {
		s.tab("$ ", c.typed, c.want)
	}
}

// TestZshCompletionTmux does the same with zsh and completions/_goipt.
func TestZshCompletionTmux(t *testing.T) {
	s := newTmuxShell(t, "zsh", "-f")
	dir, err := filepath.Abs(filepath.Join(repoRoot, "completions"))
	if err != nil {
		t.Fatal(err)
	}
	s.command("PS1='%% '")
	s.command("fpath=(" + dir + " $fpath); autoload -U compinit; compinit -u -d " + s.dir + "/zcompdump")
	s.command("goipt iptables -N MYCHAIN && clear")
	s.waitLast("setup", "%")
	s.tab("% ", "goipt iptables -A MY", "goipt iptables -A MYCHAIN")
	s.tab("% ", "goipt iptables -t ma", "goipt iptables -t mangle")
	s.tab("% ", "goipt iptables -m conntrack --ctstate NEW,ESTA", "goipt iptables -m conntrack --ctstate NEW,ESTABLISHED")
	s.run("send-keys", "-t", "goipt", "-l", "goipt iptables -A ")
	s.run("send-keys", "-t", "goipt", "Tab")
	s.waitLine("a list with descriptions", "FORWARD", "-- built-in chain")
	s.waitLine("a list with descriptions", "MYCHAIN", "-- chain")
}

// TestFishCompletionTmux does the same with fish and completions/goipt.fish.
func TestFishCompletionTmux(t *testing.T) {
	s := newTmuxShell(t, "fish", "--no-config", "--private")
	script, err := filepath.Abs(filepath.Join(repoRoot, "completions", "goipt.fish"))
	if err != nil {
		t.Fatal(err)
	}
	s.command("function fish_prompt; echo '> '; end; source " + script)
	s.command("goipt iptables -N MYCHAIN; and clear")
	s.waitLast("setup", ">")
	s.tab("> ", "goipt iptables -A MY", "goipt iptables -A MYCHAIN")
	s.tab("> ", "goipt iptables -A INPUT -p tcp --dp", "goipt iptables -A INPUT -p tcp --dport")
	s.tab("> ", "goipt iptables -j REJECT --reject-with tcp-res", "goipt iptables -j REJECT --reject-with tcp-reset")
	s.run("send-keys", "-t", "goipt", "-l", "goipt iptables -A ")
	s.run("send-keys", "-t", "goipt", "Tab")
	s.waitLine("a list with descriptions", "MYCHAIN", "(chain)")
}
