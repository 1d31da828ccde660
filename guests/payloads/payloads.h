/* The payloads, one function each (guest_<name> for every entry of GUEST_PAYLOADS). */
#ifndef FPUBENCH_PAYLOADS_H
#define FPUBENCH_PAYLOADS_H

#include "guest_abi.h"

#define GUEST_PAYLOAD_DECLARE(id, number, name) void guest_##name(void);
GUEST_PAYLOADS(GUEST_PAYLOAD_DECLARE)
#undef GUEST_PAYLOAD_DECLARE

#endif
