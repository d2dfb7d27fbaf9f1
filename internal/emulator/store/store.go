// Package store keeps the emulator's ARM resources: a map of JSON documents
// keyed by case-folded resource ID behind one lock, with atomic snapshots to
// disk. It knows nothing of HTTP or of any resource type's rules.
package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ErrNotFound is returned by typed reads of a resource that does not exist.
var ErrNotFound = errors.New("resource not found")

// Resource is one stored ARM resource exactly as a GET returns it.
type Resource struct {
	ID   string          `json:"id"`   // canonical casing, as first created
	Type string          `json:"type"` // e.g. Microsoft.Network/virtualNetworks
	Body json.RawMessage `json:"body"`
}

// Store is safe for concurrent use. Reads share the lock; writes hold it
// alone, so a write transaction sees and changes a consistent world.
type Store struct {
	mu     sync.RWMutex
	items  map[string]*Resource
	byType map[string]map[string]*Resource // folded type -> key -> resource
	rev    uint64

	persist *persister
}

// New returns an empty store; with a non-empty path it is loaded from that
// file (when present) and every change is saved back to it.
func New(path string) (*Store, error) {
	s := &Store{items: map[string]*Resource{}, byType: map[string]map[string]*Resource{}}
	if path == "" {
		return s, nil
	}
	if err := s.load(path); err != nil {
		return nil, err
	}
	s.persist = newPersister(path, s.snapshot, s.revision)
	return s, nil
}

// Key folds an ARM ID to the form used for lookups: ARM IDs are
// case-insensitive and tolerate doubled or trailing slashes.
func Key(id string) string {
	id = strings.ToLower(id)
	for strings.Contains(id, "//") {
		id = strings.ReplaceAll(id, "//", "/")
	}
	return strings.TrimSuffix(id, "/")
}

// Tx is a view of the store inside Read or Write.
type Tx struct {
	s       *Store
	write   bool
	changed bool
}

// Read runs fn with a shared lock.
func (s *Store) Read(fn func(tx *Tx) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return fn(&Tx{s: s})
}

// Write runs fn with the store locked; changes are kept even when fn returns
// an error, so callers validate before they change anything.
func (s *Store) Write(fn func(tx *Tx) error) error {
	s.mu.Lock()
	tx := &Tx{s: s, write: true}
	err := fn(tx)
	if tx.changed {
		s.rev++
	}
	s.mu.Unlock()
	if tx.changed && s.persist != nil {
		s.persist.changed()
	}
	return err
}

// Get returns the resource with this ID.
func (tx *Tx) Get(id string) (*Resource, bool) {
	r, ok := tx.s.items[Key(id)]
	return r, ok
}

// Decode reads the resource with this ID into v (an Azure SDK model).
func (tx *Tx) Decode(id string, v any) error {
	r, ok := tx.Get(id)
	if !ok {
		return ErrNotFound
	}
	return json.Unmarshal(r.Body, v)
}

// Put stores v (marshalled to JSON) under id, keeping the casing of an ID
// that already exists.
func (tx *Tx) Put(id, typ string, v any) error {
	if !tx.write {
		panic("store: Put in a read transaction")
	}
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: encoding %s: %w", id, err)
	}
	k := Key(id)
	if old, ok := tx.s.items[k]; ok {
		id = old.ID
		tx.s.unindex(k, old)
	}
	tx.s.index(k, &Resource{ID: id, Type: typ, Body: body})
	tx.changed = true
	return nil
}

func (s *Store) index(k string, r *Resource) {
	s.items[k] = r
	t := strings.ToLower(r.Type)
	if s.byType[t] == nil {
		s.byType[t] = map[string]*Resource{}
	}
	s.byType[t][k] = r
}

func (s *Store) unindex(k string, r *Resource) {
	delete(s.items, k)
	delete(s.byType[strings.ToLower(r.Type)], k)
}

// Delete removes the resource with this ID and reports whether it existed.
func (tx *Tx) Delete(id string) bool {
	if !tx.write {
		panic("store: Delete in a read transaction")
	}
	k := Key(id)
	old, ok := tx.s.items[k]
	if !ok {
		return false
	}
	tx.s.unindex(k, old)
	tx.changed = true
	return true
}

// Under returns every resource whose ID lies below prefix (not prefix
// itself), sorted by ID; typ, when non-empty, keeps one type only.
func (tx *Tx) Under(prefix, typ string) []*Resource {
	p := Key(prefix) + "/"
	pool := tx.s.items
	if typ != "" {
		pool = tx.s.byType[strings.ToLower(typ)]
	}
	var out []*Resource
	for k, r := range pool {
		if strings.HasPrefix(k, p) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return Key(out[i].ID) < Key(out[j].ID) })
	return out
}

// Children returns the resources of one type directly below parent: for
// a parent VNet and type Microsoft.Network/virtualNetworks/subnets, its
// subnets.
func (tx *Tx) Children(parent, typ string) []*Resource {
	var out []*Resource
	depth := strings.Count(Key(parent), "/") + 2
	for _, r := range tx.Under(parent, typ) {
		if strings.Count(Key(r.ID), "/") == depth {
			out = append(out, r)
		}
	}
	return out
}

// All returns every resource of a type, sorted by ID.
func (tx *Tx) All(typ string) []*Resource {
	var out []*Resource
	for _, r := range tx.s.byType[strings.ToLower(typ)] {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return Key(out[i].ID) < Key(out[j].ID) })
	return out
}

func (s *Store) revision() uint64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.rev
}

// Len is the number of stored resources.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.items)
}

// Reset empties the store.
func (s *Store) Reset() {
	_ = s.Write(func(tx *Tx) error {
		tx.s.items = map[string]*Resource{}
		tx.s.byType = map[string]map[string]*Resource{}
		tx.changed = true
		return nil
	})
}

// Flush waits until every change so far is on disk.
func (s *Store) Flush() error {
	if s.persist == nil {
		return nil
	}
	return s.persist.flush()
}

// Close flushes and stops the background writer.
func (s *Store) Close() error {
	if s.persist == nil {
		return nil
	}
	return s.persist.close()
}

type stateFile struct {
	Version   int         `json:"version"`
	Resources []*Resource `json:"resources"`
}

const stateVersion = 1

// snapshot copies the resource pointers under the read lock (resources are
// never changed in place: Put stores a new one) and encodes them after
// releasing it, so a large state does not stall writers.
func (s *Store) snapshot() ([]byte, uint64) {
	s.mu.RLock()
	rev := s.rev
	list := make([]*Resource, 0, len(s.items))
	for _, r := range s.items {
		list = append(list, r)
	}
	s.mu.RUnlock()
	sort.Slice(list, func(i, j int) bool { return Key(list[i].ID) < Key(list[j].ID) })
	var b bytes.Buffer
	b.Grow(len(list) * 512)
	fmt.Fprintf(&b, `{"version":%d,"resources":[`, stateVersion)
	for i, r := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		id, _ := json.Marshal(r.ID)
		typ, _ := json.Marshal(r.Type)
		b.WriteString(`{"id":`)
		b.Write(id)
		b.WriteString(`,"type":`)
		b.Write(typ)
		b.WriteString(`,"body":`)
		b.Write(r.Body) // valid JSON by construction (json.Marshal in Put)
		b.WriteByte('}')
	}
	b.WriteString("]}\n")
	return b.Bytes(), rev
}

func (s *Store) load(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading state: %w", err)
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("state file %s is not valid JSON (%v): move it away to start empty", path, err)
	}
	if st.Version != stateVersion {
		return fmt.Errorf("state file %s has version %d, this emulator reads version %d: move it away to start empty", path, st.Version, stateVersion)
	}
	for _, r := range st.Resources {
		s.index(Key(r.ID), r)
	}
	return nil
}

// writeAtomic replaces path with data so that a reader sees the old or the
// new file, never a part of one.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, mode)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// WriteFileAtomic is writeAtomic for the emulator's other files.
func WriteFileAtomic(path string, data []byte, mode os.FileMode) error {
	return writeAtomic(path, data, mode)
}
