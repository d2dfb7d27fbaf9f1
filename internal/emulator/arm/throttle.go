package arm

import (
	"math"
	"net/http"
	"strings"
	"sync"
	"time"
)

// throttle keeps ARM's token buckets: one for reads and one for writes per
// principal and subscription. An empty bucket answers 429 with Retry-After.
type throttle struct {
	p   *Profile
	now func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newThrottle(p *Profile) *throttle {
	return &throttle{p: p, now: time.Now, buckets: map[string]*bucket{}}
}

func (t *throttle) take(c *Caller, sub, method string) *Error {
	write := method != http.MethodGet && method != http.MethodHead
	rate, burst, kind := t.p.ReadsPerSecond, t.p.ReadBurst, "read"
	if write {
		rate, burst, kind = t.p.WritesPerSecond, t.p.WriteBurst, "write"
	}
	if rate <= 0 {
		return nil
	}
	key := strings.ToLower(c.ObjectID + "|" + sub + "|" + kind)
	now := t.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	b, ok := t.buckets[key]
	if !ok {
		b = &bucket{tokens: burst, last: now}
		t.buckets[key] = b
	}
	b.tokens = math.Min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return nil
	}
	wait := int(math.Ceil((1 - b.tokens) / rate))
	if wait < 1 {
		wait = 1
	}
	e := Errorf(http.StatusTooManyRequests, "SubscriptionRequestsThrottled",
		"Number of '%s' requests for subscription '%s' actor '%s' exceeded. Please try again after '%d' seconds after the time of last request.", kind, sub, c.ObjectID, wait)
	e.RetryAfter = wait
	return e
}
