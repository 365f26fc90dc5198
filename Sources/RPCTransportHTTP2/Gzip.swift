import CZlib

/// gzip (RFC 1952) for `grpc-encoding: gzip` messages.
enum Gzip {
    enum GzipError: Error, Equatable {
        /// The decompressed message would exceed the receive limit (a "zip bomb" stops here).
        case tooLarge(limit: Int)
        case corrupt
    }

    static func compress(_ input: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        guard CZlib_deflateInitGzip(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else { return input }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, UInt(input.count)))
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = UInt32(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = UInt32(destination.count)
                _ = deflate(&stream, Z_FINISH)
                produced = destination.count - Int(stream.avail_out)
            }
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// Inflates `input`, refusing to produce more than `limit` bytes.
    static func decompress(_ input: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard CZlib_inflateInitGzip(&stream) == Z_OK else { throw .corrupt }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: min(max(input.count * 4, 4096), limit + 1, 1 << 20))
        var status: Int32 = Z_OK
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            repeat {
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: buffer[0..<(buffer.count - Int(stream.avail_out))])
                }
            } while status == Z_OK && output.count <= limit && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard output.count <= limit else { throw .tooLarge(limit: limit) }
        guard status == Z_STREAM_END else { throw .corrupt }
        return output
    }
}
