// SPDX-License-Identifier: GPL-2.0-or-later

package cli

import (
	"testing"

	"github.com/goipt/goipt/internal/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
