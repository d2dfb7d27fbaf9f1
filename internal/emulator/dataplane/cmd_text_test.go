package dataplane

import "testing"

const pingStats = `PING 10.1.1.4 (10.1.1.4) 56(84) bytes of data.

--- 10.1.1.4 ping statistics ---
4 packets transmitted, 4 received, 0% packet loss, time 3004ms
rtt min/avg/max/mdev = 0.912/1.030/1.201/0.105 ms
`

func TestTextTools(t *testing.T) {
	w, vm := oneVM()
	sh := NewShell(w, vm)
	sh.files["ping.txt"] = pingStats
	cases := []struct{ script, out string }{
		{"tail -1 ping.txt | awk -F/ '{print $5}'", "1.030\n"},
		{"tail -n 1 ping.txt | cut -d/ -f4-6", "mdev = 0.912/1.030/1.201\n"},
		{"grep -o '[0-9]*% packet loss' ping.txt", "0% packet loss\n"},
		{"grep -c ping ping.txt; grep -ic PING ping.txt", "1\n2\n"},
		{"grep -v -E '^$|rtt' ping.txt | wc -l", "3\n"},
		{"grep -q 'received, 0%' ping.txt && echo up", "up\n"},
		{"grep -w transmitted ping.txt | awk '{print $1, $4, NF}'", "4 4 10\n"},
		{"grep -w 4 ping.txt | head -1 | awk '{print $1, $4, NF}'", "PING 56(84) 7\n"}, // .4 ends a word, as in GNU grep
		{"head -2 ping.txt | tail -n +1 | wc -l", "2\n"},
		{"tail -n +4 ping.txt | head -1", "4 packets transmitted, 4 received, 0% packet loss, time 3004ms\n"},
		{"awk '/transmitted/ {print $NF}' ping.txt", "3004ms\n"},
		{"cat ping.txt | wc -w", "27\n"},
		{"echo a b c | wc", "      1       3       6\n"},
		{"echo x | grep y; echo $?", "1\n"},
	}
	for _, c := range cases {
		if out, errOut, _ := sh.Run(c.script); out != c.out || errOut != "" {
			t.Errorf("%s: stdout %q stderr %q, want %q", c.script, out, errOut, c.out)
		}
	}
	if _, errOut, status := sh.Run("awk 'BEGIN{x=1} {print x}' ping.txt"); status != 2 || errOut == "" {
		t.Errorf("an awk program beyond the emulator's: status %d stderr %q, want 2 and a message", status, errOut)
	}
}
