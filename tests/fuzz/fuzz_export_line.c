/* fuzz_export_line.c - one line of a warta export as warta audit --compare reads it: never
 * crashes; what it accepts is a bulletin that verifies, whose id it reports. */
#include <string.h>

#include "fuzz.h"
#include "tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t entry[72];
    (void)tool_export_entry((const char *)data, size, entry);
    return 0;
}
