/* The dispatch from the id the host passes to the payload: the runtime's entry calls
 * run_payload() (declared in runtime/guest.h), so payloads depend on the runtime and never the
 * other way round. */
#include "guest.h"
#include "payloads.h"

void run_payload(uint64_t id) {
  switch (id) {
#define GUEST_PAYLOAD_CASE(enum_id, number, name) \
  case enum_id: guest_##name(); break;
    GUEST_PAYLOADS(GUEST_PAYLOAD_CASE)
#undef GUEST_PAYLOAD_CASE
    default: GUEST_ASSERT_EQ(id, 0); /* an id the host knows and this image does not */
  }
}
