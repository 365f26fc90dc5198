// libFuzzer's entry point for programs that have their own `main`.
//
// SwiftPM links every Swift executable with `main` renamed to `<Module>_main`, so an
// executable target cannot simply let libFuzzer's `main` run. Instead each fuzz target has
// an `@main` type that calls this (see FuzzDriver.swift in the fuzz targets).
#ifndef LIBFUZZER_DRIVER_H
#define LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

typedef int (*LibFuzzerCallback)(const uint8_t *data, size_t size);

int LLVMFuzzerRunDriver(int *argc, char ***argv, LibFuzzerCallback callback);

#endif
