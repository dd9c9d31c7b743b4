/*
 * mcpd plugin kit for C: what every plugin written in C (C99 or later) against <mcpd/plugin_api.h>
 * needs and should not write by hand. Header-only, no dependencies; installed with the SDK.
 *
 *   static const mcpd_plugin_descriptor descriptor = {...};
 *   MCPD_KIT_PLUGIN(descriptor, MCPD_ABI_VERSION_1_0)   -- the entry point, with ABI negotiation
 *
 *   MCPD_KIT_STR("text")          an mcpd_str for a string literal, usable anywhere an expression is
 *   mcpd_kit_str(pointer)         an mcpd_str over a NUL-terminated string (NULL gives an empty one)
 *   (and from the ABI header: MCPD_STRUCT_HAS(ptr, type, field), whether a struct the host filled in
 *   holds `field`; a host speaking an older minor leaves newer fields out)
 *
 * JSON. A tool's arguments arrive as JSON text (already validated against the tool's input schema), and
 * structured results leave as JSON text. The kit does not parse JSON: use a C JSON library. The example
 * (sdk/examples/c_hello) uses cJSON, Debian's libcjson-dev; jansson (libjansson-dev) works the same way.
 * mcpd_kit_append_json_string() writes a JSON string for results built by hand.
 */
#ifndef MCPD_PLUGIN_KIT_H
#define MCPD_PLUGIN_KIT_H

#include <mcpd/plugin_api.h>
#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An mcpd_str over a string literal, as an expression (MCPD_STR_LIT is an initializer only). */
#define MCPD_KIT_STR(literal) ((mcpd_str){(literal), sizeof(literal) - 1})

/* An mcpd_str over a NUL-terminated string; the host copies what it needs before the callback returns. */
static inline mcpd_str mcpd_kit_str(const char* text) {
  mcpd_str result;
  result.data = text;
  result.size = text == NULL ? 0 : strlen(text);
  return result;
}

/* Negotiation: speak the highest ABI both sides know, within major 1, and never less than `needs` (the
 * oldest ABI whose fields and callbacks this plugin uses). Names the plugin's version even when it
 * refuses, so the host can say which side to change. */
static inline mcpd_status mcpd_kit_negotiate(const mcpd_negotiate_request* request,
                                             mcpd_negotiate_response* response,
                                             const mcpd_plugin_descriptor* descriptor, uint32_t needs) {
  uint32_t chosen = MCPD_ABI_VERSION;
  if (request == NULL || response == NULL ||
      !MCPD_STRUCT_HAS(response, mcpd_negotiate_response, descriptor)) {
    return MCPD_ERR_INVALID_ARGUMENT;
  }
  if (request->host_abi_max < chosen) {
    chosen = request->host_abi_max;
  }
  if (MCPD_ABI_VERSION_MAJOR(chosen) != MCPD_ABI_VERSION_MAJOR(MCPD_ABI_VERSION) || chosen < needs ||
      chosen < request->host_abi_min) {
    response->plugin_abi_version = MCPD_ABI_VERSION;
    response->descriptor = NULL;
    return MCPD_ERR_VERSION_MISMATCH;
  }
  response->plugin_abi_version = chosen;
  response->descriptor = descriptor;
  return MCPD_OK;
}

/* Defines the entry point the host looks for, exported even when the plugin is built with hidden
 * visibility (mcpd_add_plugin does that). Use once, at file scope, in one .c file. */
#define MCPD_KIT_PLUGIN(descriptor, needs)                                                    \
  MCPD_PLUGIN_EXPORT mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, \
                                                       mcpd_negotiate_response* response) {   \
    return mcpd_kit_negotiate(request, response, &(descriptor), (needs));                     \
  }

/* Writes `text` (`size` bytes of UTF-8) as a JSON string, quotes included, into out[0..capacity). Returns
 * the length the whole string needs (without a terminating NUL, which is written when there is room):
 * call it once with capacity 0 to learn the size. */
static inline size_t mcpd_kit_append_json_string(char* out, size_t capacity, const char* text, size_t size) {
  static const char hex[] = "0123456789abcdef";
  size_t length = 0;
  size_t i;
#define MCPD_KIT_PUT(c)                       \
  do {                                        \
    if (length < capacity) out[length] = (c); \
    ++length;                                 \
  } while (0)
  MCPD_KIT_PUT('"');
  for (i = 0; i < size; ++i) {
    const unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\') {
      MCPD_KIT_PUT('\\');
      MCPD_KIT_PUT((char)c);
    } else if (c == '\n') {
      MCPD_KIT_PUT('\\');
      MCPD_KIT_PUT('n');
    } else if (c == '\r') {
      MCPD_KIT_PUT('\\');
      MCPD_KIT_PUT('r');
    } else if (c == '\t') {
      MCPD_KIT_PUT('\\');
      MCPD_KIT_PUT('t');
    } else if (c < 0x20) {
      MCPD_KIT_PUT('\\');
      MCPD_KIT_PUT('u');
      MCPD_KIT_PUT('0');
      MCPD_KIT_PUT('0');
      MCPD_KIT_PUT(hex[c >> 4]);
      MCPD_KIT_PUT(hex[c & 0xF]);
    } else {
      MCPD_KIT_PUT((char)c);
    }
  }
  MCPD_KIT_PUT('"');
#undef MCPD_KIT_PUT
  if (length < capacity) out[length] = '\0';
  return length;
}

#ifdef __cplusplus
}
#endif

#endif /* MCPD_PLUGIN_KIT_H */
