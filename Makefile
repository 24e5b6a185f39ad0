# SPDX-License-Identifier: GPL-2.0-or-later
#
# make deps          install the Debian packages goipt builds and tests with
# make build         build/goipt and its applet symlinks (iptables, iptables-save, ...)
# make test          go vet, go test (with the netns system tests) and the conformance kit
# make conformance   the conformance kit alone, plus the differential run against
#                    iptables 1.8.9 (system) and 1.8.11 (REF1811) when the latter is built
# make demo          load a sample host firewall with build/goipt in a throwaway netns
# make bench         goipt vs iptables-legacy side by side (bench/bench.sh): bench/RESULTS.md
# make fuzz          every fuzz target for FUZZTIME each (command line, restore text,
#                    extension options, addresses); go test runs their seeds
# make soak          the library soak test: 100,000 operations, flat memory, no fd leak
# make race          the library under the race detector (part of make test too)
# make clean

SHELL := /bin/bash
.DEFAULT_GOAL := build

# Go from the official tarball, when it is not on PATH already.
ifeq ($(shell command -v go),)
export PATH := /usr/local/go/bin:$(PATH)
endif

GO          ?= go
GOTESTFLAGS ?= -count=1
BUILD       := build
GOIPT       := $(BUILD)/goipt
# goipt is linked with the runtime's asynchronous preemption off (GODEBUG's
# default, which the environment can still override): it has one working
# goroutine, and the preemption signals (SIGURG) the runtime's monitor
# sends a goroutine busy for 10 ms land in libxtables' and libiptc's C
# code for nothing; under strace, a slowed start-up shows a burst of them
# (shell case ipt-restore/0017 counts strace's lines).
GOIPT_BUILD := $(GO) build -ldflags=-X=runtime.godebugDefault=asyncpreemptoff=1
APPLETS     := iptables ip6tables iptables-save ip6tables-save iptables-restore \
               ip6tables-restore iptables-xml xtables-legacy-multi

# The conformance kit lives beside the repository (/work/shared/conformance for /work/main).
CONFORMANCE  ?= $(abspath ../shared/conformance)
# iptables 1.8.11 legacy, built by $(CONFORMANCE)/build-reference.sh SOURCE PREFIX.
REF1811      ?= /work/ref1811/sbin/xtables-legacy-multi
# An iptables 1.8.11 source tree, to tell how to build REF1811 when it is missing.
IPTABLES_SRC ?= /work/ref

# Runtime and test dependencies (as in the brief), plus what cgo and the
# conformance runner need on a minimal system, and the shells and groff the
# completion and man page tests drive.
DEB_PACKAGES := iptables libiptc-dev libxtables-dev libnftnl-dev libmnl-dev nftables \
                iputils-ping iproute2 tmux strace \
                gcc libc6-dev pkg-config python3 zsh fish groff-base
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: deps build test conformance demo bench fuzz soak race man completions install uninstall clean

deps:
	@missing=; \
	for p in $(DEB_PACKAGES); do \
	  dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing || { \
	    $(SUDO) apt-get update && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; }; \
	fi

LINK_APPLETS = (cd $(BUILD) && for a in $(APPLETS); do ln -sfn goipt "$$a"; done)

build: deps
	$(GOIPT_BUILD) -o $(GOIPT) ./cmd/goipt
	@$(LINK_APPLETS)

# ---------------------------------------------------------------------------
# Test summary.
#
# `make test` and `make conformance` run every part even when one fails, keep
# each part's output in build/test-logs/PART.log, and end with one line
#     N passed, N failed
# summing the parts:
#   - build, go vet          one unit each (passed or failed);
#   - go test                one unit per Go package that has tests: an "ok"
#                            line passes, a "FAIL<tab>pkg" line (test failure,
#                            build or setup failure) fails;
#   - vectors, differential  the case counts of run_t.py's last line
#     and shell              (expected failures listed in xfail-env.txt count
#                            as neither), run_shell.sh's last line.
# A part that exits nonzero without a failure in its counts (a crash, a
# missing binary, no summary line) adds one failure. The exit status is
# nonzero when anything failed.
# ---------------------------------------------------------------------------
LOGS := $(BUILD)/test-logs

# Shell functions for the recipes below (one logical line; make joins the
# backslash-continued lines with spaces).
#   part NAME CMD...  runs CMD, output to the terminal and $(LOGS)/NAME.log;
#                     sets $$rc
#   unit NAME         counts the part as one unit
#   counts NAME       adds the "N passed, N failed" of the log's last line
#   gopkgs NAME       adds go test's ok / FAIL package lines
#   skip NAME WHY     counts a part that could not run as one failure
#   summary           prints the per-part lines and the total; fails if any failed
TALLY = \
	pass=0; fail=0; report=; mkdir -p $(LOGS); \
	add() { pass=$$((pass+$$2)); fail=$$((fail+$$3)); report+="$$(printf '  %-13s %6d passed, %d failed' "$$1" "$$2" "$$3")"$$'\n'; }; \
	part() { local n=$$1; shift; echo "==> $$n: $$*"; "$$@" 2>&1 | tee "$(LOGS)/$$n.log"; rc=$${PIPESTATUS[0]}; }; \
	unit() { if [ "$$rc" = 0 ]; then add "$$1" 1 0; else add "$$1" 0 1; fi; }; \
	counts() { local l p=0 f=0; l=$$(tail -n 1 "$(LOGS)/$$1.log"); \
	  if [[ $$l =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then p=$${BASH_REMATCH[1]}; f=$${BASH_REMATCH[2]}; fi; \
	  if [ "$$rc" != 0 ] && [ "$$f" = 0 ]; then f=1; fi; add "$$1" "$$p" "$$f"; }; \
	gopkgs() { local p f; p=$$(grep -cE '^ok[[:space:]]' "$(LOGS)/$$1.log"); f=$$(grep -cE '^FAIL[[:space:]]+[^[:space:]]' "$(LOGS)/$$1.log"); \
	  if [ "$$rc" != 0 ] && [ "$$f" = 0 ]; then f=1; fi; add "$$1" "$$p" "$$f"; }; \
	skip() { echo "==> $$1: not run: $$2"; add "$$1" 0 1; }; \
	summary() { echo; echo "summary (logs in $(LOGS)/):"; printf '%s' "$$report"; echo "$$pass passed, $$fail failed"; [ "$$fail" = 0 ]; }

# The conformance kit's vectors and shell cases, for recipes that include $(TALLY).
CONFORMANCE_PARTS = \
	if [ ! -x $(GOIPT) ]; then skip vectors "no $(GOIPT)"; skip shell "no $(GOIPT)"; \
	elif [ ! -d $(CONFORMANCE) ]; then skip vectors "no conformance kit at $(CONFORMANCE)"; skip shell "no conformance kit"; \
	else \
	  part vectors python3 $(CONFORMANCE)/run_t.py --multi $(GOIPT) \
	    --xfail $(CONFORMANCE)/xfail-env.txt $(CONFORMANCE)/vectors; counts vectors; \
	  part shell $(CONFORMANCE)/run_shell.sh $(GOIPT); counts shell; \
	fi

# The build runs as a part of the test (not as a prerequisite, and not as a
# sub-make, which `make -n` would run) so that go vet and go test still run,
# and are counted, when the command does not build.
test: deps
	@$(TALLY); \
	part build $(GOIPT_BUILD) -o $(GOIPT) ./cmd/goipt; unit build; built=$$rc; \
	if [ "$$built" = 0 ]; then $(LINK_APPLETS); fi; \
	part vet $(GO) vet ./...; unit vet; \
	part go-test env GOIPT_SYSTEM_TESTS=1 $(GO) test $(GOTESTFLAGS) ./...; gopkgs go-test; \
	part race $(RACE_TEST); gopkgs race; \
	if [ "$$built" = 0 ]; then $(CONFORMANCE_PARTS); \
	else skip vectors "build failed"; skip shell "build failed"; fi; \
	summary

conformance: deps
	@$(TALLY); \
	part build $(GOIPT_BUILD) -o $(GOIPT) ./cmd/goipt; unit build; built=$$rc; \
	if [ "$$built" = 0 ]; then $(LINK_APPLETS); fi; \
	if [ "$$built" = 0 ]; then $(CONFORMANCE_PARTS); \
	else skip vectors "build failed"; skip shell "build failed"; fi; \
	if [ -x $(REF1811) ]; then \
	  if [ "$$built" = 0 ]; then \
	    part differential python3 $(CONFORMANCE)/run_t.py --multi $(GOIPT) \
	      --diff xtables-legacy-multi --diff $(REF1811) \
	      --allow test/conformance-allow.txt $(CONFORMANCE)/vectors; counts differential; \
	  else skip differential "build failed"; fi; \
	else \
	  echo "==> differential: skipped, no iptables 1.8.11 reference at $(REF1811)"; \
	  if [ -x $(CONFORMANCE)/build-reference.sh ] && grep -qs 'AC_INIT(\[iptables\], \[1.8.11\])' $(IPTABLES_SRC)/configure.ac; then \
	    echo "    to build it from the iptables 1.8.11 source in $(IPTABLES_SRC):"; \
	    echo "      $(if $(SUDO),$(SUDO) )apt-get install -y autoconf automake libtool pkg-config bison flex libmnl-dev libnetfilter-conntrack-dev"; \
	    echo "      $(CONFORMANCE)/build-reference.sh $(IPTABLES_SRC) $(patsubst %/sbin/xtables-legacy-multi,%,$(REF1811))"; \
	    echo "    (or make conformance REF1811=PREFIX/sbin/xtables-legacy-multi for another PREFIX)"; \
	  elif [ -x $(CONFORMANCE)/build-reference.sh ]; then \
	    echo "    build it with $(CONFORMANCE)/build-reference.sh SOURCE PREFIX (SOURCE: iptables 1.8.11; set IPTABLES_SRC=SOURCE for details)"; \
	  fi; \
	fi; \
	summary

# Fuzzing: each target of FUZZ_TARGETS (package:Name) for FUZZTIME. A
# failing input is written to the package's testdata/fuzz/NAME/, where plain
# go test runs it from then on.
FUZZTIME     ?= 30s
FUZZ_TARGETS := ./pkg/parse:FuzzParseArgv ./pkg/parse:FuzzRestoreText \
                ./pkg/ext:FuzzExtensionOptions ./pkg/ext:FuzzAddresses

fuzz: deps
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; echo "==> $$name ($$pkg), $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s $$pkg; \
	done

# The soak test (test/reliability, skipped by go test unless GOIPT_SOAK=1)
# writes its figures to build/soak.txt. SOAKOPS sets the operation count.
SOAKOPS ?= 100000

soak: deps
	@mkdir -p $(BUILD)
	env GOIPT_SYSTEM_TESTS=1 GOIPT_SOAK=1 GOIPT_SOAK_REPORT=$(abspath $(BUILD))/soak.txt \
	  $(GO) test -count=1 -v -timeout 60m -run '^TestSoakLibrary$$' ./test/reliability -args -soak.ops=$(SOAKOPS)
	@cat $(BUILD)/soak.txt

# The library under the race detector: its packages' tests and the
# reliability tests that use it from many goroutines.
RACE_TEST = env GOIPT_SYSTEM_TESTS=1 bash -c '$(GO) test -race -count=1 ./pkg/iptc ./pkg/ext ./pkg/parse; a=$$?; \
            $(GO) test -race -count=1 -run "Concurrent|Library" ./test/reliability && exit $$a'

race: deps
	$(RACE_TEST)

# The demo runs in a new network namespace with a private lock file: the
# host's rules are never touched.
demo: build
	$(GO) build -o $(BUILD)/blocklist ./examples/blocklist
	@lock=$$(mktemp); trap 'rm -f "$$lock"' EXIT; \
	$(SUDO) env XTABLES_LOCKFILE="$$lock" GOIPT="$(abspath $(GOIPT))" unshare -n bash scripts/demo.sh

# The benchmark runs in throwaway network namespaces with a private lock
# file (see bench/bench.sh); BENCHFLAGS=-quick for a shorter run.
bench: build
	bash bench/bench.sh $(BENCHFLAGS)

# man/goipt.8 and completions/ are generated from the command tree.
man: build
	$(GO) run ./internal/manpage/genman man
	$(GOIPT) __gen-completions completions

completions: build
	$(GOIPT) __gen-completions completions

PREFIX      ?= /usr/local
BINDIR      := $(PREFIX)/bin
APPLETDIR   := $(PREFIX)/lib/goipt/bin
MAN8DIR     := $(PREFIX)/share/man/man8
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  := $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR := $(PREFIX)/share/fish/vendor_completions.d

# The applet symlinks are relative (../../../bin/goipt), so that a DESTDIR
# tree can be moved into place as it is.
install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(APPLETDIR) $(DESTDIR)$(MAN8DIR) \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(GOIPT) $(DESTDIR)$(BINDIR)/goipt
	rel=$$(realpath -m --relative-to=$(APPLETDIR) $(BINDIR)/goipt); \
	for a in $(APPLETS); do ln -sfn "$$rel" $(DESTDIR)$(APPLETDIR)/$$a; done
	install -m 644 man/goipt.8 $(DESTDIR)$(MAN8DIR)/goipt.8
	install -m 644 completions/goipt.bash $(DESTDIR)$(BASHCOMPDIR)/goipt
	install -m 644 completions/_goipt $(DESTDIR)$(ZSHCOMPDIR)/_goipt
	install -m 644 completions/goipt.fish $(DESTDIR)$(FISHCOMPDIR)/goipt.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/goipt $(DESTDIR)$(MAN8DIR)/goipt.8 $(DESTDIR)$(BASHCOMPDIR)/goipt \
	  $(DESTDIR)$(ZSHCOMPDIR)/_goipt $(DESTDIR)$(FISHCOMPDIR)/goipt.fish
	rm -f $(addprefix $(DESTDIR)$(APPLETDIR)/,$(APPLETS))
	-rmdir $(DESTDIR)$(APPLETDIR) $(DESTDIR)$(PREFIX)/lib/goipt 2>/dev/null

clean:
	rm -rf $(BUILD)
