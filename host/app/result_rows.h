// The row fields (host/plan/row.h) in the result file: Google Benchmark writes the file, and then
// every entry of it gets its benchmark's fields as "row", so whatever reads results reads fields
// instead of parsing names. The file is replaced whole (a new file renamed over it).
#pragma once

#include <string>

#include "host/plan/suite_plan.h"

namespace fpubench {

// Throws std::runtime_error when the file cannot be read, parsed or replaced.
void add_rows(const std::string& result_path, const SuitePlan& plan);

// The same on the file's text (for tests): entries whose run_name is a planned benchmark (with
// Google Benchmark's /manual_time suffix) get its row.
std::string with_rows(const std::string& result_json, const SuitePlan& plan);

}  // namespace fpubench
