// SPDX-License-Identifier: GPL-2.0-or-later

package ruleset

import (
	"fmt"
	"strings"
)

// The kube-proxy shape: the realistic large ruleset of nf_tables systems,
// and one nf_tables takes (it refuses jumps nested deeper than 16; Restore's
// chain of user chains is hundreds deep). Per service, in nat:
//
//	KUBE-SERVICES  -d VIP -p tcp --dport P -j KUBE-SVC-s      (1 rule)
//	KUBE-SVC-s     ! -s podnet ... -j KUBE-MARK-MASQ          (1)
//	               -m statistic ... -j KUBE-SEP-s-e           (one per endpoint)
//	KUBE-SEP-s-e   -s EP -j KUBE-MARK-MASQ                    (2 per endpoint)
//	               -p tcp -j DNAT --to-destination EP:port
//
// and, in filter, a reject in KUBE-SERVICES for every tenth service (one
// without endpoints, as kube-proxy writes it) and an accept in KUBE-FORWARD
// for every service. Jumps nest four deep: PREROUTING, KUBE-SERVICES,
// KUBE-SVC, KUBE-SEP, KUBE-MARK-MASQ.

// KubeEndpoints is the number of endpoints of each service.
const KubeEndpoints = 3

// A service with endpoints adds 2+3*KubeEndpoints nat rules and one filter
// rule; every tenth has none, and only its reject; 17 rules are the
// chains' own.
const (
	kubeServiceRules = 2 + 3*KubeEndpoints + 1
	kubeFixedRules   = 17
)

// KubeServices is the number of services of a kube-proxy ruleset of about
// n rules.
func KubeServices(n int) int {
	return max((n-kubeFixedRules)*10/(9*kubeServiceRules+1), 1)
}

// KubeSvcChain and KubeSepChain are the names of service s's chain and of
// its endpoint e's, as kube-proxy names them (16 characters of hash).
func KubeSvcChain(s int) string { return fmt.Sprintf("KUBE-SVC-%016X", uint64(s)*0x9E3779B97F4A7C15) }
func KubeSepChain(s, e int) string {
	return fmt.Sprintf("KUBE-SEP-%016X", uint64(s*KubeEndpoints+e+1)*0xC2B2AE3D27D4EB4F)
}

// kubeVIP and kubeEndpoint are service s's cluster IP and its endpoint e's
// pod address.
func kubeVIP(s int) string { return fmt.Sprintf("10.96.%d.%d", (s>>8)&255, s&255) }
func kubeEndpoint(s, e int) string {
	i := s*KubeEndpoints + e
	return fmt.Sprintf("10.%d.%d.%d", 128+(i>>16)&127, (i>>8)&255, i&255)
}

// Kube returns a kube-proxy shaped ruleset of about n rules (mangle, filter
// and nat), in iptables-save format.
func Kube(n int) string {
	services := KubeServices(n)
	var s strings.Builder
	s.WriteString("*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n" +
		":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-IPTABLES-HINT - [0:0]\n" +
		":KUBE-KUBELET-CANARY - [0:0]\n:KUBE-PROXY-CANARY - [0:0]\nCOMMIT\n")
	kubeFilter(&s, services)
	kubeNAT(&s, services)
	return s.String()
}

func kubeFilter(s *strings.Builder, services int) {
	s.WriteString("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" +
		":KUBE-FIREWALL - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-SERVICES - [0:0]\n" +
		"-A INPUT -m comment --comment \"kubernetes health check service ports\" -j KUBE-NODEPORTS\n" +
		"-A INPUT -j KUBE-FIREWALL\n" +
		"-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD\n" +
		"-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n" +
		"-A OUTPUT -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n" +
		"-A OUTPUT -j KUBE-FIREWALL\n" +
		"-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment \"block incoming localnet connections\" " +
		"-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n" +
		"-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n" +
		"-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding rules\" -m mark --mark 0x4000/0x4000 -j ACCEPT\n")
	for i := 0; i < services; i++ {
		if i%10 == 9 {
			fmt.Fprintf(s, "-A KUBE-SERVICES -d %s/32 -p tcp -m comment --comment \"ns%d/svc%d:http has no endpoints\" "+
				"-m tcp --dport %d -j REJECT --reject-with icmp-port-unreachable\n", kubeVIP(i), i%50, i, 80+i%1000)
			continue
		}
		fmt.Fprintf(s, "-A KUBE-FORWARD -d %s/32 -p tcp -m comment --comment \"ns%d/svc%d:http\" -m tcp --dport %d -j ACCEPT\n",
			kubeVIP(i), i%50, i, 80+i%1000)
	}
	s.WriteString("COMMIT\n")
}

func kubeNAT(s *strings.Builder, services int) {
	s.WriteString("*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" +
		":KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-SERVICES - [0:0]\n")
	for i := 0; i < services; i++ {
		if i%10 == 9 {
			continue
		}
		fmt.Fprintf(s, ":%s - [0:0]\n", KubeSvcChain(i))
		for e := 0; e < KubeEndpoints; e++ {
			fmt.Fprintf(s, ":%s - [0:0]\n", KubeSepChain(i, e))
		}
	}
	s.WriteString("-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n" +
		"-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES\n" +
		"-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n" +
		"-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\n" +
		"-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n" +
		"-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0\n" +
		"-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully\n")
	for i := 0; i < services; i++ {
		if i%10 != 9 {
			kubeService(s, i)
		}
	}
	s.WriteString("-A KUBE-SERVICES -m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule in this chain\" " +
		"-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\nCOMMIT\n")
}

// kubeService writes service i's nat rules: its KUBE-SERVICES rule, its
// service chain and its endpoints' chains.
func kubeService(s *strings.Builder, i int) {
	vip, port, name := kubeVIP(i), 80+i%1000, fmt.Sprintf("ns%d/svc%d:http", i%50, i)
	svc := KubeSvcChain(i)
	fmt.Fprintf(s, "-A KUBE-SERVICES -d %s/32 -p tcp -m comment --comment \"%s cluster IP\" -m tcp --dport %d -j %s\n", vip, name, port, svc)
	fmt.Fprintf(s, "-A %s ! -s 10.128.0.0/9 -d %s/32 -p tcp -m comment --comment \"%s cluster IP\" -m tcp --dport %d -j KUBE-MARK-MASQ\n",
		svc, vip, name, port)
	for e := 0; e < KubeEndpoints; e++ {
		ep, sep := kubeEndpoint(i, e), KubeSepChain(i, e)
		left := KubeEndpoints - e
		if left > 1 {
			fmt.Fprintf(s, "-A %s -m comment --comment \"%s -> %s:8080\" -m statistic --mode random --probability %.11f -j %s\n",
				svc, name, ep, 1/float64(left), sep)
		} else {
			fmt.Fprintf(s, "-A %s -m comment --comment \"%s -> %s:8080\" -j %s\n", svc, name, ep, sep)
		}
		fmt.Fprintf(s, "-A %s -s %s/32 -m comment --comment \"%s\" -j KUBE-MARK-MASQ\n", sep, ep, name)
		fmt.Fprintf(s, "-A %s -p tcp -m comment --comment \"%s\" -m tcp -j DNAT --to-destination %s:8080\n", sep, name, ep)
	}
}

// KubeNoFlush returns a --noflush restore of k rules into NoFlushChain of
// the filter table, which it creates (or flushes): repeating it does not
// grow the table.
func KubeNoFlush(k int) string {
	var s strings.Builder
	fmt.Fprintf(&s, "*filter\n:%s - [0:0]\n", NoFlushChain)
	for j := 0; j < k; j++ {
		fmt.Fprintf(&s, "-A %s -d %s/32 -p tcp -m comment --comment \"ns%d/svc%d:http\" -m tcp --dport %d -j ACCEPT\n",
			NoFlushChain, kubeVIP(j), j%50, j, 80+j%1000)
	}
	s.WriteString("COMMIT\n")
	return s.String()
}
