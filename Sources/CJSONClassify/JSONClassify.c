// Whole runs of blocks, for long lines: AVX2 classifies 32 bytes per instruction where the
// processor has it. The choice is made once, at the first call; SSE2 (every x86-64) otherwise.
#include "JSONClassify.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>

__attribute__((target("avx2"))) static inline uint64_t tl_bits32(__m256i mask, int shift) {
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(mask) << shift;
}

__attribute__((target("avx2"))) static void tl_classify_blocks_avx2(
    const uint8_t *bytes, size_t count, TLByteClasses *classes) {
    const __m256i quote = _mm256_set1_epi8('"'), backslash = _mm256_set1_epi8('\\');
    const __m256i bit5 = _mm256_set1_epi8(0x20), openBrace = _mm256_set1_epi8('{'), closeBrace = _mm256_set1_epi8('}');
    const __m256i colon = _mm256_set1_epi8(':'), comma = _mm256_set1_epi8(',');
    const __m256i tab = _mm256_set1_epi8('\t'), lineFeed = _mm256_set1_epi8('\n'), carriageReturn = _mm256_set1_epi8('\r');
    const __m256i lastControl = _mm256_set1_epi8(0x1F);
    for (size_t block = 0; block < count; block++) {
        TLByteClasses out = {0, 0, 0, 0, 0, 0, 0};
        for (int half = 0; half < 2; half++) {
            const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(bytes + 64 * block + 32 * half));
            const int shift = 32 * half;
            out.quote |= tl_bits32(_mm256_cmpeq_epi8(v, quote), shift);
            out.backslash |= tl_bits32(_mm256_cmpeq_epi8(v, backslash), shift);
            const __m256i folded = _mm256_or_si256(v, bit5);
            const __m256i brackets = _mm256_or_si256(_mm256_cmpeq_epi8(folded, openBrace), _mm256_cmpeq_epi8(folded, closeBrace));
            const __m256i separators = _mm256_or_si256(_mm256_cmpeq_epi8(v, colon), _mm256_cmpeq_epi8(v, comma));
            out.brackets |= tl_bits32(brackets, shift);
            out.separators |= tl_bits32(separators, shift);
            const __m256i blank = _mm256_or_si256(_mm256_cmpeq_epi8(v, bit5), _mm256_cmpeq_epi8(v, tab));
            const __m256i newline = _mm256_or_si256(_mm256_cmpeq_epi8(v, lineFeed), _mm256_cmpeq_epi8(v, carriageReturn));
            out.whitespace |= tl_bits32(_mm256_or_si256(blank, newline), shift);
            out.control |= tl_bits32(_mm256_cmpeq_epi8(_mm256_min_epu8(v, lastControl), v), shift);
            out.nonASCII |= tl_bits32(v, shift);
        }
        classes[block] = out;
    }
}
#endif

static void tl_classify_blocks_baseline(const uint8_t *bytes, size_t count, TLByteClasses *classes) {
    for (size_t block = 0; block < count; block++) classes[block] = tl_classify64(bytes + 64 * block);
}

typedef void (*tl_classify_blocks_function)(const uint8_t *, size_t, TLByteClasses *);

void tl_classify_blocks(const uint8_t *bytes, size_t count, TLByteClasses *classes) {
    // Threads may race to set it; they store the same value, atomically.
    static tl_classify_blocks_function chosen = 0;
    tl_classify_blocks_function function = __atomic_load_n(&chosen, __ATOMIC_RELAXED);
    if (!function) {
        function = tl_classify_blocks_baseline;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
        __builtin_cpu_init();
        if (__builtin_cpu_supports("avx2")) function = tl_classify_blocks_avx2;
#endif
        __atomic_store_n(&chosen, function, __ATOMIC_RELAXED);
    }
    function(bytes, count, classes);
}
