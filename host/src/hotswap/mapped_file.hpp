#pragma once
// A whole file mapped read-only, to hash and check it without copying it into
// the heap. Only for files nobody else can shrink (the staging area's own
// copies): a file truncated under a mapping turns reads into SIGBUS.
#include <filesystem>
#include <string>
#include <string_view>

namespace mcpd::hotswap {

class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& file);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }
  const std::string& error() const { return error_; }  // empty when mapped (or empty)

 private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
  std::string error_;
};

}  // namespace mcpd::hotswap
