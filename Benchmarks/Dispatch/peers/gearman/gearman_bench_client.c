/* The Gearman side of DISPATCH-T and DISPATCH-L (`make bench-compare`), printing one JSON
 * line like hodei-load's figures.
 *   gearman_bench_client HOST PORT throughput JOBS   foreground tasks added and run in
 *       batches of IN_FLIGHT (as hodei-load keeps 256 SubmitJob in flight): jobs/s from the
 *       first submission to the last WORK_COMPLETE
 *   gearman_bench_client HOST PORT latency JOBS      one gearman_client_do at a time:
 *       p50/p99 of submit -> result
 * Gearman keeps its queue in memory: it is not durable.
 *
 * Why batches: libgearman finds the task of each reply by walking the client's list of
 * tasks in flight, so with all 20,000 added at once a run cost up to 5 s of client CPU, and
 * how much depended on a race (how many JOB_CREATED replies gearmand sent before the first
 * result): repetitions measured anywhere from 4k to 24k jobs/s. In batches of 256 they
 * measure 42-46k, every run. Each job carries its own unique key, as a user would give one;
 * without it libgearman makes a UUID per job (and, with no uuidd, tries its socket first). */
#include <libgearman/gearman.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long completed, failed;
static uint64_t last_complete;

/* Tasks in flight at most (hodei-load's DISPATCH-T runs with --concurrency 256). */
enum { IN_FLIGHT = 256 };

static gearman_return_t on_complete(gearman_task_st *task) {
    (void)task;
    completed++;
    last_complete = now_ns();
    return GEARMAN_SUCCESS;
}

static gearman_return_t on_fail(gearman_task_st *task) {
    (void)task;
    failed++;
    return GEARMAN_SUCCESS;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static double percentile_ms(uint64_t *sorted, long n, double p) {
    long index = (long)(p / 100.0 * (double)n + 0.5) - 1;
    if (index < 0) index = 0;
    if (index >= n) index = n - 1;
    return (double)sorted[index] / 1e6;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s HOST PORT throughput|latency JOBS\n", argv[0]);
        return 2;
    }
    long jobs = atol(argv[4]);
    gearman_client_st *client = gearman_client_create(NULL);
    if (client == NULL || gearman_client_add_server(client, argv[1], (in_port_t)atoi(argv[2])) != GEARMAN_SUCCESS) {
        fprintf(stderr, "gearman client: cannot add server\n");
        return 1;
    }
    if (strcmp(argv[3], "throughput") == 0) {
        gearman_client_add_options(client, GEARMAN_CLIENT_FREE_TASKS);
        gearman_client_set_complete_fn(client, on_complete);
        gearman_client_set_fail_fn(client, on_fail);
        uint64_t start = now_ns();
        char unique[48];
        for (long done = 0; done < jobs;) {
            long batch = jobs - done < IN_FLIGHT ? jobs - done : IN_FLIGHT;
            for (long i = 0; i < batch; i++) {
                gearman_return_t ret;
                snprintf(unique, sizeof unique, "%llx-%ld", (unsigned long long)start, done + i);
                if (gearman_client_add_task(client, NULL, NULL, "noop", unique, "x", 1, &ret) == NULL || ret != GEARMAN_SUCCESS) {
                    fprintf(stderr, "gearman add_task: %s\n", gearman_client_error(client));
                    return 1;
                }
            }
            gearman_return_t ret = gearman_client_run_tasks(client);
            if (ret != GEARMAN_SUCCESS) {
                fprintf(stderr, "gearman run_tasks: %s\n", gearman_client_error(client));
                break;
            }
            done += batch;
        }
        double seconds = (double)(last_complete - start) / 1e9;
        printf("{\"peer\": \"gearman\", \"mode\": \"throughput\", \"jobs\": %ld, \"completed\": %ld, \"failed\": %ld, "
               "\"seconds\": %.6f, \"jobs_per_second\": %.1f}\n",
               jobs, completed, failed, seconds, seconds > 0 ? (double)completed / seconds : 0.0);
        return completed == jobs ? 0 : 1;
    }
    if (strcmp(argv[3], "latency") == 0) {
        uint64_t *latencies = calloc((size_t)jobs, sizeof(uint64_t));
        uint64_t began = now_ns();
        char unique[48];
        for (long i = 0; i < jobs; i++) {
            size_t size = 0;
            gearman_return_t ret;
            snprintf(unique, sizeof unique, "%llx-l%ld", (unsigned long long)began, i);
            uint64_t start = now_ns();
            void *result = gearman_client_do(client, "noop", unique, "x", 1, &size, &ret);
            latencies[i] = now_ns() - start;
            free(result);
            if (ret != GEARMAN_SUCCESS) {
                fprintf(stderr, "gearman do: %s\n", gearman_client_error(client));
                return 1;
            }
        }
        qsort(latencies, (size_t)jobs, sizeof(uint64_t), compare_u64);
        printf("{\"peer\": \"gearman\", \"mode\": \"latency\", \"jobs\": %ld, \"p50_ms\": %.4f, \"p99_ms\": %.4f, \"max_ms\": %.4f}\n",
               jobs, percentile_ms(latencies, jobs, 50), percentile_ms(latencies, jobs, 99), (double)latencies[jobs - 1] / 1e6);
        return 0;
    }
    fprintf(stderr, "mode must be throughput or latency\n");
    return 2;
}
