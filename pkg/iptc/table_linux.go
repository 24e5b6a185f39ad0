// SPDX-License-Identifier: GPL-2.0-or-later

package iptc

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goipt/goipt/pkg/backend"
	"github.com/goipt/goipt/pkg/legacy"
)

// Table is one table (filter, nat, mangle, raw, security) of one family,
// as python-iptables' Table and Table6 are. It keeps its backend's copy
// of the table as read from the kernel (Options.Backend).
//
// Changes (new chains, rules, policies, ...) go into that copy. With
// Options.Autocommit each change is committed at once. Without it (the
// default) the first change starts a transaction: the Table takes the
// xtables lock, reads the table again, and applies the change; later
// changes add to it, and Commit sends them all to the kernel in one call
// and releases the lock. Rollback drops them. Close and Refresh drop them
// too, but never silently: they return a *DiscardedError saying how many
// changes were lost. (python-iptables commits every change by default, so
// that a python-iptables user who forgets Commit here is told at Close.)
//
// A Table is safe for use by many goroutines; each call is atomic. Tables
// of this process on the same kernel table exclude each other's
// transactions, as the xtables lock excludes other processes. A Table stays
// in the network namespace of the thread that opened it: it reads and
// writes that namespace's tables whichever goroutine calls it.
type Table struct {
	mu     sync.Mutex
	fam    Family
	name   string
	opts   Options
	be     backend.Backend
	h      backend.Table
	ns     *netns
	tx     *txState
	closed bool
}

type txState struct {
	ops     []op
	release func()
}

// op is one change, recorded so that it can be applied again to a
// re-read table.
type op struct {
	desc  string
	apply func(h backend.Table) error
}

// Open opens table name of family fam, failing as iptc_init does for a
// table that does not exist; its rules are read from the kernel when first
// needed. opts nil means the zero Options.
//
// Each Open returns a new Table, unlike python-iptables, whose Table("filter")
// is the same object every time: a Table here holds its own transaction
// (changes, lock, options), which sharing would hand to every part of a
// program that opened the same table. Tables of one process on the same
// kernel table still exclude each other's transactions. Compare tables by
// Family and Name.
func Open(fam Family, name string, opts *Options) (*Table, error) {
	t := &Table{fam: fam, name: name}
	if opts != nil {
		t.opts = *opts
	}
	t.be = t.opts.Backend
	if t.be == nil {
		t.be = defaultBackend
	}
	ns, err := currentNetns()
	if err != nil {
		return nil, err
	}
	t.ns = ns
	// The rules are read when first needed: a transaction reads them under
	// the lock anyway, and reading them here too would double its cost.
	if err := ns.do(func() error { return t.be.Probe(fam, name) }); err != nil {
		ns.close()
		return nil, err
	}
	return t, nil
}

// NewTable is Open with the default Options.
func NewTable(fam Family, name string) (*Table, error) { return Open(fam, name, nil) }

// Family is the table's family.
func (t *Table) Family() Family { return t.fam }

// Name is the table's name.
func (t *Table) Name() string { return t.name }

// Options returns the table's options.
func (t *Table) Options() Options {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.opts
}

// Autocommit tells whether every change is committed at once.
func (t *Table) Autocommit() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.opts.Autocommit
}

// SetAutocommit turns autocommit on or off. Turning it on commits the
// changes of an open transaction.
func (t *Table) SetAutocommit(on bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.opts.Autocommit = on
	if on && t.tx != nil {
		return t.commitLocked()
	}
	return nil
}

// Begin starts a transaction now rather than at the first change: it takes
// the lock and reads the table again, so that what is read next (rule
// positions, say) is what the changes apply to. It does nothing when a
// transaction is open.
func (t *Table) Begin() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	if t.tx != nil {
		return nil
	}
	return t.beginLocked()
}

// Pending is the number of changes of the open transaction not yet
// committed.
func (t *Table) Pending() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.pendingLocked()
}

func (t *Table) pendingLocked() int {
	if t.tx == nil {
		return 0
	}
	return len(t.tx.ops)
}

// Commit sends the open transaction's changes to the kernel in one call
// and ends the transaction, releasing the lock, whether it succeeds or
// not. Without a transaction it does nothing. A conflict with another
// writer is retried as Options.RetryOnConflict says, then reported as a
// *ConflictError.
func (t *Table) Commit() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	return t.commitLocked()
}

// Refresh reads the table from the kernel again, with fresh counters.
// Changes not yet committed are dropped: Refresh then returns a
// *DiscardedError that says how many (Rollback first drops them without
// one), having read the table all the same.
func (t *Table) Refresh() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	discarded := t.discardLocked()
	h, err := t.openHandle()
	if err != nil {
		return errors.Join(discarded, err)
	}
	t.h = h
	return discarded
}

// Rollback drops the changes of the open transaction, if any, and
// releases the lock: what Close and Refresh do without a word for a
// caller who means it. The Table stays open.
func (t *Table) Rollback() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	t.endTxLocked()
	return nil
}

// Close frees the table and releases the lock. A Table closed with
// changes not yet committed drops them, and says so: Close then returns a
// *DiscardedError (errors.Is(err, ErrDiscarded)); Commit them first, or
// Rollback to drop them on purpose. Closing twice does nothing; other
// methods of a closed Table fail with ErrClosed.
func (t *Table) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil
	}
	discarded := t.discardLocked()
	t.ns.close()
	t.closed = true
	return discarded
}

// discardLocked ends the transaction and frees the handle, and reports the
// changes it drops.
func (t *Table) discardLocked() error {
	var err error
	if n := t.pendingLocked(); n > 0 {
		err = &DiscardedError{Family: t.fam, Table: t.name, Changes: n}
	}
	t.endTxLocked()
	t.dropHandle()
	return err
}

// defaultBackend is the backend of a Table whose Options name none.
var defaultBackend backend.Backend = &legacy.Backend{}

func (t *Table) dropHandle() {
	if t.h != nil {
		t.h.Close()
		t.h = nil
	}
}

// handle returns the handle, reading the table when none is held.
func (t *Table) handle() (backend.Table, error) {
	if t.closed {
		return nil, ErrClosed
	}
	if t.h == nil {
		h, err := t.openHandle()
		if err != nil {
			return nil, err
		}
		t.h = h
	}
	return t.h, nil
}

// read runs f on the handle under the table's mutex.
func (t *Table) read(f func(h backend.Table) error) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	h, err := t.handle()
	if err != nil {
		return err
	}
	return f(h)
}

func (t *Table) beginLocked() error {
	release, err := acquireTx(t.fam, t.name, &t.opts)
	if err != nil {
		return err
	}
	h, err := t.openHandle()
	if err != nil {
		release()
		return err
	}
	t.dropHandle()
	t.h = h
	t.tx = &txState{release: release}
	return nil
}

func (t *Table) endTxLocked() {
	if t.tx == nil {
		return
	}
	t.tx.release()
	t.tx = nil
	// The handle holds the dropped changes: read the table again when
	// next needed.
	t.dropHandle()
}

// change applies one change: prepare makes it (building rules, say) on the
// transaction's handle, and returns the function that applies it, which is
// recorded for retries.
func (t *Table) change(desc string, prepare func(h backend.Table) (func(backend.Table) error, error)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return ErrClosed
	}
	if t.tx == nil {
		if err := t.beginLocked(); err != nil {
			return err
		}
	}
	apply, err := prepare(t.h)
	if err == nil {
		err = apply(t.h)
	}
	if err != nil {
		if len(t.tx.ops) == 0 {
			t.endTxLocked()
		}
		return err
	}
	t.tx.ops = append(t.tx.ops, op{desc, apply})
	if t.opts.Autocommit {
		return t.commitLocked()
	}
	return nil
}

func (t *Table) commitLocked() error {
	if t.tx == nil {
		return nil
	}
	defer t.endTxLocked()
	attempts := 0
	for {
		attempts++
		err := t.h.Commit()
		t.h = nil
		if err == nil {
			return nil
		}
		if !errors.Is(err, ErrTableChanged) || attempts > t.opts.RetryOnConflict {
			if errors.Is(err, ErrTableChanged) {
				return &ConflictError{Family: t.fam, Table: t.name, Attempts: attempts, Err: err}
			}
			return err
		}
		// Read the table again and redo the transaction on it.
		h, err := t.openHandle()
		if err != nil {
			return err
		}
		t.h = h
		for _, o := range t.tx.ops {
			if err := o.apply(h); err != nil {
				return &ConflictError{Family: t.fam, Table: t.name, Attempts: attempts,
					Err: fmt.Errorf("iptc: re-applying %s: %w", o.desc, err)}
			}
		}
	}
}

// openHandle reads the table in the Table's network namespace.
func (t *Table) openHandle() (backend.Table, error) {
	var h backend.Table
	err := t.ns.do(func() error {
		var err error
		h, err = t.be.Open(t.fam, t.name)
		return err
	})
	return h, err
}

// Chains returns the table's chains, built-in ones first.
func (t *Table) Chains() ([]*Chain, error) {
	names, err := t.ChainNames()
	if err != nil {
		return nil, err
	}
	out := make([]*Chain, len(names))
	for i, n := range names {
		out[i] = &Chain{t: t, name: n}
	}
	return out, nil
}

// ChainNames returns the names of the table's chains, built-in ones first.
func (t *Table) ChainNames() (names []string, err error) {
	err = t.read(func(h backend.Table) error {
		names = h.Chains()
		return nil
	})
	return names, err
}

// Chain returns chain name of the table, without checking that it exists
// (as python-iptables' Chain(table, name)). The Chain is a new value each
// call, where python-iptables hands back the same object: it holds only
// the name and the Table, so two Chains of the same name and Table work
// on the same chain. Compare chains by Name.
func (t *Table) Chain(name string) *Chain { return &Chain{t: t, name: name} }

// IsChain tells whether chain exists.
func (t *Table) IsChain(chain string) (ok bool, err error) {
	err = t.read(func(h backend.Table) error {
		ok = h.IsChain(chain)
		return nil
	})
	return ok, err
}

// IsBuiltin tells whether chain is a built-in chain.
func (t *Table) IsBuiltin(chain string) (ok bool, err error) {
	err = t.read(func(h backend.Table) error {
		ok = h.IsChain(chain) && h.Builtin(chain)
		return nil
	})
	return ok, err
}

// ValidateRule tells whether r can go into this table as Chain.AppendRule
// would build it, with the reason when it cannot, changing nothing: its
// matches and target are built and checked by the extensions, and a
// target that is neither a verdict nor a target extension must be a chain
// of the table (as it is now, with the open transaction's changes), as
// the kernel would require at commit.
func (t *Table) ValidateRule(r *Rule) error {
	return t.read(func(h backend.Table) error {
		_, err := encodeRules(t.fam, []*Rule{r}, h.IsChain, t.name)
		return err
	})
}

func (t *Table) noChain(chain string) error {
	return tag(&Error{Op: "chain", Errno: syscall.ENOENT,
		Msg: fmt.Sprintf("%s (%s)", t.be.StrError(t.fam, syscall.ENOENT), chain)}, ErrNoChain)
}

func simple(f func(h backend.Table) error) func(h backend.Table) (func(backend.Table) error, error) {
	return func(backend.Table) (func(backend.Table) error, error) { return f, nil }
}

// CreateChain makes a new user chain.
func (t *Table) CreateChain(chain string) (*Chain, error) {
	err := t.change("create chain "+chain, simple(func(h backend.Table) error { return h.CreateChain(chain) }))
	if err != nil {
		return nil, err
	}
	return t.Chain(chain), nil
}

// DeleteChain deletes user chain chain, which must be empty and not
// referenced.
func (t *Table) DeleteChain(chain string) error {
	return t.change("delete chain "+chain, simple(func(h backend.Table) error { return h.DeleteChain(chain) }))
}

// RenameChain renames user chain old; rules that jump to it follow.
func (t *Table) RenameChain(old, newName string) error {
	return t.change("rename chain "+old, simple(func(h backend.Table) error { return h.RenameChain(old, newName) }))
}

// FlushEntries deletes every rule of chain.
func (t *Table) FlushEntries(chain string) error {
	return t.change("flush "+chain, simple(func(h backend.Table) error { return h.Flush(chain) }))
}

// ZeroEntries zeroes the counters of chain's rules and policy.
func (t *Table) ZeroEntries(chain string) error {
	return t.change("zero "+chain, simple(func(h backend.Table) error { return h.Zero(chain) }))
}

// Flush deletes every rule of every chain and every user chain, as
// iptables -F followed by -X does.
func (t *Table) Flush() error {
	return t.change("flush table", simple(func(h backend.Table) error {
		chains := h.Chains()
		for _, c := range chains {
			if err := h.Flush(c); err != nil {
				return err
			}
		}
		for _, c := range chains {
			if !h.Builtin(c) {
				if err := h.DeleteChain(c); err != nil {
					return err
				}
			}
		}
		return nil
	}))
}

// Zero zeroes the counters of every chain, as iptables -Z does.
func (t *Table) Zero() error {
	return t.change("zero table", simple(func(h backend.Table) error {
		for _, c := range h.Chains() {
			if err := h.Zero(c); err != nil {
				return err
			}
		}
		return nil
	}))
}

// Transaction locks. A transaction holds its table's semaphore, which
// excludes the other Tables of this process on the same kernel table, and
// (unless Options.NoLock) a share of the process's xtables lock, which
// excludes other processes.

var txSems sync.Map // "fam/name" -> chan struct{}

var shared struct {
	mu sync.Mutex
	n  int
	l  *Lock
}

// acquireShared takes a share of the process's xtables lock, taking the
// lock itself when no transaction holds it. It does not hold shared.mu
// while it waits, so that a caller that would not wait is not held up by
// one that does.
func acquireShared(wait, interval time.Duration) error {
	if interval <= 0 {
		interval = DefaultLockInterval
	}
	deadline := time.Now().Add(wait)
	for {
		shared.mu.Lock()
		if shared.n > 0 {
			shared.n++
			shared.mu.Unlock()
			return nil
		}
		l, err := AcquireLock(0, 0)
		if err == nil {
			shared.l, shared.n = l, 1
		}
		shared.mu.Unlock()
		if err == nil || !errors.Is(err, ErrLockBusy) || wait == 0 ||
			(wait > 0 && !time.Now().Before(deadline)) {
			return err
		}
		d := interval
		if wait > 0 {
			d = min(d, time.Until(deadline))
		}
		time.Sleep(d)
	}
}

func releaseShared() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.n--; shared.n == 0 {
		shared.l.Release()
		shared.l = nil
	}
}

func acquireTx(fam Family, name string, o *Options) (func(), error) {
	v, _ := txSems.LoadOrStore(fmt.Sprintf("%d/%s", fam, name), make(chan struct{}, 1))
	sem := v.(chan struct{})
	wait := o.lockWait()
	start := time.Now()
	busy := func() error {
		return &LockError{Busy: true, Wait: wait, Err: syscall.EWOULDBLOCK,
			Msg: semBusyMessage(fam, name, wait)}
	}
	switch {
	case wait == 0:
		select {
		case sem <- struct{}{}:
		default:
			return nil, busy()
		}
	case wait < 0:
		sem <- struct{}{}
	default:
		timer := time.NewTimer(wait)
		select {
		case sem <- struct{}{}:
			timer.Stop()
		case <-timer.C:
			return nil, busy()
		}
	}
	if !o.NoLock {
		w := wait
		if w > 0 {
			// What is left of the wait; at least a try.
			w = max(wait-time.Since(start), time.Nanosecond)
		}
		if err := acquireShared(w, o.LockInterval); err != nil {
			<-sem
			if le, ok := err.(*LockError); ok && le.Busy {
				// The message tells the wait the caller asked for.
				le.Wait, le.Msg = wait, busyMessage(wait)
			}
			return nil, err
		}
	}
	noLock := o.NoLock
	return func() {
		if !noLock {
			releaseShared()
		}
		<-sem
	}, nil
}

// netns is the network namespace a Table was opened in.
type netns struct {
	fd       int
	dev, ino uint64
}

const threadNetns = "/proc/thread-self/ns/net"

func currentNetns() (*netns, error) {
	fd, err := unix.Open(threadNetns, unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		// No /proc: work in whatever namespace the caller is.
		return &netns{fd: -1}, nil
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &netns{fd: fd, dev: uint64(st.Dev), ino: st.Ino}, nil
}

func (n *netns) close() {
	if n.fd >= 0 {
		unix.Close(n.fd)
		n.fd = -1
	}
}

// do runs f in the namespace: on the calling thread when it is there
// already, otherwise on a new thread moved into it (that thread dies with
// its goroutine).
func (n *netns) do(f func() error) error {
	if n.fd < 0 {
		return f()
	}
	runtime.LockOSThread()
	var st unix.Stat_t
	if unix.Stat(threadNetns, &st) == nil && uint64(st.Dev) == n.dev && st.Ino == n.ino {
		defer runtime.UnlockOSThread()
		return f()
	}
	runtime.UnlockOSThread()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread leaves the namespace of the others
		if err := unix.Setns(n.fd, unix.CLONE_NEWNET); err != nil {
			done <- fmt.Errorf("iptc: entering the table's network namespace: %w", err)
			return
		}
		done <- f()
	}()
	return <-done
}

func semBusyMessage(fam Family, name string, wait time.Duration) string {
	msg := fmt.Sprintf("Another transaction of this process holds the %s %s table.", fam, name)
	if wait > 0 {
		msg += fmt.Sprintf(" Stopped waiting after %ds.", int(wait/time.Second))
	}
	return msg
}
