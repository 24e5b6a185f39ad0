// SPDX-License-Identifier: GPL-2.0-or-later

package goiptables

import (
	"bytes"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	engine "github.com/goipt/goipt/internal/iptables"
	"github.com/goipt/goipt/pkg/ext"
)

// Protocol tells IPv4 (iptables) from IPv6 (ip6tables).
type Protocol byte

// The protocols.
const (
	ProtocolIPv4 Protocol = iota
	ProtocolIPv6
)

// IPTables runs iptables (or ip6tables) commands. Make one with New or
// NewWithProtocol.
type IPTables struct {
	path              string // the command in error messages
	proto             Protocol
	hasCheck          bool
	hasWait           bool
	waitSupportSecond bool
	hasRandomFully    bool
	v1, v2, v3        int
	mode              string
	timeout           int // seconds to wait for the xtables lock; 0 forever
}

// Stat is one rule's counters and fields as iptables -L -n -v -x lists
// them.
type Stat struct {
	Packets     uint64     `json:"pkts"`
	Bytes       uint64     `json:"bytes"`
	Target      string     `json:"target"`
	Protocol    string     `json:"prot"`
	Opt         string     `json:"opt"`
	Input       string     `json:"in"`
	Output      string     `json:"out"`
	Source      *net.IPNet `json:"source"`
	Destination *net.IPNet `json:"destination"`
	Options     string     `json:"options"`
}

type option func(*IPTables)

// IPFamily selects IPv4 (iptables, the default) or IPv6 (ip6tables).
func IPFamily(proto Protocol) option {
	return func(ipt *IPTables) { ipt.proto = proto }
}

// Timeout is how many seconds each call waits for the xtables lock
// (iptables --wait SECONDS); 0, the default, waits as long as it takes.
func Timeout(timeout int) option {
	return func(ipt *IPTables) { ipt.timeout = timeout }
}

// Path names the iptables command in error messages. Nothing is run: see
// the package documentation.
func Path(path string) option {
	return func(ipt *IPTables) { ipt.path = path }
}

// New makes an IPTables with the options given (IPFamily, Timeout, Path);
// by default IPv4, waiting for the lock as long as it takes.
func New(opts ...option) (*IPTables, error) {
	ipt := &IPTables{proto: ProtocolIPv4}
	for _, o := range opts {
		o(ipt)
	}
	if ipt.path == "" {
		name := program(ipt.family())
		ipt.path = name
		if p, err := exec.LookPath(name); err == nil {
			ipt.path = p
		}
	}
	var err error
	if ipt.v1, ipt.v2, ipt.v3, err = parseVersion(engine.Version); err != nil {
		return nil, err
	}
	ipt.mode = "legacy"
	atLeast := func(a, b, c int) bool {
		v := [3]int{ipt.v1, ipt.v2, ipt.v3}
		w := [3]int{a, b, c}
		for i := range v {
			if v[i] != w[i] {
				return v[i] > w[i]
			}
		}
		return true
	}
	ipt.hasCheck = atLeast(1, 4, 11)
	ipt.hasWait = atLeast(1, 4, 20)
	ipt.waitSupportSecond = atLeast(1, 6, 0)
	ipt.hasRandomFully = atLeast(1, 6, 2)
	return ipt, nil
}

func (ipt *IPTables) family() ext.Family {
	if ipt.proto == ProtocolIPv6 {
		return ext.IPv6
	}
	return ext.IPv4
}

// parseVersion reads "1.8.11" (goipt's iptables version).
func parseVersion(v string) (a, b, c int, err error) {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) != 3 {
		return 0, 0, 0, fmt.Errorf("no iptables version found in string: %s", v)
	}
	n := make([]int, 3)
	for i, p := range parts {
		if n[i], err = strconv.Atoi(p); err != nil {
			return 0, 0, 0, err
		}
	}
	return n[0], n[1], n[2], nil
}

// NewWithProtocol makes an IPTables for proto (iptables or ip6tables).
func NewWithProtocol(proto Protocol) (*IPTables, error) {
	return New(IPFamily(proto), Timeout(0))
}

// Proto is the protocol of ipt.
func (ipt *IPTables) Proto() Protocol { return ipt.proto }

// HasRandomFully tells whether iptables knows --random-fully (it does).
func (ipt *IPTables) HasRandomFully() bool { return ipt.hasRandomFully }

// GetIptablesVersion is the version of the iptables goipt behaves as.
func (ipt *IPTables) GetIptablesVersion() (int, int, int) { return ipt.v1, ipt.v2, ipt.v3 }

// run runs one command; stdout, when not nil, gets its output.
func (ipt *IPTables) run(args ...string) error { return ipt.runWithOutput(args, nil) }

func (ipt *IPTables) runWithOutput(args []string, stdout *bytes.Buffer) error {
	args = append(args, "--wait")
	if ipt.timeout != 0 {
		args = append(args, strconv.Itoa(ipt.timeout))
	}
	status, stderr := execute(ipt.family(), args, stdout)
	if status != 0 {
		return newError(append([]string{ipt.path}, args...), status, stderr)
	}
	return nil
}

// exitStatus1 tells whether err is an *Error with exit status 1 (what
// iptables -C, -N and -S say for "no such rule", "chain exists", "no such
// chain").
func exitStatus1(err error) bool {
	e, ok := err.(*Error)
	return ok && e.ExitStatus() == 1
}

// Exists tells whether table/chain has a rule equal to rulespec (iptables
// -C). A chain that does not exist has no rule.
func (ipt *IPTables) Exists(table, chain string, rulespec ...string) (bool, error) {
	err := ipt.run(append([]string{"-t", table, "-C", chain}, rulespec...)...)
	switch {
	case err == nil:
		return true, nil
	case exitStatus1(err):
		return false, nil
	}
	return false, err
}

// Insert puts rulespec into table/chain at position pos (1 is first).
func (ipt *IPTables) Insert(table, chain string, pos int, rulespec ...string) error {
	return ipt.run(append([]string{"-t", table, "-I", chain, strconv.Itoa(pos)}, rulespec...)...)
}

// Replace puts rulespec in place of the rule at position pos.
func (ipt *IPTables) Replace(table, chain string, pos int, rulespec ...string) error {
	return ipt.run(append([]string{"-t", table, "-R", chain, strconv.Itoa(pos)}, rulespec...)...)
}

// InsertUnique is Insert unless the chain has the rule already, anywhere.
func (ipt *IPTables) InsertUnique(table, chain string, pos int, rulespec ...string) error {
	ok, err := ipt.Exists(table, chain, rulespec...)
	if err != nil || ok {
		return err
	}
	return ipt.Insert(table, chain, pos, rulespec...)
}

// Append adds rulespec at the end of table/chain.
func (ipt *IPTables) Append(table, chain string, rulespec ...string) error {
	return ipt.run(append([]string{"-t", table, "-A", chain}, rulespec...)...)
}

// AppendUnique is Append unless the chain has the rule already.
func (ipt *IPTables) AppendUnique(table, chain string, rulespec ...string) error {
	ok, err := ipt.Exists(table, chain, rulespec...)
	if err != nil || ok {
		return err
	}
	return ipt.Append(table, chain, rulespec...)
}

// Delete removes the first rule of table/chain equal to rulespec.
func (ipt *IPTables) Delete(table, chain string, rulespec ...string) error {
	return ipt.run(append([]string{"-t", table, "-D", chain}, rulespec...)...)
}

// DeleteIfExists is Delete when the rule exists, nothing otherwise.
func (ipt *IPTables) DeleteIfExists(table, chain string, rulespec ...string) error {
	ok, err := ipt.Exists(table, chain, rulespec...)
	if err == nil && ok {
		err = ipt.Delete(table, chain, rulespec...)
	}
	return err
}

// DeleteById removes the rule at position id (1 is first).
func (ipt *IPTables) DeleteById(table, chain string, id int) error {
	return ipt.run("-t", table, "-D", chain, strconv.Itoa(id))
}

// ListById returns the rule at position id of table/chain as iptables -S
// prints it.
func (ipt *IPTables) ListById(table, chain string, id int) (string, error) {
	rules, err := ipt.executeList([]string{"-t", table, "-S", chain, strconv.Itoa(id)})
	if err != nil {
		return "", err
	}
	if len(rules) == 0 {
		return "", fmt.Errorf("goiptables: chain %s of table %s has no rule %d", chain, table, id)
	}
	return rules[0], nil
}

// List returns table/chain as iptables -S prints it: "-N CHAIN" or "-P
// CHAIN POLICY", then one "-A CHAIN ..." line per rule.
func (ipt *IPTables) List(table, chain string) ([]string, error) {
	return ipt.executeList([]string{"-t", table, "-S", chain})
}

// ListWithCounters is List with each rule's counters (iptables -v -S).
func (ipt *IPTables) ListWithCounters(table, chain string) ([]string, error) {
	return ipt.executeList([]string{"-t", table, "-v", "-S", chain})
}

// ListChains returns the names of the chains of table, built-in chains
// first, as iptables -S lists them.
func (ipt *IPTables) ListChains(table string) ([]string, error) {
	// The chains straight from the table; the -S that go-iptables runs
	// when the table cannot be read, for iptables' error.
	chains, ok, status, stderr := readChains(ipt.family(), ipt.timeout, table)
	if status != 0 {
		return nil, newError(append([]string{ipt.path, "-t", table, "-S"}, ipt.waitArgs()...), status, stderr)
	}
	if ok {
		return chains, nil
	}
	lines, err := ipt.executeList([]string{"-t", table, "-S"})
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "-P") && !strings.HasPrefix(l, "-N") {
			break
		}
		chains = append(chains, strings.Fields(l)[1])
	}
	return chains, nil
}

func (ipt *IPTables) waitArgs() []string {
	if ipt.timeout != 0 {
		return []string{"--wait", strconv.Itoa(ipt.timeout)}
	}
	return []string{"--wait"}
}

// ChainExists tells whether table has chain.
func (ipt *IPTables) ChainExists(table, chain string) (bool, error) {
	err := ipt.run("-t", table, "-S", chain, "1")
	switch {
	case err == nil:
		return true, nil
	case exitStatus1(err):
		return false, nil
	}
	return false, err
}

// listBuffers keep the output buffers of listings between calls (a
// listing is copied into its lines): a 10,000-rule chain is half a
// megabyte, grown and cleared anew on every call otherwise.
var listBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// executeList runs a listing command and returns its lines.
func (ipt *IPTables) executeList(args []string) ([]string, error) {
	out := listBuffers.Get().(*bytes.Buffer)
	defer func() {
		out.Reset()
		listBuffers.Put(out)
	}()
	if err := ipt.runWithOutput(args, out); err != nil {
		return nil, err
	}
	s := out.String()
	if s == "" {
		return []string{}, nil
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = counterSuffix(l)
	}
	return lines, nil
}

// counterSuffix turns "[P:B] RULE" (iptables-nft's -S -v) into "RULE -c P
// B", as go-iptables does; legacy listings never have it.
func counterSuffix(l string) string {
	if !strings.HasPrefix(l, "[") {
		return l
	}
	end := strings.Index(l, "] ")
	colon := strings.IndexByte(l, ':')
	if end < 0 || colon < 0 || colon > end {
		return l
	}
	p, b := l[1:colon], l[colon+1:end]
	if !digits(p) || !digits(b) {
		return l
	}
	return l[end+2:] + " -c " + p + " " + b
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// NewChain makes chain in table; it fails (exit status 1) when the chain
// exists.
func (ipt *IPTables) NewChain(table, chain string) error {
	return ipt.run("-t", table, "-N", chain)
}

// ClearChain empties chain of table, making it when it does not exist.
func (ipt *IPTables) ClearChain(table, chain string) error {
	err := ipt.NewChain(table, chain)
	if exitStatus1(err) { // it exists: flush it
		return ipt.run("-t", table, "-F", chain)
	}
	return err
}

// RenameChain renames chain oldChain of table to newChain.
func (ipt *IPTables) RenameChain(table, oldChain, newChain string) error {
	return ipt.run("-t", table, "-E", oldChain, newChain)
}

// DeleteChain deletes chain of table, which must be empty.
func (ipt *IPTables) DeleteChain(table, chain string) error {
	return ipt.run("-t", table, "-X", chain)
}

// ClearAndDeleteChain flushes and deletes chain of table if it exists.
func (ipt *IPTables) ClearAndDeleteChain(table, chain string) error {
	ok, err := ipt.ChainExists(table, chain)
	if err != nil || !ok {
		return err
	}
	if err = ipt.run("-t", table, "-F", chain); err == nil {
		err = ipt.run("-t", table, "-X", chain)
	}
	return err
}

// ClearAll flushes every chain of the filter table (iptables -F).
func (ipt *IPTables) ClearAll() error { return ipt.run("-F") }

// DeleteAll deletes every user chain of the filter table (iptables -X).
func (ipt *IPTables) DeleteAll() error { return ipt.run("-X") }

// ChangePolicy sets the policy of built-in chain chain of table to target.
func (ipt *IPTables) ChangePolicy(table, chain, target string) error {
	return ipt.run("-t", table, "-P", chain, target)
}
