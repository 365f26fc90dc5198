/* The spawn limit DISPATCH-P is compared with: posix_spawn("/bin/true") and wait, over
 * THREADS threads at once, JOBS in all. Prints one JSON line.
 * Usage: spawn_limit JOBS THREADS */
#include <pthread.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;
static long per_thread;
static long failures;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *spawn_loop(void *unused) {
    (void)unused;
    char *argv[] = {"/bin/true", NULL};
    for (long i = 0; i < per_thread; i++) {
        pid_t pid;
        int status;
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0 || waitpid(pid, &status, 0) != pid ||
            !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s JOBS THREADS\n", argv[0]);
        return 2;
    }
    long jobs = atol(argv[1]);
    int threads = atoi(argv[2]);
    if (jobs <= 0 || threads <= 0 || threads > 64) return 2;
    per_thread = jobs / threads;
    pthread_t ids[64];
    uint64_t start = now_ns();
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, spawn_loop, NULL);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    double seconds = (double)(now_ns() - start) / 1e9;
    long done = per_thread * threads;
    printf("{\"threads\": %d, \"spawns\": %ld, \"failures\": %ld, \"seconds\": %.6f, \"spawns_per_second\": %.1f}\n",
           threads, done, failures, seconds, (double)done / seconds);
    return failures == 0 ? 0 : 1;
}
