/* verify_pool.c - signature checks spread over every core: the caller and threads-1 workers
 * take items from a shared counter; the caller waits until all are done. */
#include "verify_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct verify_pool {
    int threads;
    pthread_t *workers;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    /* Guarded by lock: the current job and how many workers are still in it. */
    verify_pool_fn fn;
    void *items;
    size_t n;
    unsigned long generation;
    int busy;
    int stop;
    atomic_size_t next; /* the next item to take, shared lock-free */
};

static void drain(verify_pool *p, verify_pool_fn fn, void *items, size_t n)
{
    for (size_t i; (i = atomic_fetch_add(&p->next, 1)) < n;)
        fn(items, i);
}

static void *worker(void *arg)
{
    verify_pool *p = arg;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->generation == seen)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->stop) break;
        seen = p->generation;
        verify_pool_fn fn = p->fn;
        void *items = p->items;
        size_t n = p->n;
        pthread_mutex_unlock(&p->lock);
        drain(p, fn, items, n);
        pthread_mutex_lock(&p->lock);
        if (--p->busy == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

verify_pool *verify_pool_new(int threads)
{
    verify_pool *p = calloc(1, sizeof *p);
    if (p == NULL) return NULL;
    if (threads <= 0) threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads < 1) threads = 1;
    p->threads = threads;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->workers = calloc((size_t)threads, sizeof *p->workers);
    if (p->workers == NULL) p->threads = 1; /* no helpers: the caller's thread does it all */
    for (int i = 0; p->workers && i < threads - 1; i++)
        if (pthread_create(&p->workers[i], NULL, worker, p) != 0) {
            p->threads = i + 1;
            break;
        }
    return p;
}

void verify_pool_destroy(verify_pool **pp)
{
    verify_pool *p = pp ? *pp : NULL;
    if (p == NULL) return;
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (int i = 0; i < p->threads - 1; i++)
        pthread_join(p->workers[i], NULL);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->workers);
    free(p);
    *pp = NULL;
}

void verify_pool_start(verify_pool *p, verify_pool_fn fn, void *items, size_t n)
{
    atomic_store(&p->next, 0);
    pthread_mutex_lock(&p->lock);
    p->fn = fn, p->items = items, p->n = n;
    if (p->threads > 1 && n > 1) {
        p->busy = p->threads - 1;
        p->generation++;
        pthread_cond_broadcast(&p->work);
    }
    pthread_mutex_unlock(&p->lock);
}

bool verify_pool_help(verify_pool *p)
{
    size_t i = atomic_fetch_add(&p->next, 1);
    if (i >= p->n) return false;
    p->fn(p->items, i);
    return true;
}

void verify_pool_wait(verify_pool *p)
{
    pthread_mutex_lock(&p->lock);
    while (p->busy > 0)
        pthread_cond_wait(&p->done, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

void verify_pool_run(verify_pool *p, verify_pool_fn fn, void *items, size_t n)
{
    verify_pool_start(p, fn, items, n);
    while (verify_pool_help(p)) {
    }
    verify_pool_wait(p);
}
