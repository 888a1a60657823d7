/*
 * The demo generator's pseudo-random numbers: xoshiro256** seeded through
 * splitmix64. The sequence depends only on the seed and the stream
 * number, never on the time or the C library, so the same seed gives
 * byte-identical data on every machine.
 */
#ifndef CAIRN_DEMO_RNG_H
#define CAIRN_DEMO_RNG_H

#include <stdbool.h>
#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/* Seeds a generator from the user's seed and a stream number, so that
 * each phase of the generator draws from its own independent sequence. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
/* A number in [lo, hi], both included; lo <= hi. */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* True with a probability of permille / 1000. */
bool rng_chance(struct rng *r, int permille);

#endif
