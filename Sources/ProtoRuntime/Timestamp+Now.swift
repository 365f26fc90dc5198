#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

extension Google_Protobuf_Timestamp {
    /// The current wall-clock time (CLOCK_REALTIME). Here rather than in each executable:
    /// it needs only the C library, so no module that uses the runtime gains Foundation.
    public static var now: Google_Protobuf_Timestamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        var timestamp = Google_Protobuf_Timestamp()
        timestamp.seconds = Int64(time.tv_sec)
        timestamp.nanos = Int32(time.tv_nsec)
        return timestamp
    }

    /// Seconds since the Unix epoch, as a floating-point number.
    public var secondsSince1970: Double { Double(seconds) + Double(nanos) / 1e9 }
}
