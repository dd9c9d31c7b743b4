// The requestState seal with hostile tokens: a 2026-07-28 client sends requestState back, and anything may
// come. Each input is opened twice: as a token of its own, and as edits (position, byte pairs) applied to a
// genuine token sealed at start, which reaches the checks behind the envelope's. Every refusal must be a
// sentence that quotes nothing of the token; an opened token must be one this process sealed.
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_input.hpp"
#include "mrtr/state_seal.hpp"

namespace {

using mcpd::mrtr::SealedContent;
using mcpd::mrtr::StateBinding;
using mcpd::mrtr::StateSeal;
using mcpd::mrtr::UnsealError;

const StateBinding& binding() {
  static const StateBinding b{"tools/call fuzz.tool", StateSeal::digest_arguments("{}"), "1.0.0",
                              "token:abc"};
  return b;
}

StateSeal& seal() {
  static StateSeal s(std::string(32, 'k'), std::chrono::seconds(600));
  return s;
}

const std::string& genuine(bool confidential) {
  static const std::string plain =
      seal().seal(SealedContent{"the plugin's state", "plugin"}, binding(), false);
  static const std::string secret = seal().seal(SealedContent{"a secret state", "plugin"}, binding(), true);
  return confidential ? secret : plain;
}

// Whether `reason` (the refusal of `token`) quotes the 12 bytes of the token at `at`. Finding them is not
// enough: the fuzzer learns the refusals' own words ("not base64ur", "ithout reque") and spells them in
// tokens. A quote follows the token: with those bytes changed, the refusal holds the changed bytes.
bool quotes(const std::string& token, const std::string& reason, std::size_t at) {
  if (reason.find(std::string_view(token.data() + at, 12)) == std::string::npos) return false;
  std::string altered = token;
  for (std::size_t i = at; i < at + 12; ++i) altered[i] = static_cast<char>(altered[i] ^ 0x01);
  auto again = seal().open(altered, binding());
  const auto* refused = std::get_if<UnsealError>(&again);
  return refused != nullptr &&
         refused->reason.find(std::string_view(altered.data() + at, 12)) != std::string::npos;
}

void open_and_check(const std::string& token) {
  auto opened = seal().open(token, binding());
  if (auto* refused = std::get_if<UnsealError>(&opened)) {
    if (refused->reason.empty()) std::abort();
    // A refusal never quotes the token (12 bytes or more of it).
    for (std::size_t at = 0; at + 12 <= token.size(); at += 12)
      if (quotes(token, refused->reason, at)) std::abort();
    return;
  }
  const auto& content = std::get<SealedContent>(opened);
  if (content.payload != "the plugin's state" && content.payload != "a secret state") std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  open_and_check(std::string(reinterpret_cast<const char*>(data), size));
  if (size == 0) return 0;
  std::string edited = genuine((data[0] & 1) != 0);
  for (std::size_t i = 1; i + 1 < size; i += 2) {
    const std::size_t at = data[i] % (edited.size() + 1);
    if (at == edited.size())
      edited.push_back(static_cast<char>(data[i + 1]));
    else
      edited[at] = static_cast<char>(data[i + 1]);
  }
  open_and_check(edited);
  return 0;
}
