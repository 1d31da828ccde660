#include "bench/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace fpubench {

std::optional<std::string> read_whole_file(const std::string& path, size_t limit) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::string text;
  char chunk[65536];
  while (f.read(chunk, sizeof chunk) || f.gcount() > 0) {
    text.append(chunk, size_t(f.gcount()));
    if (text.size() > limit)
      throw std::runtime_error(path + " is larger than " + std::to_string(limit >> 20) +
                               " MiB: not a file fpubench reads (a device, or the wrong file)");
  }
  return text;
}

void write_whole_file(const std::string& path, const std::string& text) {
  std::string temporary = path + ".partial." + std::to_string(getpid());
  auto fail = [&](const char* what) {
    std::string why = std::strerror(errno);
    std::remove(temporary.c_str());
    throw std::runtime_error("cannot write " + path + ": " + what + " failed (" + why + ")");
  };
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      fail("writing");
    }
    done += size_t(n);
  }
  // The data reaches the disk before the name points at it: a crash leaves the old file, not an empty one.
  if (fsync(fd) != 0) {
    close(fd);
    fail("fsync");
  }
  if (close(fd) != 0) fail("close");
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("renaming the finished file into place");
}

}  // namespace fpubench
