import ExtrasBase64
import RPCCore

/// gRPC metadata and status as HTTP/2 header fields, both directions.
enum HeaderCoding {
    /// Metadata from received headers: transport-owned keys skipped, `-bin` values decoded
    /// (padded or not, as the spec requires accepting both).
    static func metadata(from headers: [(String, String)]) -> Metadata {
        var metadata = Metadata()
        for (name, value) in headers where !Metadata.isReserved(name) {
            if name.hasSuffix("-bin") {
                // Repeated binary values may arrive joined by commas.
                for part in value.split(separator: ",") {
                    let unpadded = String(part.trimmingSpaces.prefix { $0 != "=" })
                    if let bytes = try? unpadded.base64decoded(options: [.omitPaddingCharacter]) {
                        metadata.add(name, binary: bytes)
                    }
                }
            } else {
                metadata.add(name, value)
            }
        }
        return metadata
    }

    /// Metadata as headers to send: reserved keys dropped, binary values base64-encoded.
    static func headers(from metadata: Metadata) -> [(String, String)] {
        metadata.compactMap { entry in
            guard !Metadata.isReserved(entry.key) else { return nil }
            switch entry.value {
            case .string(let value): return (entry.key, value)
            case .binary(let bytes): return (entry.key, String(base64Encoding: bytes, options: [.omitPaddingCharacter]))
            }
        }
    }

    static func statusHeaders(_ status: Status) -> [(String, String)] {
        var headers = [("grpc-status", String(status.code.rawValue))]
        if !status.message.isEmpty { headers.append(("grpc-message", StatusMessageEncoding.encode(status.message))) }
        return headers
    }

    /// The status in a trailers block, if it has one.
    static func status(from headers: [(String, String)]) -> Status? {
        guard let code = headers.first(where: { $0.0 == "grpc-status" }).flatMap({ Int($0.1) }) else { return nil }
        let message = headers.first { $0.0 == "grpc-message" }.map { StatusMessageEncoding.decode($0.1) } ?? ""
        return Status(code: Status.Code(wireValue: code), message: message)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        drop { $0 == " " }
    }
}
