// Header-only: LLVMFuzzerRunDriver is defined by libclang_rt.fuzzer, which
// `-sanitize=fuzzer` links in. SwiftPM needs one source file per C target.
#include "LibFuzzerDriver.h"
