// The logical content of the benchmark messages, as plain Swift values. Both
// implementations build their messages from these, so they encode the same content.
// Every field of each message is set (non-default), so every field is on the wire.

enum Fixture {
    // MARK: LogEntry (hodei.v1.LogEntry) with a 200-byte line

    static let jobId = "job-01JD7Q3K8V5M2X9R4T6W0Y1ZCB"
    static let logAttempt: UInt32 = 2
    static let logSequence: UInt64 = 184_467
    static let logTimestamp = (seconds: Int64(1_795_468_812), nanos: Int32(417_233_081))
    // stream = LOG_STREAM_STDOUT (set by each side as `.stdout`)
    static let logPartial = true
    static let logLine: [UInt8] = {
        let s = "2026-11-23T19:46:52.417Z INFO  etl.loader: loaded batch 1842/5000 from "
            + "s3://acme-datalake/raw/events/2026/11/23/part-01842.parquet rows=65536 "
            + "bytes=48211734 elapsed_ms=412 retries=0 "
        let pad = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        var bytes = Array(s.utf8)
        precondition(bytes.count <= 200)
        var i = 0
        while bytes.count < 200 { bytes.append(pad[i % pad.count]); i += 1 }
        return bytes
    }()

    // MARK: AssignJobRequest (hodei.v1.AssignJobRequest) with 20 env vars and 10 args

    static let assignAttempt: UInt32 = 1
    static let argv: [String] = [
        "/usr/bin/python3", "-m", "etl.pipeline", "--input",
        "s3://acme-datalake/raw/events/2026/11/23/", "--output",
        "s3://acme-datalake/curated/events/2026/11/23/", "--format", "parquet", "--verbose",
    ]
    static let env: [(String, String)] = [
        ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        ("HOME", "/var/lib/hodei/home"),
        ("LANG", "C.UTF-8"),
        ("TZ", "UTC"),
        ("USER", "hodei-job"),
        ("SHELL", "/bin/sh"),
        ("TMPDIR", "/var/lib/hodei/tmp/job-01JD7Q3K8V5M2X9R4T6W0Y1ZCB"),
        ("PYTHONUNBUFFERED", "1"),
        ("PYTHONPATH", "/opt/etl/lib:/opt/etl/vendor"),
        ("AWS_REGION", "eu-west-1"),
        ("AWS_DEFAULT_REGION", "eu-west-1"),
        ("ETL_BATCH_SIZE", "65536"),
        ("ETL_MAX_RETRIES", "5"),
        ("ETL_LOG_LEVEL", "info"),
        ("ETL_RUN_DATE", "2026-11-23"),
        ("ETL_WAREHOUSE_URL", "postgres://etl@warehouse.internal:5432/analytics"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.internal:4317"),
        ("OTEL_SERVICE_NAME", "etl-pipeline"),
        ("HODEI_JOB_ID", "job-01JD7Q3K8V5M2X9R4T6W0Y1ZCB"),
        ("HODEI_ATTEMPT", "1"),
    ]
    static let workingDir = "/var/lib/hodei/jobs/job-01JD7Q3K8V5M2X9R4T6W0Y1ZCB"
    static let timeout = (seconds: Int64(3_600), nanos: Int32(0))
    static let resources = (cpuMillicores: UInt32(2_000), memoryMb: UInt32(4_096), gpus: UInt32(1))
    // priority = PRIORITY_HIGH (set by each side as `.high`)
    static let requiredLabels: [(String, String)] = [
        ("os", "linux"), ("arch", "amd64"), ("zone", "eu-west-1a"),
    ]
    static let maxAttempts: UInt32 = 3
    static let jobName = "nightly-events-etl"
    static let labels: [(String, String)] = [
        ("team", "data"), ("workflow", "wf-12"), ("owner", "alice"),
    ]

    // MARK: JobResult (hodei.v1.JobResult)

    static let resultAttempt: UInt32 = 1
    /// The oneof `termination` holds exit_code.
    static let exitCode: Int32 = 2
    // final_state = JOB_STATE_FAILED (set by each side as `.failed`)
    static let duration = (seconds: Int64(754), nanos: Int32(318_000_000))
    static let cpuTime = (seconds: Int64(1_203), nanos: Int32(77_512_000))
    static let peakMemoryBytes: UInt64 = 3_221_225_472
    static let errorMessage = "process exited with status 2: ModuleNotFoundError: No module named 'pyarrow'"
    static let startedAt = (seconds: Int64(1_795_468_058), nanos: Int32(102_004_000))
    static let finishedAt = (seconds: Int64(1_795_468_812), nanos: Int32(420_004_000))
    static let lastLogSequence: UInt64 = 184_467

    // MARK: Blob (hodei.bench.v1.Blob) with 1 MiB of bytes

    static let blob: [UInt8] = {
        // xorshift: incompressible, deterministic content.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<(1 << 20)).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }()
}
