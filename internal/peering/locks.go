package peering

import (
	"context"
	"slices"
	"sync"
)

// Locks serialises changes to a VNet within this process, so that many
// peerings on one hub never race each other into AnotherOperationInProgress.
// A pair takes both of its VNets' locks in one fixed order (by key), so two
// pairs that share VNets cannot deadlock.
type Locks struct {
	mu    sync.Mutex
	chans map[string]chan struct{}
}

// processLocks is shared by every Engine in the process: two provider
// configurations (aliases) may manage peerings on the same hub.
var processLocks = &Locks{}

func (l *Locks) ch(key string) chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.chans == nil {
		l.chans = map[string]chan struct{}{}
	}
	c, ok := l.chans[key]
	if !ok {
		c = make(chan struct{}, 1)
		l.chans[key] = c
	}
	return c
}

// Lock takes the locks of the given VNets in key order and returns the
// function that releases them. It gives up when ctx ends.
func (l *Locks) Lock(ctx context.Context, vnets ...VirtualNetworkID) (unlock func(), err error) {
	keys := make([]string, 0, len(vnets))
	for _, v := range vnets {
		keys = append(keys, v.Key())
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	held := make([]chan struct{}, 0, len(keys))
	release := func() {
		for i := len(held) - 1; i >= 0; i-- {
			<-held[i]
		}
	}
	for _, k := range keys {
		c := l.ch(k)
		select {
		case c <- struct{}{}:
			held = append(held, c)
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	var once sync.Once
	return func() { once.Do(release) }, nil
}
