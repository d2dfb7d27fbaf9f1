package peering

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestLocksSerialiseOneVNet(t *testing.T) {
	l := &Locks{}
	hub := VirtualNetworkID{"s", "g", "hub"}
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		spoke := VirtualNetworkID{"s", "g", string(rune('a' + i))}
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := l.Lock(context.Background(), spoke, hub)
			if err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			unlock()
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d holders of the hub at once", most.Load())
	}
}

func TestLocksTakeAFixedOrder(t *testing.T) {
	// Two pairs naming the same VNets in opposite orders must not deadlock.
	l := &Locks{}
	x, y := VirtualNetworkID{"s", "g", "x"}, VirtualNetworkID{"s", "g", "y"}
	done := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for i := 0; i < 200; i++ {
			wg.Add(2)
			go func() { defer wg.Done(); u, _ := l.Lock(context.Background(), x, y); u() }()
			go func() { defer wg.Done(); u, _ := l.Lock(context.Background(), y, x); u() }()
		}
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("deadlock")
	}
}

func TestLockGivesUpWithTheContextAndReleasesWhatItHeld(t *testing.T) {
	l := &Locks{}
	a, b := VirtualNetworkID{"s", "g", "a"}, VirtualNetworkID{"s", "g", "b"}
	holdB, _ := l.Lock(context.Background(), b)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.Lock(ctx, a, b); err == nil {
		t.Fatal("got a lock that is held")
	}
	// a must have been released when the pair lock gave up.
	ua, err := l.Lock(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	ua()
	holdB()
	holdB() // unlocking twice is harmless
	ub, err := l.Lock(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	ub()
	// The same VNet twice (case aside) is one lock, not a self-deadlock.
	u, err := l.Lock(context.Background(), a, VirtualNetworkID{"S", "G", "A"})
	if err != nil {
		t.Fatal(err)
	}
	u()
}
