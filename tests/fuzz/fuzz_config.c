/* fuzz_config.c - wartad's configuration file (inih, then the node's own checks of every
 * section, key and value): never crashes; a file it refuses says which line, and a file it
 * takes leaves a configuration whose strings are terminated and whose numbers are in range. */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "node.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct node_config c;
    char msg[512];
    FILE *f = fmemopen((void *)data, size, "r");
    if (f == NULL) return 0;
    config_defaults(&c);
    int rc = config_load_stream(&c, f, "fuzz.ini", msg, sizeof msg);
    fclose(f);
    if (rc != 0) {
        FUZZ_CHECK(strncmp(msg, "fuzz.ini", 8) == 0);
        return 0;
    }
    FUZZ_CHECK(memchr(c.name, 0, sizeof c.name) && memchr(c.data_dir, 0, sizeof c.data_dir));
    FUZZ_CHECK(memchr(c.listen, 0, sizeof c.listen) && memchr(c.roster, 0, sizeof c.roster));
    FUZZ_CHECK(c.threads >= 0 && c.threads <= 256 && c.n_peers >= 0 && c.n_peers <= NODE_MAX_PEERS);
    FUZZ_CHECK(c.sync_interval_ms >= 50 && c.checkpoint_interval_ms >= 50);
    for (int i = 0; i < c.n_peers; i++)
        FUZZ_CHECK(memchr(c.peers[i].endpoint, 0, sizeof c.peers[i].endpoint) != NULL);
    config_check(&c, msg, sizeof msg); /* must not crash on what the file left */
    return 0;
}
