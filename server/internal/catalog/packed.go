package catalog

import (
	"sync/atomic"
	"unsafe"
)

// The subscriber index keeps a million subscribers in memory, and the
// garbage collector would otherwise trace every one of their strings, slices
// and map entries on each cycle: half a second of marking that, on a
// two-core streamer-facing server, starves the handlers it runs beside and
// shows as a p99 of tens of milliseconds in play authorization. So
// subscribers are stored packed: fixed-size records without pointers in
// pages, their text in large byte chunks, and the maps hold integers. The
// collector skips such memory entirely. This file has the two append-only
// stores; subscribers.go has the index over them.

// pageSize is the number of entries of a page of a paged store.
const pageSize = 4096

// paged is an append-only sequence that readers index without a lock. One
// writer at a time appends (the index's writers are serialised); an entry is
// never modified after it is appended. Readers reach an entry only through a
// position published under a shard lock taken after the append, so the
// entry's memory and the page list that holds it are visible to them.
type paged[T any] struct {
	pages atomic.Pointer[[]*[pageSize]T]
	n     uint32 // entries appended; writer only
}

// add appends v and returns its position.
func (p *paged[T]) add(v T) uint32 {
	i := p.n
	list := p.list()
	if int(i/pageSize) == len(list) {
		grown := make([]*[pageSize]T, len(list)+1)
		copy(grown, list)
		grown[len(list)] = new([pageSize]T)
		p.pages.Store(&grown)
		list = grown
	}
	list[i/pageSize][i%pageSize] = v
	p.n++
	return i
}

// at returns a pointer to the entry at position i; the caller must not
// modify it.
func (p *paged[T]) at(i uint32) *T { return &p.list()[i/pageSize][i%pageSize] }

func (p *paged[T]) list() []*[pageSize]T {
	if l := p.pages.Load(); l != nil {
		return *l
	}
	return nil
}

// textChunk is the size of a chunk of the text store: large enough that a
// million subscribers' strings take a few hundred allocations.
const textChunk = 1 << 20

// text is where a string lives in the text store.
type text struct {
	chunk, off, len uint32
}

// texts is an append-only store of strings in byte chunks the garbage
// collector does not scan. Chunks are allocated at their full capacity and
// only appended to within it, so bytes once written never move or change,
// which is what makes handing them out as strings (str) safe.
type texts struct {
	chunks atomic.Pointer[[][]byte]
	cur    []byte // the chunk being filled; writer only
}

// add copies s into the store.
func (t *texts) add(s string) text {
	if s == "" {
		return text{}
	}
	list := t.list()
	if len(t.cur)+len(s) > cap(t.cur) {
		t.cur = make([]byte, 0, max(textChunk, len(s)))
		grown := make([][]byte, len(list)+1)
		copy(grown, list)
		grown[len(list)] = t.cur[:cap(t.cur)]
		t.chunks.Store(&grown)
		list = grown
	}
	off := len(t.cur)
	t.cur = append(t.cur, s...)
	return text{chunk: uint32(len(list) - 1), off: uint32(off), len: uint32(len(s))}
}

func (t *texts) list() [][]byte {
	if l := t.chunks.Load(); l != nil {
		return *l
	}
	return nil
}

// str returns the string at x without copying it: the bytes are immutable
// for as long as the store (and anything holding a string into it) lives.
func (t *texts) str(x text) string {
	if x.len == 0 {
		return ""
	}
	b := (*t.chunks.Load())[x.chunk][x.off : x.off+x.len]
	return unsafe.String(unsafe.SliceData(b), len(b))
}
