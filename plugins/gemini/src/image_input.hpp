// The "images" argument of gemini.ask_about_images turned into images ready to send: base64 checked, the
// bytes checked to really be the PNG, JPEG or WebP their mimeType says, and images whose long edge is over
// the limit downscaled. Problems are reported per image index, so the caller knows which one to fix.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "vision_request.hpp"

namespace mcpd::gemini {

// An unusable image; what() names it ("images[2]: ...") and says what to fix.
class image_input_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct image_preparation {
  std::vector<prepared_image> images;
  int downscaled = 0;  // how many were larger than max_long_edge
};

// `images`: the argument array (items {data, mimeType, label?, type?, ...}, shape already checked by the
// host against the input schema). Throws image_input_error.
image_preparation prepare_images(const boost::json::array& images, int max_long_edge);

}  // namespace mcpd::gemini
