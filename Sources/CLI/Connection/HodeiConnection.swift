import JobAPI
import RPCCore
import RPCTransportHTTP2

/// One command's link to a Hodei server: the service clients over one HTTP/2 connection, the
/// token as metadata, the unary deadline, and the translation of failures into ``CLIError``s.
struct HodeiConnection: Sendable {
    let settings: ConnectionSettings
    let jobs: Hodei_V1_JobServiceClient
    let workers: Hodei_V1_WorkerServiceClient
    private let client: GRPCClient

    /// Attempts of a unary call that fails with UNAVAILABLE, and the waits between them.
    static let retryDelays: [Duration] = [.milliseconds(250), .milliseconds(750)]

    /// - Throws: ``CLIError`` when TLS files cannot be loaded.
    init(_ settings: ConnectionSettings) throws {
        self.settings = settings
        var configuration = GRPCClientConfiguration()
        configuration.connectTimeout = min(.seconds(5), settings.rpcTimeout)
        // The client refuses calls while it backs off after a failed connection; keep that
        // shorter than the CLI's own retry delays so that a retry really reconnects.
        configuration.backoff.initial = .milliseconds(100)
        configuration.backoff.maximum = .milliseconds(200)
        do {
            client = try GRPCClient(host: settings.address.host, port: settings.address.port,
                                    configuration: configuration, tls: settings.tls)
        } catch {
            throw CLIError("cannot set up TLS: " + CLIError.oneLine("\(error)"))
        }
        jobs = Hodei_V1_JobServiceClient(transport: client)
        workers = Hodei_V1_WorkerServiceClient(transport: client)
    }

    /// `authorization: Bearer <token>` when a token was given.
    var metadata: Metadata {
        guard let token = settings.token, !token.isEmpty else { return [:] }
        return ["authorization": "Bearer \(token)"]
    }

    /// Options of request/response calls: the --rpc-timeout deadline.
    var unaryOptions: RPCCallOptions { RPCCallOptions(timeout: settings.rpcTimeout) }

    /// Runs a request/response call, repeating it while it fails with UNAVAILABLE (every call
    /// the CLI makes may safely be repeated: submissions carry an idempotency key).
    /// - Throws: ``CLIError`` for any RPC failure.
    func unary<Response>(_ subject: CLIError.Subject,
                         _ call: (_ metadata: Metadata, _ options: RPCCallOptions) async throws -> Response) async throws -> Response {
        var delays = Self.retryDelays[...]
        while true {
            do {
                return try await call(metadata, unaryOptions)
            } catch let error as RPCError where error.code == .unavailable && !delays.isEmpty {
                try await Task.sleep(for: delays.removeFirst())
            } catch {
                throw failure(error, subject: subject)
            }
        }
    }

    /// `error` as the CLI reports it: RPC failures become ``CLIError``s (UNAVAILABLE probes the
    /// server to say why it cannot be reached); other errors pass through.
    func failure(_ error: any Error, subject: CLIError.Subject) -> any Error {
        guard let error = error as? RPCError else { return error }
        let reachability = error.code == .unavailable ? ReachabilityProbe.probe(settings.address) : nil
        return CLIError.describing(error, subject: subject, address: settings.address, rpcTimeout: settings.rpcTimeout,
                                   hadToken: !(settings.token ?? "").isEmpty, reachability: reachability)
    }

    /// Closes the connection.
    func close() async {
        try? await client.shutdown()
    }
}

extension ConnectionOptions {
    /// Runs `body` with a connection made from these options, closing it afterwards.
    func withConnection<Result>(_ body: (HodeiConnection) async throws -> Result) async throws -> Result {
        let connection = try HodeiConnection(settings())
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
