import Logging

/// One line per event on a file descriptor (standard error by default), in the format of
/// swift-log's StreamLogHandler: `2026-11-24T08:45:50+0000 info label: key=value … [source] message`.
///
/// Why not StreamLogHandler: an agent logs two lines per job, and at info level they took
/// about a fifth of its CPU per `/bin/true` job. On every event StreamLogHandler merges the
/// logger's metadata into a new dictionary, sorts it, formats the time with localtime and
/// strftime, and builds the line through several interpolations. Here the logger's own metadata is
/// rendered and sorted once, when it is set; the time text is formatted once per second and
/// shared; the line is built in one buffer and written with one write(2).
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    public var metadata: Logger.Metadata = [:] {
        didSet { rendered = RenderedMetadata(metadata) }
    }

    private let label: String
    private let output: LineOutput
    private var rendered = RenderedMetadata([:])

    public init(label: String, output: LineOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = output.timestamp()
        line.reserveCapacity(256)
        line += " "
        line += event.level.rawValue
        if !label.isEmpty {
            line += " "
            line += label
        }
        line += ":"
        rendered.append(merging: eventMetadata(event), to: &line)
        line += " ["
        line += event.source
        line += "] "
        line += event.message.description
        line += "\n"
        output.write(line)
    }

    /// What this event adds to the logger's metadata: the provider's, the call's, the error.
    private func eventMetadata(_ event: LogEvent) -> Logger.Metadata {
        var extra = metadataProvider?.get() ?? [:]
        if let explicit = event.metadata { extra.merge(explicit) { _, explicit in explicit } }
        if let error = event.error {
            extra["error.message"] = "\(error)"
            extra["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        return extra
    }
}
