// Byte classification for EventScan's structural validator: 64 bytes in, one bit per byte out for
// each class the validator needs. Swift has no portable way to turn a vector comparison into a
// bit mask (x86's `pmovmskb`), so this one kernel is C; everything that reads the masks is Swift.
#ifndef TRIPLINE_JSON_CLASSIFY_H
#define TRIPLINE_JSON_CLASSIFY_H

#include <stdint.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The classes of 64 consecutive bytes: bit i describes byte i.
typedef struct {
    /// `"`
    uint64_t quote;
    /// `\`
    uint64_t backslash;
    /// `{` `}` `[` `]` `:` `,`
    uint64_t operators;
    /// space, tab, line feed, carriage return
    uint64_t whitespace;
    /// below 0x20
    uint64_t control;
    /// 0x80 and above
    uint64_t nonASCII;
} TLByteClasses;

/// Classifies one byte at a time: the reference for the vector paths, and the path elsewhere.
static inline TLByteClasses tl_classify64_portable(const uint8_t *bytes) {
    TLByteClasses classes = {0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 64; i++) {
        const uint8_t byte = bytes[i];
        const uint64_t bit = (uint64_t)1 << i;
        switch (byte) {
        case '"': classes.quote |= bit; break;
        case '\\': classes.backslash |= bit; break;
        case '{': case '}': case '[': case ']': case ':': case ',': classes.operators |= bit; break;
        case ' ': case '\t': case '\n': case '\r': classes.whitespace |= bit; break;
        default: break;
        }
        if (byte < 0x20) classes.control |= bit;
        if (byte >= 0x80) classes.nonASCII |= bit;
    }
    return classes;
}

#if defined(__SSE2__)
static inline uint64_t tl_bits16(__m128i mask, int shift) {
    return (uint64_t)(uint16_t)_mm_movemask_epi8(mask) << shift;
}

static inline TLByteClasses tl_classify64_sse2(const uint8_t *bytes) {
    TLByteClasses classes = {0, 0, 0, 0, 0, 0};
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    // `[` and `]` differ from `{` and `}` only in bit 5: folding it in finds all four with two compares.
    const __m128i bit5 = _mm_set1_epi8(0x20), openBrace = _mm_set1_epi8('{'), closeBrace = _mm_set1_epi8('}');
    const __m128i colon = _mm_set1_epi8(':'), comma = _mm_set1_epi8(',');
    const __m128i tab = _mm_set1_epi8('\t'), lineFeed = _mm_set1_epi8('\n'), carriageReturn = _mm_set1_epi8('\r');
    const __m128i lastControl = _mm_set1_epi8(0x1F);
    for (int i = 0; i < 4; i++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(bytes + 16 * i));
        const int shift = 16 * i;
        classes.quote |= tl_bits16(_mm_cmpeq_epi8(v, quote), shift);
        classes.backslash |= tl_bits16(_mm_cmpeq_epi8(v, backslash), shift);
        const __m128i folded = _mm_or_si128(v, bit5);
        const __m128i brackets = _mm_or_si128(_mm_cmpeq_epi8(folded, openBrace), _mm_cmpeq_epi8(folded, closeBrace));
        const __m128i separators = _mm_or_si128(_mm_cmpeq_epi8(v, colon), _mm_cmpeq_epi8(v, comma));
        classes.operators |= tl_bits16(_mm_or_si128(brackets, separators), shift);
        const __m128i blank = _mm_or_si128(_mm_cmpeq_epi8(v, bit5), _mm_cmpeq_epi8(v, tab));
        const __m128i newline = _mm_or_si128(_mm_cmpeq_epi8(v, lineFeed), _mm_cmpeq_epi8(v, carriageReturn));
        classes.whitespace |= tl_bits16(_mm_or_si128(blank, newline), shift);
        // Unsigned v <= 0x1F: the minimum of the two is v itself.
        classes.control |= tl_bits16(_mm_cmpeq_epi8(_mm_min_epu8(v, lastControl), v), shift);
        classes.nonASCII |= tl_bits16(v, shift);
    }
    return classes;
}
#endif

/// Classifies the 64 bytes at `bytes` (all 64 must be readable).
static inline TLByteClasses tl_classify64(const uint8_t *bytes) {
#if defined(__SSE2__)
    return tl_classify64_sse2(bytes);
#else
    return tl_classify64_portable(bytes);
#endif
}

#endif
