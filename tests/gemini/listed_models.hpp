// Model listings for unit tests: models that can generate content, by id.
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include "vision_provider.hpp"

namespace gemini_test {

inline mcpd::gemini::model_info generating(const std::string& id) {
  mcpd::gemini::model_info model;
  model.id = id;
  return model;
}

inline std::vector<mcpd::gemini::model_info> listing(std::initializer_list<const char*> ids) {
  std::vector<mcpd::gemini::model_info> models;
  for (const char* id : ids) models.push_back(generating(id));
  return models;
}

}  // namespace gemini_test
