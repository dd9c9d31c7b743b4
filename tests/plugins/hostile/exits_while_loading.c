/*
 * Hostile on purpose: the initialiser ends whatever process loads the file, with a clean exit code.
 * dlopen() in the host would take the host down with it; the load probe must tell this from a good file
 * although its child "exits 0".
 */
#include <unistd.h>

#include "../raw_plugin_support.h"

__attribute__((constructor)) static void leave_at_once(void) {
  _exit(0);
}

/* Never reached (the initialiser runs first); present so that the file looks like a plugin. */
mcpd_status mcpd_plugin_negotiate(const mcpd_negotiate_request* request, mcpd_negotiate_response* response) {
  (void)request;
  (void)response;
  return MCPD_ERR_INTERNAL;
}
