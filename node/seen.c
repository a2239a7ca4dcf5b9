/* seen.c - a fixed-size set of recently seen keys with expiry; a collision only forgets. */
#include <string.h>

#include "node.h"

static uint64_t key64(const uint8_t *key)
{
    uint64_t k;
    memcpy(&k, key, 8); /* ids and keys are uniformly random already */
    return k | 1;       /* 0 marks an empty slot */
}

bool seen_test_and_set(struct seen *s, const uint8_t *key, int64_t now, int64_t ttl)
{
    uint64_t k = key64(key);
    size_t slot = (size_t)(k % NODE_SEEN_SLOTS);
    if (s->key[slot] == k && s->until[slot] > now) return true;
    s->key[slot] = k;
    s->until[slot] = now + ttl;
    return false;
}

int64_t seen_until(const struct seen *s, const uint8_t *key)
{
    uint64_t k = key64(key);
    size_t slot = (size_t)(k % NODE_SEEN_SLOTS);
    return s->key[slot] == k ? s->until[slot] : 0;
}

void seen_clear(struct seen *s, const uint8_t *key)
{
    uint64_t k = key64(key);
    size_t slot = (size_t)(k % NODE_SEEN_SLOTS);
    if (s->key[slot] == k) s->key[slot] = 0;
}
