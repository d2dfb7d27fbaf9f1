package dataplane

import "testing"

// oneVM is a world with one running VM, vm1 at 10.1.1.4.
func oneVM() (*World, *VM) {
	b := newBuilder()
	v := b.vnet("v", "eastus", "10.1.0.0/16")
	vm, _ := b.machine("vm1", v, b.subnet(v, "s", "10.1.1.0/24"), "10.1.1.4")
	return b.w, vm
}

type run struct {
	script, out, err string
	status           int
}

func checkRuns(t *testing.T, w *World, vm *VM, runs []run) {
	t.Helper()
	for _, r := range runs {
		out, errOut, status := NewShell(w, vm).Run(r.script)
		if out != r.out || errOut != r.err || status != r.status {
			t.Errorf("script %q:\n got stdout %q stderr %q status %d\nwant stdout %q stderr %q status %d", r.script, out, errOut, status, r.out, r.err, r.status)
		}
	}
}

func TestShellListsAndConditions(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{"echo a; echo b", "a\nb\n", "", 0},
		{"echo a\necho b", "a\nb\n", "", 0},
		{"false && echo no || echo yes", "yes\n", "", 0},
		{"true && echo yes || echo no", "yes\n", "", 0},
		{"false || false && echo no", "", "", 1},
		{"false; echo $?", "1\n", "", 0},
		{"! true; echo $?", "1\n", "", 0},
		{"echo a; exit 3; echo b", "a\n", "", 3},
		{"set -e; echo a; false; echo b", "a\n", "", 1},
		{"set -e; false || echo recovered; echo after", "recovered\nafter\n", "", 0},
		{"", "", "", 0},
	})
}

func TestShellUnknownCommandIsBashs127(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{"foo", "", "bash: line 1: foo: command not found\n", 127},
		{"echo a\n\nifconfig eth0 || echo missing", "a\nmissing\n", "bash: line 3: ifconfig: command not found\n", 0},
		{"traceroute 10.1.1.5; echo $?", "127\n", "bash: line 1: traceroute: command not found\n", 0},
	})
}

func TestShellExpansions(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{`X="a   b"; echo $X; echo "$X"`, "a b\na   b\n", "", 0},
		{`echo "host=$(hostname)" '$(hostname)'`, "host=vm1 $(hostname)\n", "", 0},
		{"echo `hostname`-x", "vm1-x\n", "", 0},
		{`IP=$(hostname -I); echo "[$IP]"`, "[10.1.1.4 ]\n", "", 0}, // hostname -I ends with a space, and $(…) keeps it
		{`echo ${HOME} $USER \$HOME`, "/root root $HOME\n", "", 0},
		{`T=10.1.1.4; ping -c 1 -q $T | head -1`, "PING 10.1.1.4 (10.1.1.4) 56(84) bytes of data.\n", "", 0},
		{`echo -n a; echo -e "b\tc"`, "ab\tc\n", "", 0},
		{`printf '%s=%d\n' a 1 b 2`, "a=1\nb=2\n", "", 0},
	})
}

func TestShellPipesAndRedirections(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{`echo -e 'a\nb\nc' | tail -1`, "c\n", "", 0},
		{`echo -e 'a\nb\nc' | head -n 2 | wc -l`, "2\n", "", 0},
		{`echo -e 'x1\ny2\nx3' | grep -c x`, "2\n", "", 0},
		{`echo out > /dev/null; echo err >&2`, "", "err\n", 0},
		{`foo 2>/dev/null; echo $?`, "127\n", "", 0},
		{`foo > /dev/null 2>&1 || echo quiet`, "quiet\n", "", 0},
		{`foo 2>&1 | grep -c 'not found'`, "1\n", "", 0},
		{`echo one > f; echo two >> f; cat f; cat < f | wc -l`, "one\ntwo\n2\n", "", 0},
		{`cat missing`, "", "cat: missing: No such file or directory\n", 1},
		{`false | true; echo $?`, "0\n", "", 0},
		{`set -o pipefail; false | true; echo $?`, "1\n", "", 0},
		{`echo a &> f; cat f`, "a\n", "", 0},
	})
}

func TestShellSyntaxErrorRunsNothing(t *testing.T) {
	w, vm := oneVM()
	checkRuns(t, w, vm, []run{
		{"echo a\necho 'b", "", "bash: line 2: unexpected EOF while looking for matching `''\n", 2},
		{"echo a &&", "", "bash: line 1: syntax error: unexpected end of file\n", 2},
	})
}

// FuzzShellNeverPanics: whatever a Run Command script holds, the shell
// answers (with bash's errors where bash would give them) and never takes
// the emulator down.
func FuzzShellNeverPanics(f *testing.F) {
	for _, seed := range []string{
		"ping -c 4 10.1.1.4 | tail -1 | awk -F/ '{print $5}'", "echo \"$(hostname -I)\" > f; cat < f", "a && || b", "echo 'x",
		"${", "$(", "`", "2>&", "ping -c", "curl -w", "nc -z", "cut -f", "head -n", "tail -n +", "awk", "grep -", "printf %", "ip", "exit 99999999999",
		"echo \\", "!", "X=$(foo) Y=`bar` z", "set -o", ">&x echo", "echo ${X:-}", "ping -c 1 -i 0 -w 0 ::1",
	} {
		f.Add(seed)
	}
	w, vm := oneVM()
	f.Fuzz(func(t *testing.T, script string) {
		NewShell(w, vm).Run(script)
	})
}
