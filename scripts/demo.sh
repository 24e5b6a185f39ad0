#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Loads a small host firewall with goipt and shows it, in a throwaway network
# namespace: the host's rules are never touched.
#
#   make demo                                  (builds goipt first)
#   sudo scripts/demo.sh                       (re-runs itself under unshare -n)
#   sudo GOIPT=xtables-legacy-multi scripts/demo.sh   (the same with iptables-legacy)
#
# GOIPT is the multi-call binary, called as `$GOIPT iptables ...`,
# `$GOIPT iptables-restore`, like xtables-legacy-multi; default build/goipt.
# Every step runs even if one fails; the exit status says whether all passed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
GOIPT=${GOIPT:-$here/../build/goipt}
# goipt's plain names run iptables-legacy here: the demo restores a file,
# and goipt's nf_tables restore is not there yet.
export GOIPT_BACKEND=${GOIPT_BACKEND:-legacy}
case $GOIPT in */*) GOIPT=$(cd "$(dirname "$GOIPT")" && pwd)/$(basename "$GOIPT") ;; esac

[ "$(id -u)" = 0 ] || { echo "demo.sh: needs root (it creates a network namespace)" >&2; exit 1; }
command -v "$GOIPT" >/dev/null || { echo "demo.sh: $GOIPT not found (make build)" >&2; exit 1; }

# Never run in the host's namespace. Unless the caller says it made a new
# namespace (DEMO_IN_NETNS=1, as `make demo` does), start over in one.
if [ "${DEMO_IN_NETNS:-}" != 1 ]; then
	lock=$(mktemp)
	trap 'rm -f "$lock"' EXIT
	DEMO_IN_NETNS=1 XTABLES_LOCKFILE=${XTABLES_LOCKFILE:-$lock} GOIPT=$GOIPT unshare -n "$BASH" "$0" "$@"
	exit
fi
# And check it, failing closed: a new namespace has no interface but lo and
# no iptables-legacy table yet.
links=$(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | tr '\n' ' ')
tables=$(cat /proc/self/net/ip_tables_names /proc/self/net/ip6_tables_names 2>/dev/null | tr '\n' ' ')
if [ "$links" != "lo " ] || [ -n "$tables" ]; then
	echo "demo.sh: this does not look like a new network namespace (interfaces: ${links:-?}, tables: ${tables:-none}); refusing to run" >&2
	exit 1
fi
failed=0
step() { # step CMD...: shows and runs one command
	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@" || { echo "!! exit status $?"; failed=$((failed + 1)); }
}
restore() { # restore APPLET: loads stdin with $GOIPT APPLET, showing the input
	local in
	in=$(cat)
	printf '\n\033[1m$ goipt %s <<EOF\033[0m\n%s\nEOF\n' "$1" "$in"
	printf '%s\n' "$in" | "$GOIPT" "$1" || { echo "!! exit status $?"; failed=$((failed + 1)); }
}
ipt() { step "$GOIPT" iptables "$@"; }
ip6t() { step "$GOIPT" ip6tables "$@"; }

echo "goipt: $GOIPT ($("$GOIPT" iptables --version 2>&1 | head -n 1))"
echo "network namespace: $(readlink /proc/self/ns/net), lock file: ${XTABLES_LOCKFILE:-default}"

# A host with a public interface eth0 and a LAN 192.168.1.0/24 on eth1: SSH and
# a web server open, ping rate-limited, everything else logged and dropped;
# the LAN is masqueraded and port 8080 forwarded to 192.168.1.10:80.
restore iptables-restore <<'EOF'
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:SERVICES - [0:0]
:LOGDROP - [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -p icmp -m icmp --icmp-type 8 -m limit --limit 5/sec --limit-burst 10 -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type 3 -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type 11 -j ACCEPT
-A INPUT -m conntrack --ctstate NEW -j SERVICES
-A INPUT -j LOGDROP
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i eth1 -o eth0 -s 192.168.1.0/24 -j ACCEPT
-A FORWARD -i eth0 -o eth1 -d 192.168.1.10/32 -p tcp -m tcp --dport 80 -m conntrack --ctstate DNAT -j ACCEPT
-A FORWARD -j LOGDROP
-A SERVICES -p tcp -m tcp --dport 22 -j ACCEPT
-A SERVICES -p tcp -m multiport --dports 80,443 -j ACCEPT
-A LOGDROP -m limit --limit 6/min -j LOG --log-prefix "goipt drop: " --log-level 4
-A LOGDROP -j DROP
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -i eth0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 192.168.1.10:80
-A POSTROUTING -s 192.168.1.0/24 -o eth0 -j MASQUERADE
COMMIT
EOF

# The same policy for IPv6 (no NAT), with the ICMPv6 that IPv6 needs to work.
restore ip6tables-restore <<'EOF'
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:SERVICES - [0:0]
:LOGDROP - [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -m conntrack --ctstate INVALID -j DROP
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -m limit --limit 5/sec --limit-burst 10 -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 135 -m hl --hl-eq 255 -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 136 -m hl --hl-eq 255 -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 1 -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 2 -j ACCEPT
-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 3 -j ACCEPT
-A INPUT -s fe80::/10 -p udp -m udp --sport 547 --dport 546 -j ACCEPT
-A INPUT -m conntrack --ctstate NEW -j SERVICES
-A INPUT -j LOGDROP
-A FORWARD -j LOGDROP
-A SERVICES -p tcp -m tcp --dport 22 -j ACCEPT
-A SERVICES -p tcp -m multiport --dports 80,443 -j ACCEPT
-A LOGDROP -m limit --limit 6/min -j LOG --log-prefix "goipt drop6: " --log-level 4
-A LOGDROP -j DROP
COMMIT
EOF

# One more service, added with the command line: an admin console reachable
# from the management network only.
ipt -A SERVICES -s 10.0.0.0/8 -p tcp --dport 8443 -m comment --comment "admin console" -j ACCEPT
ip6t -A SERVICES -s fd00::/8 -p tcp --dport 8443 -m comment --comment "admin console" -j ACCEPT
ipt -C SERVICES -s 10.0.0.0/8 -p tcp --dport 8443 -m comment --comment "admin console" -j ACCEPT

# Some traffic, so that the counters move: loopback is accepted by "-i lo".
ip link set lo up
ping -c 3 -i 0.2 -W 1 127.0.0.1 >/dev/null 2>&1 || echo "(ping 127.0.0.1 failed)"
ping -6 -c 3 -i 0.2 -W 1 ::1 >/dev/null 2>&1 || echo "(ping ::1 failed)"

# The library: a Go program on pkg/iptc puts a chain of blocked networks in
# front of INPUT, one transaction (one commit) per family.
BLOCKLIST=${BLOCKLIST:-$here/../build/blocklist}
if [ -x "$BLOCKLIST" ]; then
	step "$BLOCKLIST" 192.0.2.0/24 198.51.100.7 2001:db8:bad::/48
else
	echo "(no $BLOCKLIST: make demo builds it)"
fi

ipt -L -n -v --line-numbers
ipt -t nat -L -n -v
ip6t -L INPUT -n -v
step "$GOIPT" iptables-save
step "$GOIPT" ip6tables-save -t filter

echo
if [ "$failed" = 0 ]; then
	echo "demo: all steps passed"
else
	echo "demo: $failed step(s) failed"
fi
[ "$failed" = 0 ]
