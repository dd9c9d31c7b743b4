// mrtr::StateSeal: sealed requestStates open only for the request they were made for, once, before they
// expire, under the key that sealed them; every refusal says why without echoing the token or the key.
#include "mrtr/state_seal.hpp"

#include <mcpd/sdk/base64.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

using mcpd::mrtr::SealedContent;
using mcpd::mrtr::StateBinding;
using mcpd::mrtr::StateSeal;
using mcpd::mrtr::UnsealError;
namespace base64 = mcpd::sdk::base64;
using namespace std::chrono_literals;

namespace {

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

// A clock the test moves by hand.
struct ManualClock {
  std::chrono::system_clock::time_point now{std::chrono::sys_days{std::chrono::year{2026} / 7 / 28} + 12h};
  StateSeal::Clock function() {
    return [this] { return now; };
  }
};

StateBinding binding() {
  return {"tools/call testkit.ask", StateSeal::digest_arguments(R"({"q":"which?"})"), "1.2.0",
          "caller-digest"};
}

SealedContent content(std::string payload = "step=2;choice=none") {
  return {std::move(payload), "plugin"};
}

std::string decode(const std::string& token) {
  auto bytes = base64::decode(token, base64::alphabet::url);
  REQUIRE(bytes);
  return *bytes;
}

std::string encode(const std::string& bytes) {
  return base64::encode(bytes, base64::alphabet::url);
}

// The reason of a refusal; fails the test when the token opened.
std::string refusal(StateSeal& seal, std::string_view token, const StateBinding& expected = binding()) {
  auto result = seal.open(token, expected);
  REQUIRE(std::holds_alternative<UnsealError>(result));
  return std::get<UnsealError>(result).reason;
}

SealedContent opened(StateSeal& seal, std::string_view token, const StateBinding& expected = binding()) {
  auto result = seal.open(token, expected);
  if (auto* error = std::get_if<UnsealError>(&result)) FAIL(error->reason);
  return std::get<SealedContent>(result);
}

}  // namespace

TEST_CASE("a sealed state opens with the same key and binding, clear or confidential") {
  ManualClock clock;
  StateSeal seal(StateSeal::decode_key(kKeyHex), 600s, clock.function());
  const std::string binary("\0\x01\xff state \"quoted\"\n", 19);
  for (const bool confidential : {false, true}) {
    INFO("confidential: " << confidential);
    for (const std::string& payload :
         {std::string(), binary, std::string(StateSeal::kMaxPayloadBytes, 'x')}) {
      const std::string token = seal.seal({payload, "suspended"}, binding(), confidential);
      CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
            std::string::npos);
      const SealedContent back = opened(seal, token);
      CHECK(back.payload == payload);
      CHECK(back.kind == "suspended");
    }
  }
  CHECK(opened(seal, seal.seal(content(), binding(), false)).kind == "plugin");
}

TEST_CASE("another instance with the same configured key opens the state (a fleet)") {
  StateSeal first(StateSeal::decode_key(kKeyHex), 600s);
  StateSeal second(StateSeal::decode_key(kKeyHex), 600s);
  for (const bool confidential : {false, true})
    CHECK(opened(second, first.seal(content(), binding(), confidential)).payload == content().payload);
}

TEST_CASE("a confidential state does not carry its payload in clear, a plain one does") {
  StateSeal seal(StateSeal::random_key(), 600s);
  const std::string payload = "SECRET-PLUGIN-STATE-0123456789-abcdefghijklmnopqrstuvwxyz";
  const std::string plain = seal.seal(content(payload), binding(), false);
  CHECK(decode(plain).find(payload) != std::string::npos);
  const std::string secret = seal.seal(content(payload), binding(), true);
  const std::string bytes = decode(secret);
  CHECK(bytes.find(payload) == std::string::npos);
  CHECK(bytes.find("SECRET") == std::string::npos);
  CHECK(secret.find(encode(payload).substr(0, 12)) == std::string::npos);
  // Nor the binding: it travels only as keyed tags.
  for (const auto& field : {binding().target, binding().arguments_digest, binding().principal}) {
    CHECK(bytes.find(field) == std::string::npos);
    CHECK(decode(plain).find(field) == std::string::npos);
  }
}

TEST_CASE("every byte of a token, flipped, is refused, and the refusals do not use the token up") {
  StateSeal seal(StateSeal::random_key(), 600s);
  for (const bool confidential : {false, true}) {
    INFO("confidential: " << confidential);
    const std::string token = seal.seal(content(), binding(), confidential);
    const std::string bytes = decode(token);
    for (std::size_t at = 0; at < bytes.size(); ++at) {
      for (const unsigned char mask : {0x01, 0x80}) {
        INFO("byte " << at << " xor " << int(mask));
        std::string changed = bytes;
        changed[at] = static_cast<char>(changed[at] ^ mask);
        const std::string reason = refusal(seal, encode(changed));
        if (at == 0) {
          CHECK(reason ==
                "the requestState was not issued by this server (its format version is unknown); send the "
                "request again without requestState");
        } else {
          CHECK(reason ==
                "the requestState was altered, or sealed with another key (another server, or a key changed "
                "since); send the request again without requestState");
        }
      }
    }
    // Each character swapped for another of the alphabet (the last one's spare bits included).
    for (std::size_t at = 0; at < token.size(); ++at) {
      std::string changed = token;
      changed[at] = changed[at] == 'A' ? 'B' : 'A';
      CHECK(std::holds_alternative<UnsealError>(seal.open(changed, binding())));
    }
    CHECK(std::holds_alternative<UnsealError>(seal.open(token.substr(0, token.size() - 1), binding())));
    CHECK(std::holds_alternative<UnsealError>(seal.open(token + "A", binding())));
    CHECK(opened(seal, token).payload == content().payload);
  }
}

TEST_CASE("a state sealed with another key is refused") {
  StateSeal mine(StateSeal::random_key(), 600s);
  StateSeal theirs(StateSeal::random_key(), 600s);
  for (const bool confidential : {false, true}) {
    CHECK(
        refusal(mine, theirs.seal(content(), binding(), confidential)) ==
        "the requestState was altered, or sealed with another key (another server, or a key changed since); "
        "send the request again without requestState");
  }
}

TEST_CASE("a state made for another request says which part differs") {
  StateSeal seal(StateSeal::random_key(), 600s);
  const auto expect = [](std::string_view differences) {
    return "the requestState was made for a different request (" + std::string(differences) +
           "); retry with the exact params of the request that returned it, or send the request again "
           "without "
           "requestState";
  };
  for (const bool confidential : {false, true}) {
    INFO("confidential: " << confidential);
    const std::string token = seal.seal(content(), binding(), confidential);
    StateBinding other = binding();
    other.target = "tools/call testkit.other";
    CHECK(refusal(seal, token, other) == expect("another tool, prompt or resource"));
    other = binding();
    other.arguments_digest = StateSeal::digest_arguments(R"({"q":"what?"})");
    CHECK(refusal(seal, token, other) == expect("other arguments"));
    other = binding();
    other.plugin_version = "1.2.1";
    CHECK(refusal(seal, token, other) == expect("another plugin version"));
    other = binding();
    other.principal = "";
    CHECK(refusal(seal, token, other) == expect("another caller"));
    other = {"prompts/get greet", "", "2", "someone"};
    CHECK(
        refusal(seal, token, other) ==
        expect("another tool, prompt or resource, other arguments, another plugin version, another caller"));
    CHECK(opened(seal, token).payload == content().payload);
  }
}

TEST_CASE("a state is refused once its lifetime has passed") {
  ManualClock clock;
  StateSeal seal(StateSeal::random_key(), 600s, clock.function());
  const std::string late = seal.seal(content(), binding(), false);
  const std::string in_time = seal.seal(content(), binding(), true);
  clock.now += 600s - 1ms;
  CHECK(opened(seal, in_time).payload == content().payload);
  clock.now += 1ms;
  CHECK(
      refusal(seal, late) ==
      "the requestState expired at 2026-07-28T12:10:00Z (a state is valid for 600 s); send the request again "
      "without requestState");
}

TEST_CASE("a state opens once: a replay is refused, and after expiry it is refused as expired") {
  ManualClock clock;
  StateSeal seal(StateSeal::random_key(), 60s, clock.function());
  for (const bool confidential : {false, true}) {
    const std::string token = seal.seal(content(), binding(), confidential);
    opened(seal, token);
    CHECK(refusal(seal, token) ==
          "the requestState was already used (each one is accepted once); send the request again without "
          "requestState");
    clock.now += 61s;
    CHECK_THAT(refusal(seal, token), Catch::StartsWith("the requestState expired at "));
  }
}

TEST_CASE("the replay memory is bounded: when full, the state closest to expiry is forgotten") {
  ManualClock clock;
  StateSeal seal(StateSeal::random_key(), 60s, clock.function(), 2);
  const std::string first = seal.seal(content(), binding(), false);
  clock.now += 1s;
  const std::string second = seal.seal(content(), binding(), false);
  clock.now += 1s;
  const std::string third = seal.seal(content(), binding(), false);
  opened(seal, first);
  opened(seal, second);
  opened(seal, third);  // forgets `first`, the oldest
  CHECK(std::holds_alternative<UnsealError>(seal.open(second, binding())));
  CHECK(std::holds_alternative<UnsealError>(seal.open(third, binding())));
  CHECK(std::holds_alternative<SealedContent>(seal.open(first, binding())));  // the price of the bound
}

TEST_CASE("concurrent opens of one state: exactly one succeeds") {
  StateSeal seal(StateSeal::random_key(), 600s);
  const std::string token = seal.seal(content(), binding(), true);
  std::atomic<int> successes{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      if (std::holds_alternative<SealedContent>(seal.open(token, binding()))) ++successes;
    });
  for (auto& thread : threads) thread.join();
  CHECK(successes == 1);
}

TEST_CASE("garbage is refused at once as not a state of this server") {
  StateSeal seal(StateSeal::random_key(), 600s);
  const auto not_ours = [](std::string_view why) {
    return "the requestState was not issued by this server (" + std::string(why) +
           "); send the request again without requestState";
  };
  CHECK(refusal(seal, "") == not_ours("it is empty"));
  CHECK(refusal(seal, "not a token!") == not_ours("it is not base64url text"));
  CHECK(refusal(seal, "abc+/def") == not_ours("it is not base64url text"));
  const std::string token = seal.seal(content(), binding(), false);
  CHECK(refusal(seal, token + "=") == not_ours("it is not base64url text"));
  CHECK(refusal(seal, token.substr(0, 10) + " " + token.substr(10)) == not_ours("it is not base64url text"));
  CHECK(refusal(seal, "A") == not_ours("it is not base64url text"));  // 6 bits: not a whole byte
  CHECK(refusal(seal, "AQID") == not_ours("it is too short"));
  CHECK(refusal(seal, encode(std::string(200, '\0'))) == not_ours("its format version is unknown"));
  CHECK(refusal(seal, encode("\x01" + std::string(100, '\0'))) == not_ours("it is too short"));

  for (const char filler : {'A', '!'}) {
    const std::string huge(1u << 20, filler);
    const auto started = std::chrono::steady_clock::now();
    CHECK(refusal(seal, huge) == not_ours("it is longer than any state this server makes"));
    CHECK(std::chrono::steady_clock::now() - started < 50ms);
  }
}

TEST_CASE("refusals never contain the token") {
  StateSeal seal(StateSeal::random_key(), 600s);
  const std::string token = seal.seal(content(), binding(), false);
  std::string altered = token;
  altered[40] = altered[40] == 'A' ? 'B' : 'A';
  StateBinding other = binding();
  other.target = "tools/call x.y";
  for (const auto& reason :
       {refusal(seal, altered), refusal(seal, token, other), refusal(seal, token + "*")}) {
    CHECK(reason.find(token.substr(0, 16)) == std::string::npos);
    CHECK(reason.find(token.substr(token.size() - 16)) == std::string::npos);
  }
}

TEST_CASE("seal refuses an unknown kind and an oversized payload") {
  StateSeal seal(StateSeal::random_key(), 600s);
  CHECK_THROWS_AS(seal.seal({"x", "other"}, binding(), false), std::invalid_argument);
  CHECK_THROWS_AS(seal.seal(content(std::string(StateSeal::kMaxPayloadBytes + 1, 'x')), binding(), true),
                  std::length_error);
}

TEST_CASE("the constructor refuses a short key and a lifetime that is not positive") {
  CHECK_THROWS_AS(StateSeal(std::string(31, 'k'), 600s), std::invalid_argument);
  CHECK_THROWS_AS(StateSeal(std::string(32, 'k'), 0s), std::invalid_argument);
  CHECK_NOTHROW(StateSeal(std::string(32, 'k'), 1s));
}

TEST_CASE("decode_key reads 64 hex digits or base64 of at least 32 bytes") {
  const std::string bytes = StateSeal::decode_key(kKeyHex);
  REQUIRE(bytes.size() == 32);
  CHECK(static_cast<unsigned char>(bytes[31]) == 0x1f);
  std::string upper = kKeyHex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(StateSeal::decode_key(upper) == bytes);
  CHECK(StateSeal::decode_key("  " + kKeyHex + "\n") == bytes);
  CHECK(StateSeal::decode_key(base64::encode(bytes)) == bytes);  // padded
  std::string unpadded = base64::encode(bytes);
  while (unpadded.back() == '=') unpadded.pop_back();
  CHECK(StateSeal::decode_key(unpadded) == bytes);
  const std::string longer(48, '\xfb');  // base64url of it needs '-' or '_'
  REQUIRE(base64::encode(longer, base64::alphabet::url).find_first_of("-_") != std::string::npos);
  CHECK(StateSeal::decode_key(base64::encode(longer, base64::alphabet::url)) == longer);
}

TEST_CASE("decode_key refuses anything else without echoing it") {
  const std::string message =
      "server.request_state_key must be 64 hex digits or base64 of at least 32 bytes (e.g. openssl rand -hex "
      "32)";
  for (const std::string& text :
       {std::string(), std::string("   "), kKeyHex.substr(1), kKeyHex + "0", kKeyHex.substr(0, 32),
        kKeyHex + kKeyHex, base64::encode(std::string(31, 'k')),
        std::string("not-a-key but close enough? no"),
        std::string("hunter2hunter2hunter2hunter2hunter2hunter2hunter2hunter2!!")}) {
    INFO(text);
    try {
      StateSeal::decode_key(text);
      FAIL("accepted");
    } catch (const std::invalid_argument& e) {
      CHECK(e.what() == message);
    }
  }
}

TEST_CASE("random_key draws 32 fresh bytes, digest_arguments is hex SHA-256") {
  const std::string a = StateSeal::random_key();
  CHECK(a.size() == 32);
  CHECK(a != StateSeal::random_key());
  CHECK(StateSeal::digest_arguments("{}") ==
        "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
}
