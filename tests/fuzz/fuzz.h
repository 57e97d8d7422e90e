/*
 * The contract every fuzz target in tests/fuzz/ keeps: libFuzzer's two entry
 * points.  A target is built twice from the same file: linked with libFuzzer
 * (`make fuzz` in a build configured with --enable-fuzzing and CC=clang), and
 * linked with replay_main.c as a plain program that `make check` runs over
 * the target's seeds and regression inputs (tests/e2e/fuzz_replay.sh).
 *
 * A target's seed corpus is named in its file, on a comment line of the form
 *    // seeds: GLOB...
 * (paths and folders relative to the source tree); its regression inputs live in
 * tests/fuzz/regressions/NAME/, NAME being the file name without "fuzz_"
 * and ".c".
 */
#ifndef NRM_FUZZ_H
#define NRM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* Called once before any input, when the target has setup to do; a target
 * without leaves it out (weak, as libFuzzer declares it). */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* Called with each input; must return 0 and must not keep `data`. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A copy of the input with a NUL after it, for parsers that take text. */
char *nrm_fuzz_text(const uint8_t *data, size_t size);

#endif
