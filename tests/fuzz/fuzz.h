/* fuzz.h - the libFuzzer entry point each target defines; replay.c drives it without libFuzzer. */
#ifndef WARTA_FUZZ_H
#define WARTA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort (so that libFuzzer and the replayer report it) when an invariant breaks. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) __builtin_trap();                                                             \
    } while (0)

#endif
