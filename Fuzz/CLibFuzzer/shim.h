// libFuzzer's entry for programs that have their own `main` (compiler-rt's FuzzerInterface.h).
// SwiftPM links an executable's `main` to the module's own entry point, so libFuzzer's `main`
// is never used; `_FuzzSupport` calls this instead. Only referenced in `-DFUZZING` builds, which
// link libFuzzer through `-sanitize=fuzzer`.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
