// Receiving borrowed text from the host (mcpd_receive_fn) into an owned string.
#ifndef MCPD_SDK_DETAIL_RECEIVE_HPP
#define MCPD_SDK_DETAIL_RECEIVE_HPP

#include <mcpd/sdk/detail/abi.hpp>

#include <string>

namespace mcpd::sdk::detail {

/// The `receiver` handed to the host next to receive_text.
struct text_receiver {
  std::string text;
  bool received = false;
  bool out_of_memory = false;
};

/// mcpd_receive_fn: copies the borrowed text before the host's buffer goes away. noexcept because it runs
/// inside a host callback: an allocation failure is recorded, never thrown across the ABI.
inline void receive_text(void* receiver, mcpd_str data) noexcept {
  auto* target = static_cast<text_receiver*>(receiver);
  if (target == nullptr) {
    return;
  }
  try {
    target->text.assign(to_view(data));
    target->received = true;
  } catch (...) {
    target->out_of_memory = true;
  }
}

}  // namespace mcpd::sdk::detail

#endif  // MCPD_SDK_DETAIL_RECEIVE_HPP
