// C kernels for the JSON scanner. The sixteen-byte classifiers are written with SSE2 intrinsics
// because Swift's SIMD types compile lane by lane; SSE2 is part of every x86-64 CPU, and on other
// architectures the Swift side keeps its word-at-a-time fallback and never calls them. They are
// `static inline`, so the Swift optimizer inlines them into the scanning loops. The container skip
// (SkipContainer.c) runs on every architecture, and chooses AVX2 at run time where it can.
#ifndef CEVENTSCAN_H
#define CEVENTSCAN_H

#include <stdint.h>

#if defined(__x86_64__) && !defined(__SSE2__)
// The Swift side calls these on every x86-64 build; SSE2 is part of the x86-64 baseline.
#error "CEventScan expects SSE2 on x86-64"
#endif

#if defined(__SSE2__)
#include <emmintrin.h>

/// Bit i is set when byte i of the sixteen at `p` ends a plain run of string content for a strict
/// scan: a quote, a backslash, a control byte (below 0x20) or a non-ASCII byte (0x80 and above,
/// which a signed compare sees as negative, so one compare catches both).
static inline uint32_t tl_string_stops16(const void *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i quotes = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslashes = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    __m128i low = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quotes, backslashes), low));
}

/// Bit i is set when byte i of the sixteen at `p` is a quote or a backslash (the lenient scan's stops).
static inline uint32_t tl_quote_or_backslash16(const void *p) {
    __m128i v = _mm_loadu_si128((const __m128i *)p);
    __m128i quotes = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
    __m128i backslashes = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
    return (uint32_t)_mm_movemask_epi8(_mm_or_si128(quotes, backslashes));
}
#endif

/// The offset just past the bracket that closes the object or array opened at `open` in the
/// `count` bytes at `bytes`, or -1 when the bytes end first. Brackets inside strings (a backslash
/// escaping the next byte of a string) are skipped; mismatched kinds (`{]`) are not detected.
/// Scans 64 bytes per step (with AVX2 where the processor has it); blocks holding a backslash go
/// byte by byte.
int64_t tl_skip_container(const uint8_t *bytes, int64_t count, int64_t open);

/// ``tl_skip_container`` without AVX2 (SSE2 on x86-64, plain C elsewhere): what processors without
/// AVX2 run, callable on any processor so tests cover both.
int64_t tl_skip_container_baseline(const uint8_t *bytes, int64_t count, int64_t open);

/// ``tl_skip_container`` for a container that must close before the line ends: returns -2 when
/// a newline (inside a string or not) comes before the closing bracket. For framing NDJSON while
/// walking: a line holds no newline, so a skip that meets one has left the line.
int64_t tl_skip_container_in_line(const uint8_t *bytes, int64_t count, int64_t open);

/// ``tl_skip_container_in_line`` without AVX2, as ``tl_skip_container_baseline``.
int64_t tl_skip_container_in_line_baseline(const uint8_t *bytes, int64_t count, int64_t open);

#endif
