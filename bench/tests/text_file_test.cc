// A whole file written under a temporary name and renamed: the previous file or the new one,
// never part of one, and a failure names the path and the reason.
#include "bench/text_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace fpubench {
namespace {

namespace fs = std::filesystem;

fs::path scratch() {
  fs::path dir = fs::temp_directory_path() / ("text-file-test-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(WriteWholeFile, ReplacesTheFileAndLeavesNoTemporaryOne) {
  fs::path dir = scratch();
  std::string path = (dir / "result.json").string();
  write_whole_file(path, "old\n");
  write_whole_file(path, "new\n");
  EXPECT_EQ(read_whole_file(path), "new\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(WriteWholeFile, AFolderThatIsNotThereIsOneMessageNamingThePath) {
  fs::path dir = scratch();
  std::string path = (dir / "missing" / "result.json").string();
  try {
    write_whole_file(path, "x");
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + path + ": No such file or directory");
  }
  fs::remove_all(dir);
}

TEST(WriteWholeFile, ANameTooLongSaysSo) {
  fs::path dir = scratch();
  std::string path = (dir / std::string(300, 'a')).string();
  EXPECT_THROW(
      {
        try {
          write_whole_file(path, "x");
        } catch (const std::runtime_error& e) {
          EXPECT_NE(std::string(e.what()).find("File name too long"), std::string::npos) << e.what();
          throw;
        }
      },
      std::runtime_error);
  fs::remove_all(dir);
}

TEST(ReadWholeFile, AFileWithoutEndIsRefusedNotReadForever) {
  EXPECT_THROW(read_whole_file("/dev/zero", 1 << 20), std::runtime_error);
  EXPECT_EQ(read_whole_file("/nonexistent/file"), std::nullopt);  // the caller says what missing means
}

}  // namespace
}  // namespace fpubench
