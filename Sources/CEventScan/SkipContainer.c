// Skipping a JSON object or array 64 bytes at a time: the lenient walk that `backtest` runs on
// every event spends most of its time stepping over the values of members no filter reads.
#include "CEventScan.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The bytes of one 64-byte block that the skip looks at, one bit per byte.
typedef struct {
    uint64_t quotes;
    uint64_t backslashes;
    uint64_t opens;   // { and [
    uint64_t closes;  // } and ]
    uint64_t newlines;  // only when the skip stops at newlines
} tl_block_marks;

static inline __attribute__((always_inline)) tl_block_marks tl_mark_block(const uint8_t *p, int newlines_too) {
    tl_block_marks marks;
#if defined(__SSE2__)
    uint64_t quotes = 0, backslashes = 0, opens = 0, closes = 0, newlines = 0;
    for (int part = 0; part < 4; part++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * part));
        // `[` and `{` differ only in bit 0x20, as do `]` and `}`.
        __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
        uint64_t q = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
        uint64_t b = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        uint64_t o = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, _mm_set1_epi8('{')));
        uint64_t c = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(folded, _mm_set1_epi8('}')));
        quotes |= q << (16 * part);
        backslashes |= b << (16 * part);
        opens |= o << (16 * part);
        closes |= c << (16 * part);
        if (newlines_too) {
            uint64_t n = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
            newlines |= n << (16 * part);
        }
    }
    marks.quotes = quotes;
    marks.backslashes = backslashes;
    marks.opens = opens;
    marks.closes = closes;
    marks.newlines = newlines;
#else
    marks.quotes = marks.backslashes = marks.opens = marks.closes = marks.newlines = 0;
    for (int i = 0; i < 64; i++) {
        uint64_t bit = (uint64_t)1 << i;
        uint8_t c = p[i] | 0x20;
        if (p[i] == '"') marks.quotes |= bit;
        if (p[i] == '\\') marks.backslashes |= bit;
        if (c == '{') marks.opens |= bit;
        if (c == '}') marks.closes |= bit;
        if (newlines_too && p[i] == '\n') marks.newlines |= bit;
    }
#endif
    return marks;
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// The marks of a block with AVX2: two 32-byte steps instead of four 16-byte ones.
__attribute__((target("avx2"))) static inline __attribute__((always_inline)) tl_block_marks
tl_mark_block_avx2(const uint8_t *p, int newlines_too) {
    tl_block_marks marks;
    uint64_t quotes = 0, backslashes = 0, opens = 0, closes = 0, newlines = 0;
    for (int part = 0; part < 2; part++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(p + 32 * part));
        __m256i folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
        uint64_t q = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')));
        uint64_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\')));
        uint64_t o = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('{')));
        uint64_t c = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(folded, _mm256_set1_epi8('}')));
        quotes |= q << (32 * part);
        backslashes |= b << (32 * part);
        opens |= o << (32 * part);
        closes |= c << (32 * part);
        if (newlines_too) {
            uint64_t n = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\n')));
            newlines |= n << (32 * part);
        }
    }
    marks.quotes = quotes;
    marks.backslashes = backslashes;
    marks.opens = opens;
    marks.closes = closes;
    marks.newlines = newlines;
    return marks;
}

/// Whether the processor and the operating system let AVX2 run (CPUID leaf 7, and the YMM state
/// enabled in XCR0), asked once.
static int tl_has_avx2(void) {
    static int known = -1;
    int answer = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (answer >= 0) return answer;
    unsigned a, b, c, d;
    answer = 0;
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_OSXSAVE) && (c & bit_AVX)) {
        unsigned low, high;
        __asm__("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
        if ((low & 6) == 6 && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2)) answer = 1;
    }
    __atomic_store_n(&known, answer, __ATOMIC_RELAXED);
    return answer;
}
#endif

/// Bit i is the parity of bits 0...i of `x`: 1 from an opening quote up to its closing quote.
static inline uint64_t tl_prefix_xor(uint64_t x) {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/// The skip, with the block marker the caller's target supports inlined into it. With
/// `stop_at_newline`, a newline met before the closing bracket ends the skip with -2.
static inline __attribute__((always_inline)) int64_t tl_skip(
    const uint8_t *bytes, int64_t count, int64_t open, tl_block_marks (*mark)(const uint8_t *, int), int stop_at_newline) {
    int64_t depth = 1;
    int in_string = 0;
    int escape_next = 0;  // the previous byte was a backslash inside a string
    uint8_t tail[64];
    for (int64_t start = open + 1; start < count; start += 64) {
        const uint8_t *block = bytes + start;
        int64_t length = count - start < 64 ? count - start : 64;
        if (length < 64) {
            // The last bytes, padded with spaces, which change nothing.
            memset(tail, ' ', sizeof tail);
            memcpy(tail, block, (size_t)length);
            block = tail;
        }
        tl_block_marks marks = mark(block, stop_at_newline);
        if (marks.backslashes == 0 && !escape_next) {
            // Without escapes, the bytes inside strings run from each quote to the next.
            uint64_t strings = tl_prefix_xor(marks.quotes) ^ (in_string ? ~(uint64_t)0 : 0);
            in_string = (int)(strings >> 63);
            uint64_t brackets = (marks.opens | marks.closes) & ~strings;
            while (brackets != 0) {
                int bit = __builtin_ctzll(brackets);
                brackets &= brackets - 1;
                if ((marks.opens >> bit) & 1) {
                    depth++;
                } else if (--depth == 0) {
                    // A newline before the bracket (in a string or not) ends the line first.
                    if (stop_at_newline && (marks.newlines & ((((uint64_t)1) << bit) - 1)) != 0) return -2;
                    return start + bit + 1;
                }
            }
            if (stop_at_newline && marks.newlines != 0) return -2;
            continue;
        }
        // A block with a backslash: byte by byte, since a backslash escapes only inside a string.
        for (int64_t i = 0; i < length; i++) {
            uint8_t c = block[i];
            if (stop_at_newline && c == '\n') return -2;
            if (in_string) {
                if (escape_next) {
                    escape_next = 0;
                } else if (c == '\\') {
                    escape_next = 1;
                } else if (c == '"') {
                    in_string = 0;
                }
            } else if (c == '"') {
                in_string = 1;
            } else if ((c | 0x20) == '{') {
                depth++;
            } else if ((c | 0x20) == '}' && --depth == 0) {
                return start + i + 1;
            }
        }
    }
    return -1;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) static int64_t tl_skip_avx2(const uint8_t *bytes, int64_t count, int64_t open) {
    return tl_skip(bytes, count, open, tl_mark_block_avx2, 0);
}

__attribute__((target("avx2"))) static int64_t tl_skip_in_line_avx2(const uint8_t *bytes, int64_t count, int64_t open) {
    return tl_skip(bytes, count, open, tl_mark_block_avx2, 1);
}
#endif

int64_t tl_skip_container_baseline(const uint8_t *bytes, int64_t count, int64_t open) {
    return tl_skip(bytes, count, open, tl_mark_block, 0);
}

int64_t tl_skip_container(const uint8_t *bytes, int64_t count, int64_t open) {
#if defined(__x86_64__)
    if (tl_has_avx2()) return tl_skip_avx2(bytes, count, open);
#endif
    return tl_skip_container_baseline(bytes, count, open);
}

int64_t tl_skip_container_in_line_baseline(const uint8_t *bytes, int64_t count, int64_t open) {
    return tl_skip(bytes, count, open, tl_mark_block, 1);
}

int64_t tl_skip_container_in_line(const uint8_t *bytes, int64_t count, int64_t open) {
#if defined(__x86_64__)
    if (tl_has_avx2()) return tl_skip_in_line_avx2(bytes, count, open);
#endif
    return tl_skip_container_in_line_baseline(bytes, count, open);
}
