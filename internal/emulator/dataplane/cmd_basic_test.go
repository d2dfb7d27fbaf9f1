package dataplane

import "testing"

func TestBasicCommands(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{"echo -e 'a\\tb'; echo -n x; echo", "a\tb\nx\n", "", 0},
		{"echo -- -n", "-- -n\n", "", 0},
		{"printf '%s:%d%%\\n' loss 25", "loss:25%\n", "", 0},
		{"export A=1; echo $A", "1\n", "", 0},
		{"sleep 5; echo done", "done\n", "", 0},
		{"sleep", "", "sleep: missing operand\nTry 'sleep --help' for more information.\n", 1},
		{"sudo hostname", "vm1\n", "", 0},
		{"sudo -E hostname", "vm1\n", "", 0},
		{"timeout 10 hostname", "vm1\n", "", 0},
		{"sudo nosuch", "", "sudo: nosuch: command not found\n", 127},
		{"exit foo", "", "bash: exit: foo: numeric argument required\n", 2},
		{"exit 256", "", "", 0},
		{"set -x; echo hi", "hi\n", "+ echo hi\n", 0},
		{"uname -a", "Linux vm1 6.5.0-1025-azure #26~22.04.1-Ubuntu SMP Thu Jul 11 22:33:04 UTC 2024 x86_64 x86_64 x86_64 GNU/Linux\n", "", 0},
		{": ; true; echo ok", "ok\n", "", 0},
	})
}
