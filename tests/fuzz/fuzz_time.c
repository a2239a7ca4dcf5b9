/* fuzz_time.c - the time parser (flags, JSON fields): never crashes; what it accepts is a time
 * in range, and the UTC text it prints for that time reads back as the same instant. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[64], again[TOOL_TIME_LEN];
    uint64_t ms, back;
    if (size >= sizeof text || memchr(data, 0, size) != NULL) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    if (tool_time_parse(text, &ms) != 0) return 0;
    FUZZ_CHECK(ms > 0 && ms <= PROTO_TIME_MAX);
    tool_time_format(ms, again);
    FUZZ_CHECK(tool_time_parse(again, &back) == 0 && back == ms);
    return 0;
}
