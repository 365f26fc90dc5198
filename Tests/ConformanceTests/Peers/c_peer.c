/*
 * protobuf-c peer of the cross-implementation conformance tests (Tests/ConformanceTests).
 *
 *   c_peer DIR
 *
 * For every case in DIR/cases.tsv (NAME, message name, flags, note) not flagged "no-c":
 * unpacks NAME.bin (written by Python) with protobuf-c and packs it again into NAME.c.bin,
 * and, when Hodei has written NAME.swift.bin, does the same into NAME.swift.c.bin. The
 * Python peer and the Swift test then check those files decode to the original value.
 *
 * The descriptors come from descriptor_table.c, generated next to the protoc-c output.
 * Exits 1 if any unpack fails or a file cannot be read or written.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <protobuf-c/protobuf-c.h>

extern const ProtobufCMessageDescriptor *const peer_descriptors[];

static const ProtobufCMessageDescriptor *find_descriptor(const char *name) {
    for (size_t i = 0; peer_descriptors[i] != NULL; i++) {
        if (strcmp(peer_descriptors[i]->name, name) == 0) return peer_descriptors[i];
    }
    return NULL;
}

/* Reads a whole file; returns NULL and sets *missing when it does not exist. */
static uint8_t *read_file(const char *path, size_t *length, int *missing) {
    *missing = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        *missing = (errno == ENOENT);
        return NULL;
    }
    size_t capacity = 1 << 16, used = 0;
    uint8_t *data = malloc(capacity);
    size_t n;
    while (data != NULL && (n = fread(data + used, 1, capacity - used, f)) > 0) {
        used += n;
        if (used == capacity) {
            capacity *= 2;
            uint8_t *bigger = realloc(data, capacity);
            if (bigger == NULL) free(data);
            data = bigger;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(data);
        return NULL;
    }
    *length = used;
    return data;
}

static int write_file(const char *path, const uint8_t *data, size_t length) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) return -1;
    size_t written = length ? fwrite(data, 1, length, f) : 0;
    int closed = fclose(f);
    return (written == length && closed == 0) ? 0 : -1;
}

/* Returns 1 if repacked, 0 if the input does not exist, -1 on failure (reported on stderr). */
static int repack(const char *dir, const char *name, const ProtobufCMessageDescriptor *descriptor,
                  const char *in_suffix, const char *out_suffix) {
    char in_path[4096], out_path[4096];
    snprintf(in_path, sizeof in_path, "%s/%s%s", dir, name, in_suffix);
    snprintf(out_path, sizeof out_path, "%s/%s%s", dir, name, out_suffix);
    size_t length = 0;
    int missing = 0;
    uint8_t *input = read_file(in_path, &length, &missing);
    if (input == NULL) {
        if (missing) return 0;
        fprintf(stderr, "FAIL [protobuf-c] %s: cannot read %s: %s\n", name, in_path, strerror(errno));
        return -1;
    }
    ProtobufCMessage *message = protobuf_c_message_unpack(descriptor, NULL, length, input);
    free(input);
    if (message == NULL) {
        fprintf(stderr, "FAIL [protobuf-c] %s: protobuf_c_message_unpack(%s) rejected %s (%zu bytes)\n", name,
                descriptor->name, in_path, length);
        return -1;
    }
    int result = 1;
    if (!protobuf_c_message_check(message)) {
        fprintf(stderr, "FAIL [protobuf-c] %s: protobuf_c_message_check failed after unpacking %s\n", name, in_path);
        result = -1;
    } else {
        size_t size = protobuf_c_message_get_packed_size(message);
        uint8_t *output = malloc(size ? size : 1);
        size_t packed = protobuf_c_message_pack(message, output);
        if (packed != size) {
            fprintf(stderr, "FAIL [protobuf-c] %s: packed %zu bytes, sized %zu\n", name, packed, size);
            result = -1;
        } else if (write_file(out_path, output, size) != 0) {
            fprintf(stderr, "FAIL [protobuf-c] %s: cannot write %s\n", name, out_path);
            result = -1;
        }
        free(output);
    }
    protobuf_c_message_free_unpacked(message, NULL);
    return result;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: c_peer DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    char list_path[4096];
    snprintf(list_path, sizeof list_path, "%s/cases.tsv", dir);
    FILE *list = fopen(list_path, "r");
    if (list == NULL) {
        fprintf(stderr, "c_peer: cannot open %s\n", list_path);
        return 1;
    }
    char line[8192];
    int from_python = 0, from_hodei = 0, skipped = 0, failures = 0;
    while (fgets(line, sizeof line, list) != NULL) {
        char *name = strtok(line, "\t\n");
        char *type = strtok(NULL, "\t\n");
        char *flags = strtok(NULL, "\t\n");
        if (name == NULL || type == NULL || flags == NULL) continue;
        if (strstr(flags, "no-c") != NULL) {
            skipped++;
            continue;
        }
        const ProtobufCMessageDescriptor *descriptor = find_descriptor(type);
        if (descriptor == NULL) {
            fprintf(stderr, "FAIL [protobuf-c] %s: no descriptor for %s\n", name, type);
            failures++;
            continue;
        }
        int r = repack(dir, name, descriptor, ".bin", ".c.bin");
        if (r < 0) failures++;
        if (r > 0) from_python++;
        if (r == 0) {
            fprintf(stderr, "FAIL [protobuf-c] %s: %s.bin is missing\n", name, name);
            failures++;
        }
        r = repack(dir, name, descriptor, ".swift.bin", ".swift.c.bin");
        if (r < 0) failures++;
        if (r > 0) from_hodei++;
    }
    fclose(list);
    printf("c_peer: repacked %d Python encodings and %d Hodei encodings; %d cases skipped (groups), %d failed\n",
           from_python, from_hodei, skipped, failures);
    return failures ? 1 : 0;
}
