/* verify_pool.h - signature checks spread over every core. */
#ifndef WARTA_VERIFY_POOL_H
#define WARTA_VERIFY_POOL_H

#include <stdbool.h>
#include <stddef.h>

typedef struct verify_pool verify_pool;

/* Check item i of a batch: called on any thread, for each i in [0, n) exactly once. */
typedef void (*verify_pool_fn)(void *items, size_t i);

/* A pool of threads-1 workers (the caller is the last one); threads <= 0 means one per core. */
verify_pool *verify_pool_new(int threads);
void verify_pool_destroy(verify_pool **p);

/* Run fn over items 0..n-1 on all threads and return when every call has finished. Not
 * re-entrant: one caller thread at a time. */
void verify_pool_run(verify_pool *p, verify_pool_fn fn, void *items, size_t n);

/* The same in steps, so the caller can work while the workers check: start the job (returns at
 * once), help with one item at a time (false when none is left to take), then wait for the
 * workers before touching the results as a whole or starting another job. Items are taken in
 * index order; fn must publish its own per-item completion if the caller polls for it. */
void verify_pool_start(verify_pool *p, verify_pool_fn fn, void *items, size_t n);
bool verify_pool_help(verify_pool *p);
void verify_pool_wait(verify_pool *p);

#endif
