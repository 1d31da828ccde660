// A run's figures as a LAVA test definition reports them (test-definitions' result.txt lines,
// which lava-test-case takes one by one): "<name> pass <value> <unit>" per repetition of every
// row's figure and xstate cost, "<name> skip" for what the binary skipped after a "# skip <name>:
// <reason>" line, and the run's context first as "# fpubench-context <json>". The names are the
// rows' lab names (host/plan/row.h). For a machine without Python (the LAVA QEMU guest);
// `scripts/fpubench export --format lava` writes the same lines from a result file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace fpubench {

std::string lava_result_lines(const nlohmann::ordered_json& result_document);

}  // namespace fpubench
