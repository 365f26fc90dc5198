import JobAPI
import ProtoRuntime

/// The compiled `.proto` files a Hodei server describes through reflection.
public enum StandardAPIFiles {
    /// Hodei's API, the standard services, and the well-known types they import.
    public static let all: [ProtoFileDescriptor] = [
        ProtoFiles.hodei_v1_common, ProtoFiles.hodei_v1_job_service, ProtoFiles.hodei_v1_worker_service,
        ProtoFiles.grpc_health_v1_health, ProtoFiles.grpc_reflection_v1_reflection, ProtoFiles.grpc_reflection_v1alpha_reflection,
        ProtoFiles.google_protobuf_timestamp, ProtoFiles.google_protobuf_duration, ProtoFiles.google_protobuf_empty,
    ]
}
