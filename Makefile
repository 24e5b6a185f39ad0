# SPDX-License-Identifier: GPL-2.0-or-later
#
# make deps          install the Debian packages goipt builds and tests with
# make build         build/goipt and its applet symlinks (iptables, iptables-save, ...);
#                    never installs packages (make deps does)
# make test          go vet, go test (with the netns system tests) and the conformance kit,
#                    legacy (build/xtables-legacy-multi) and nft (build/xtables-nft-multi)
# make conformance   the conformance kit alone, plus the differential runs against
#                    iptables-legacy 1.8.9 (system) and 1.8.11 (REF1811) when the latter
#                    is built, and against iptables-nft 1.8.9 (system, nft list included)
# make reference     build iptables 1.8.11 legacy (REF1811) from IPTABLES_SRC, for the
#                    tests that compare with it
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
GOTESTFLAGS ?= -count=1 -timeout=30m
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
               ip6tables-restore iptables-xml xtables-legacy-multi \
               iptables-legacy ip6tables-legacy iptables-legacy-save ip6tables-legacy-save \
               iptables-legacy-restore ip6tables-legacy-restore \
               iptables-nft ip6tables-nft iptables-nft-save ip6tables-nft-save xtables-nft-multi
# The conformance runs call goipt by these, never by a plain name (whose
# backend depends on the system: see the README): the legacy runs test
# iptables-legacy, the nft runs iptables-nft.
LEGACY_MULTI := $(BUILD)/xtables-legacy-multi
NFT_MULTI    := $(BUILD)/xtables-nft-multi

# The conformance kit lives beside the repository, or where GOIPT_CONFORMANCE says.
CONFORMANCE  ?= $(or $(GOIPT_CONFORMANCE),$(abspath ../shared/conformance))
# iptables 1.8.11 legacy, the second reference: GOIPT_REF1811, else what
# `make reference` builds into the user's cache (the tests look there too).
REF1811_PREFIX := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/goipt/iptables-1.8.11
REF1811      ?= $(or $(GOIPT_REF1811),$(REF1811_PREFIX)/sbin/xtables-legacy-multi)
# An iptables 1.8.11 source tree or git directory, for `make reference`.
IPTABLES_SRC ?=

# Runtime and test dependencies (as in the brief), plus what cgo and the
# conformance runner need on a minimal system, and the shells and groff the
# completion and man page tests drive.
DEB_PACKAGES := iptables libiptc-dev libxtables-dev libnftnl-dev libmnl-dev nftables \
                iputils-ping iproute2 tmux strace \
                gcc libc6-dev pkg-config python3 zsh fish groff-base
# What build-reference.sh needs to build iptables 1.8.11 (make reference only).
REF1811_DEB_PACKAGES := autoconf automake libtool pkg-config bison flex libmnl-dev \
                        libnetfilter-conntrack-dev
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: deps build test conformance reference demo bench fuzz soak race man completions \
        install uninstall clean

# $(call install_debs,PACKAGES) installs those of PACKAGES that are missing.
install_debs = missing=; \
	for p in $(1); do \
	  dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing || { \
	    $(SUDO) apt-get update && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; }; \
	fi

deps:
	@$(call install_debs,$(DEB_PACKAGES))

LINK_APPLETS = (cd $(BUILD) && for a in $(APPLETS); do ln -sfn goipt "$$a"; done)

build:
	$(GOIPT_BUILD) -o $(GOIPT) ./cmd/goipt
	@$(LINK_APPLETS)

# iptables 1.8.11 legacy, built once from IPTABLES_SRC with the conformance
# kit's build-reference.sh into REF1811's prefix.
reference:
	@if [ -x $(REF1811) ]; then echo "iptables 1.8.11 reference: $(REF1811)"; exit 0; fi; \
	if [ -z "$(IPTABLES_SRC)" ]; then \
	  echo "make reference: set IPTABLES_SRC to an iptables 1.8.11 source tree or git directory, e.g." >&2; \
	  echo "  git clone -b v1.8.11 https://git.netfilter.org/iptables /tmp/iptables-1.8.11" >&2; \
	  echo "  make reference IPTABLES_SRC=/tmp/iptables-1.8.11" >&2; exit 2; fi; \
	if [ ! -x $(CONFORMANCE)/build-reference.sh ]; then \
	  echo "make reference: no conformance kit at $(CONFORMANCE) (set CONFORMANCE or GOIPT_CONFORMANCE)" >&2; exit 2; fi; \
	case "$(REF1811)" in */sbin/xtables-legacy-multi) ;; *) \
	  echo "make reference: REF1811 must be PREFIX/sbin/xtables-legacy-multi" >&2; exit 2;; esac; \
	$(call install_debs,$(REF1811_DEB_PACKAGES)); \
	$(CONFORMANCE)/build-reference.sh $(IPTABLES_SRC) $(patsubst %/sbin/xtables-legacy-multi,%,$(REF1811))

# ---------------------------------------------------------------------------
# Test summary.
#
# `make test` and `make conformance` run every part even when one fails,
# through internal/tools/tally (see its doc comment for what a part counts):
# each part's output is kept in build/test-logs/PART.log, and the output
# ends with a line a part ("N passed, N failed, N skipped"), the number of
# skipped tests, and last the line CI reads:
#     N passed, N failed
# The exit status is nonzero when anything failed. A part that cannot run
# here (no conformance kit, no network namespaces, no 1.8.11 reference for
# the differential run) is counted as skipped, with the reason.
# ---------------------------------------------------------------------------
LOGS  := $(BUILD)/test-logs
TALLY := $(BUILD)/tally -logs $(LOGS)

# The tally needs only the standard library: it builds even when goipt does not.
$(BUILD)/tally: $(wildcard internal/tools/tally/*.go)
	$(GO) build -o $@ ./internal/tools/tally

# What the Go tests are told: run the system tests, and where the
# references are (the same defaults as the tests' own).
TEST_ENV := GOIPT_SYSTEM_TESTS=1 GOIPT_REF1811=$(REF1811) GOIPT_CONFORMANCE=$(CONFORMANCE)

# The build as a part (shell): sets $$built when goipt was built; the
# conformance parts need it, and count as failed without it.
BUILD_PART = if $(TALLY) run build unit -- $(GOIPT_BUILD) -o $(GOIPT) ./cmd/goipt; \
	then $(LINK_APPLETS); built=1; else built=; fi

# The conformance kit's vectors and shell cases (shell, after BUILD_PART).
CONFORMANCE_PARTS = \
	if [ -z "$$built" ]; then \
	  $(TALLY) fail vectors "the build failed"; $(TALLY) fail shell "the build failed"; \
	elif [ ! -d $(CONFORMANCE) ]; then \
	  why="no conformance kit at $(CONFORMANCE) (set CONFORMANCE or GOIPT_CONFORMANCE)"; \
	  $(TALLY) skip vectors "$$why"; $(TALLY) skip shell "$$why"; \
	elif ! unshare -n true 2>/dev/null; then \
	  why="cannot create a network namespace (unshare -n; needs root with CAP_SYS_ADMIN)"; \
	  $(TALLY) skip vectors "$$why"; $(TALLY) skip shell "$$why"; \
	else \
	  $(TALLY) run vectors counts -- python3 $(CONFORMANCE)/run_t.py --multi $(LEGACY_MULTI) \
	    --xfail $(CONFORMANCE)/xfail-env.txt $(CONFORMANCE)/vectors; \
	  $(TALLY) run shell counts -- $(CONFORMANCE)/run_shell.sh $(LEGACY_MULTI); \
	  $(TALLY) run vectors-nft counts -- python3 $(CONFORMANCE)/run_t.py --nft --multi $(NFT_MULTI) \
	    --xfail $(CONFORMANCE)/xfail-nft.txt $(CONFORMANCE)/vectors; \
	  $(TALLY) run shell-nft counts -- scripts/expect-failures.sh test/shell-nft-xfail.txt \
	    $(CONFORMANCE)/run_shell.sh --nft $(NFT_MULTI); \
	fi

# The library under the race detector: its packages' tests and the
# reliability tests that use it from many goroutines.
RACE_PKGS := ./pkg/iptc ./pkg/ext ./pkg/parse
RACE_RUN  := Concurrent|Library

# The build runs as a part of the test (not as a prerequisite, and not as a
# sub-make, which `make -n` would run) so that go vet and go test still run,
# and are counted, when the command does not build.
test: deps $(BUILD)/tally
	@$(TALLY) start; \
	$(BUILD_PART); \
	$(TALLY) run vet unit -- $(GO) vet ./...; \
	$(TALLY) run staticcheck unit -- $(GO) tool staticcheck ./...; \
	$(TALLY) run go-test gotest -- env $(TEST_ENV) $(GO) test -json $(GOTESTFLAGS) ./...; \
	$(TALLY) run race gotest -- env $(TEST_ENV) $(GO) test -json -race $(GOTESTFLAGS) $(RACE_PKGS); \
	$(TALLY) run race-reliability gotest -- env $(TEST_ENV) $(GO) test -json -race $(GOTESTFLAGS) \
	  -run '$(RACE_RUN)' ./test/reliability; \
	$(CONFORMANCE_PARTS); \
	$(TALLY) summary

conformance: deps $(BUILD)/tally
	@$(TALLY) start; \
	$(BUILD_PART); \
	$(CONFORMANCE_PARTS); \
	if [ -z "$$built" ]; then $(TALLY) fail differential "the build failed"; \
	elif [ ! -x $(REF1811) ]; then \
	  $(TALLY) skip differential "no iptables 1.8.11 reference at $(REF1811): make reference IPTABLES_SRC=SOURCE"; \
	elif [ -d $(CONFORMANCE) ] && unshare -n true 2>/dev/null; then \
	  $(TALLY) run differential counts -- python3 $(CONFORMANCE)/run_t.py --multi $(LEGACY_MULTI) \
	    --diff xtables-legacy-multi --diff $(REF1811) \
	    --allow test/conformance-allow.txt $(CONFORMANCE)/vectors; \
	else $(TALLY) skip differential "no conformance kit, or no network namespaces (see above)"; fi; \
	if [ -z "$$built" ]; then $(TALLY) fail differential-nft "the build failed"; \
	elif ! command -v nft >/dev/null || ! command -v xtables-nft-multi >/dev/null; then \
	  $(TALLY) skip differential-nft "no nft(8) or no xtables-nft-multi (Debian: nftables, iptables)"; \
	elif [ -d $(CONFORMANCE) ] && unshare -n true 2>/dev/null; then \
	  $(TALLY) run differential-nft counts -- python3 $(CONFORMANCE)/run_t.py --nft --multi $(NFT_MULTI) \
	    --diff xtables-nft-multi --ignore-field L --allow test/conformance-allow-nft.txt $(CONFORMANCE)/vectors; \
	else $(TALLY) skip differential-nft "no conformance kit, or no network namespaces (see above)"; fi; \
	$(TALLY) summary

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

race: deps
	env $(TEST_ENV) $(GO) test -race -count=1 $(RACE_PKGS); a=$$?; \
	env $(TEST_ENV) $(GO) test -race -count=1 -run '$(RACE_RUN)' ./test/reliability && exit $$a

# The demo runs in a new network namespace with a private lock file: the
# host's rules are never touched.
demo: deps
	@$(MAKE) --no-print-directory build
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
