// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import "github.com/goipt/goipt/pkg/legacy"

// Legacy is the backend of the iptables-legacy applets. cmd/goipt sets
// SkipFree: the process exits after its commits.
var Legacy = &legacy.Backend{}
