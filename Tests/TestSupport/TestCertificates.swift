import Foundation

/// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with
/// the `openssl` command in a temporary folder.
public struct TestCertificates: Sendable {
    public let directory: URL
    public var caPath: String { directory.appendingPathComponent("ca.pem").path }
    public var serverChainPath: String { directory.appendingPathComponent("server.pem").path }
    public var serverKeyPath: String { directory.appendingPathComponent("server.key").path }
    public var clientChainPath: String { directory.appendingPathComponent("client.pem").path }
    public var clientKeyPath: String { directory.appendingPathComponent("client.key").path }
    public var otherCAPath: String { directory.appendingPathComponent("other-ca.pem").path }

    public static func make() throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hodei-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = """
        set -e
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=hodei-test-ca -keyout ca.key -out ca.pem
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca -keyout other-ca.key -out other-ca.pem
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > server.ext
        openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem
        openssl req -newkey rsa:2048 -nodes -subj /CN=hodei-agent -keyout client.key -out client.csr
        openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return TestCertificates(directory: directory)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
