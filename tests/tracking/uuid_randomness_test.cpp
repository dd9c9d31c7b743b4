// UUIDv7's random bits come from OpenSSL's CSPRNG (RFC 9562 section 6.9), not from a seeded PRNG: a test
// RAND method hands out known bytes and the UUID must carry exactly them.
#define OPENSSL_SUPPRESS_DEPRECATED  // RAND_set_rand_method is the only way to observe RAND_bytes
#include <catch2/catch.hpp>

#include <openssl/rand.h>

#include <cstring>

#include "util/uuid_v7.hpp"

using namespace mcpd::tracking;

namespace {

unsigned char next_byte = 0;
int calls = 0;

int counting_bytes(unsigned char* out, int count) {
  ++calls;
  for (int i = 0; i < count; ++i) out[i] = next_byte++;
  return 1;
}
int failing_bytes(unsigned char*, int) {
  return 0;
}
int always_ok() {
  return 1;
}

}  // namespace

TEST_CASE("new_uuid_v7 takes its random bits from RAND_bytes", "[unit][uuid]") {
  RAND_METHOD counting{};
  counting.bytes = counting_bytes;
  counting.status = always_ok;
  const RAND_METHOD* system = RAND_get_rand_method();
  REQUIRE(RAND_set_rand_method(&counting) == 1);
  next_byte = 0x10;
  calls = 0;
  const std::string uuid = new_uuid_v7();
  // Bytes 6..15 are 0x10..0x19 with the version (7) and variant (10) bits set over them.
  CHECK(uuid.substr(14, 4) == "7011");
  CHECK(uuid.substr(19, 4) == "9213");
  CHECK(uuid.substr(24) == "141516171819");
  CHECK(calls == 1);

  RAND_METHOD failing{};
  failing.bytes = failing_bytes;
  failing.status = always_ok;
  REQUIRE(RAND_set_rand_method(&failing) == 1);
  CHECK_THROWS_WITH(new_uuid_v7(), Catch::Contains("RAND_bytes"));
  RAND_set_rand_method(system);
  CHECK(is_uuid(new_uuid_v7()));
}
