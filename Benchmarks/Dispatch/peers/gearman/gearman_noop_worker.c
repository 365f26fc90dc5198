/* A Gearman worker with a no-op function "noop": the peer of hodei-load's simulated
 * workers in DISPATCH-T/L (`make bench-compare`). Usage: gearman_noop_worker HOST PORT */
#include <libgearman/gearman.h>
#include <stdio.h>
#include <stdlib.h>

static void *noop(gearman_job_st *job, void *context, size_t *result_size, gearman_return_t *ret) {
    (void)job;
    (void)context;
    *result_size = 0;
    *ret = GEARMAN_SUCCESS;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s HOST PORT\n", argv[0]);
        return 2;
    }
    gearman_worker_st *worker = gearman_worker_create(NULL);
    if (worker == NULL) return 1;
    if (gearman_worker_add_server(worker, argv[1], (in_port_t)atoi(argv[2])) != GEARMAN_SUCCESS ||
        gearman_worker_add_function(worker, "noop", 0, noop, NULL) != GEARMAN_SUCCESS) {
        fprintf(stderr, "gearman worker: %s\n", gearman_worker_error(worker));
        return 1;
    }
    for (;;) {
        gearman_return_t ret = gearman_worker_work(worker);
        if (ret != GEARMAN_SUCCESS) {
            fprintf(stderr, "gearman worker: %s\n", gearman_worker_error(worker));
            return 1;
        }
    }
}
