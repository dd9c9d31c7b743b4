/*
 * Small helpers shared by the test plugins that are written directly against
 * the C ABI (no SDK). Plain C99 so that the C plugins prove the ABI header is
 * usable from C; also included from the raw C++ plugins.
 */
#ifndef MCPD_TEST_RAW_PLUGIN_SUPPORT_H
#define MCPD_TEST_RAW_PLUGIN_SUPPORT_H

#include <mcpd/plugin_api.h>
#include <stddef.h>
#include <string.h>

/* A borrowed mcpd_str over a NUL-terminated string. */
static inline mcpd_str raw_str(const char* text) {
  mcpd_str result;
  result.data = text;
  result.size = strlen(text);
  return result;
}

/* True when a struct written by the other side with `struct_size` bytes
 * contains the field that ends at `field_end` (fields beyond it are absent). */
static inline int raw_has_field(uint32_t struct_size, size_t field_end) {
  return struct_size >= field_end;
}

/* The negotiation every well-behaved raw plugin does: accept when the host's
 * range contains ABI 1.0, always name our version, and never write beyond the
 * response size the host allocated. */
static inline mcpd_status raw_negotiate_v1(const mcpd_negotiate_request* request,
                                           mcpd_negotiate_response* response,
                                           const mcpd_plugin_descriptor* descriptor) {
  const size_t descriptor_end =
      offsetof(mcpd_negotiate_response, descriptor) + sizeof(const mcpd_plugin_descriptor*);
  if (request == NULL || response == NULL || !raw_has_field(response->struct_size, descriptor_end)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  response->plugin_abi_version = MCPD_ABI_VERSION_1_0;
  if (request->host_abi_min > MCPD_ABI_VERSION_1_0 || request->host_abi_max < MCPD_ABI_VERSION_1_0) {
    response->descriptor = NULL;
    return MCPD_ERR_VERSION_MISMATCH;
  }
  response->descriptor = descriptor;
  return MCPD_OK;
}

#endif /* MCPD_TEST_RAW_PLUGIN_SUPPORT_H */
