package store

import (
	"sync"
	"time"
)

// minWriteInterval spaces snapshots: a burst of changes is saved within
// this time of its last change, in a few writes rather than one per change.
const minWriteInterval = 100 * time.Millisecond

// persister writes snapshots in the background. Every change asks for a
// write; changes that arrive while one is being written, or within
// minWriteInterval of the last write, are coalesced into the next.
type persister struct {
	path     string
	snapshot func() ([]byte, uint64)
	rev      func() uint64

	mu      sync.Mutex
	cond    *sync.Cond
	wanted  bool
	written uint64
	err     error
	closed  bool
	waiters int
	done    chan struct{}

	lastWrite time.Time // only the loop goroutine touches it
}

// flushing reports whether someone waits in flush (then nothing waits).
func (p *persister) flushing() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.waiters > 0
}

func newPersister(path string, snapshot func() ([]byte, uint64), rev func() uint64) *persister {
	p := &persister{path: path, snapshot: snapshot, rev: rev, done: make(chan struct{})}
	p.cond = sync.NewCond(&p.mu)
	go p.loop()
	return p
}

func (p *persister) changed() {
	p.mu.Lock()
	p.wanted = true
	p.cond.Broadcast()
	p.mu.Unlock()
}

func (p *persister) loop() {
	defer close(p.done)
	for {
		p.mu.Lock()
		for !p.wanted && !p.closed {
			p.cond.Wait()
		}
		if !p.wanted && p.closed {
			p.mu.Unlock()
			return
		}
		p.wanted = false
		closing := p.closed
		p.mu.Unlock()

		if wait := minWriteInterval - time.Since(p.lastWrite); wait > 0 && !closing && !p.flushing() {
			time.Sleep(wait)
		}
		data, rev := p.snapshot()
		err := writeAtomic(p.path, data, 0o600)

		p.lastWrite = time.Now()
		p.mu.Lock()
		p.err = err
		if err == nil && rev > p.written {
			p.written = rev
		}
		p.cond.Broadcast()
		p.mu.Unlock()
	}
}

// flush blocks until the state as of now is on disk, and returns the error
// of the last write.
func (p *persister) flush() error {
	rev := p.rev()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiters++
	defer func() { p.waiters-- }()
	for p.written < rev && p.err == nil {
		if !p.wanted {
			p.wanted = true
			p.cond.Broadcast()
		}
		p.cond.Wait()
	}
	return p.err
}

func (p *persister) close() error {
	err := p.flush()
	p.mu.Lock()
	p.closed = true
	p.cond.Broadcast()
	p.mu.Unlock()
	<-p.done
	return err
}
