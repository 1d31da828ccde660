#include "options.h"

#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace fpubench {

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--quick") {
      o.quick = true;
    } else if (a == "--dump-cpuid") {
      o.dump_cpuid = true;
    } else if (a == "--show-xstate") {
      o.show_xstate = "";
    } else if (a.rfind("--show-xstate=", 0) == 0) {
      o.show_xstate = a.substr(std::strlen("--show-xstate="));
    } else {
      throw std::invalid_argument("unknown argument '" + a + "': see --help for fpubench's flags and the --benchmark_* flags");
    }
  }
  return o;
}

std::vector<std::string> with_run_length_defaults(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) quick |= std::string(argv[i]) == "--quick";
  std::vector<std::string> args{argv[0]};
  if (quick) args.insert(args.end(), {"--benchmark_min_time=0.01", "--benchmark_repetitions=1"});
  else args.insert(args.end(), {"--benchmark_min_time=0.1", "--benchmark_repetitions=3"});
  args.insert(args.end(), argv + 1, argv + argc);
  return args;
}

void print_options_help() {
  std::printf(
      "fpubench: what the kernel spends on x86 FPU/xstate switching.\n"
      "\n"
      "fpubench flags:\n"
      "  --quick               shorter runs, one repetition (default: 0.1 s minimum, 3\n"
      "                        repetitions); explicit --benchmark_* flags still win\n"
      "  --dump-cpuid          print this CPU's CPUID leaves and XGETBV in the format the\n"
      "                        tests' recorded dumps use, then exit\n"
      "  --show-xstate[=DUMP]  print the xstate layout of this CPU, or of a recorded dump\n"
      "\n"
      "Google Benchmark flags:\n");
}

}  // namespace fpubench
