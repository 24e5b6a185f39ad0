// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goipt/goipt/internal/netnstest"
)

// TestBashCompletionTmux types into a real bash, in tmux, with the
// checked-in completions/goipt.bash loaded and nothing else (bash --norc:
// no bash-completion package), in a throwaway network namespace, and
// reads the screen back.
func TestBashCompletionTmux(t *testing.T) {
	if ok, why := netnstest.Enabled(); !ok {
		t.Skip(why)
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("no tmux")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	script, err := filepath.Abs(filepath.Join(repoRoot, "completions", "goipt.bash"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "goipt"), "github.com/goipt/goipt/cmd/goipt")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, a := range []string{"iptables", "ip6tables"} {
		if err := os.Symlink("goipt", filepath.Join(bin, a)); err != nil {
			t.Fatal(err)
		}
	}

	sock := filepath.Join(dir, "tmux.sock")
	run := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-S", sock}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %q: %v\n%s", args, err, out)
		}
		return string(out)
	}
	shell := fmt.Sprintf("env -i PATH=%s:/usr/sbin:/usr/bin:/sbin:/bin HOME=%s TERM=xterm XTABLES_LOCKFILE=%s unshare -n %s --norc --noprofile",
		bin, dir, filepath.Join(dir, "xtables.lock"), bash)
	run("new-session", "-d", "-s", "goipt", "-x", "200", "-y", "40", shell)
	t.Cleanup(func() { exec.Command(tmux, "-S", sock, "kill-server").Run() })

	screen := func() []string {
		var lines []string
		for _, l := range strings.Split(run("capture-pane", "-p", "-t", "goipt"), "\n") {
			if l = strings.TrimRight(l, " "); l != "" {
				lines = append(lines, l)
			}
		}
		return lines
	}
	// waitLast waits until the screen's last line is want.
	waitLast := func(what, want string) {
		t.Helper()
		var lines []string
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
			lines = screen()
			if len(lines) > 0 && lines[len(lines)-1] == want {
				return
			}
		}
		t.Fatalf("%s: last line is not %q; screen:\n%s", what, want, strings.Join(lines, "\n"))
	}
	command := func(cmd string) {
		t.Helper()
		run("send-keys", "-t", "goipt", "-l", cmd)
		run("send-keys", "-t", "goipt", "Enter")
	}

	command("PS1='$ '")
	command("source " + script + " && echo loaded")
	command("goipt iptables -N MYCHAIN && goipt ip6tables -N SIXCHAIN && clear")
	waitLast("setup", "$")

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
		run("send-keys", "-t", "goipt", "-l", c.typed)
		run("send-keys", "-t", "goipt", "Tab")
		waitLast(c.typed+"<TAB>", "$ "+c.want)
		run("send-keys", "-t", "goipt", "C-u")
		waitLast("clear the line", "$")
	}
}
