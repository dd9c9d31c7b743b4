#pragma once
// The outbound edge: every response leaves through shape_response(), which
// fits it to the version of the request it answers. Nothing upstream of here
// (the invoker, the plugins) knows which version a client speaks.
//   modern:  resultType on every result, the server's identity in _meta,
//            ttlMs/cacheScope on the six cacheable results, and -32602 (not
//            the legacy -32002) for a resource that does not exist;
//   legacy:  fields older revisions do not know are left out (structuredContent,
//            and outputSchema, title, icons, execution in tools/list).
#include <boost/json/object.hpp>
#include <chrono>
#include <string>

#include "protocol/request_context.hpp"

namespace mcpd::protocol {

struct CachePolicy {
  // How long a client or gateway may reuse server/discover and the four list
  // results. A hot swap changes them; listeners hear of it at once, others
  // within this time (server.list_cache_ttl_ms).
  std::chrono::milliseconds lists{30'000};
  // resources/read (server.resource_cache_ttl_ms): 0 = revalidate every time,
  // because resources change without a reload (resources/updated).
  std::chrono::milliseconds resources{0};
};

struct ServerIdentity {
  std::string name;
  std::string version;
};

// `response` is a whole JSON-RPC response ({"jsonrpc","id","result"|"error"}).
void shape_response(boost::json::object& response, const RequestContext& request, const CachePolicy& cache,
                    const ServerIdentity& server);

}  // namespace mcpd::protocol
