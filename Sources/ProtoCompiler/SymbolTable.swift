/// Every name declared by a set of loaded files, for resolution and duplicate checks.
struct SymbolTable {
    enum Kind: Equatable {
        case package, message, enumeration, enumValue, service, method

        var isAggregate: Bool { self == .package || self == .message || self == .service }
        var isType: Bool { self == .message || self == .enumeration }

        /// "a service", "an enum value": for error messages.
        var withArticle: String {
            switch self {
            case .package: return "a package"
            case .message: return "a message"
            case .enumeration: return "an enum"
            case .enumValue: return "an enum value"
            case .service: return "a service"
            case .method: return "a method"
            }
        }
    }

    struct Symbol {
        var kind: Kind
        /// The file that declares it (packages: the first file seen).
        var file: String
        var location: SourceLocation
        var swiftFullName: String
    }

    private(set) var symbols: [String: Symbol] = [:]

    subscript(fullName: String) -> Symbol? { symbols[fullName] }

    mutating func addPackage(_ package: String, file: String, location: SourceLocation) throws(CompileError) {
        var name = ""
        for component in package.split(separator: ".") {
            name += name.isEmpty ? String(component) : "." + component
            if let existing = symbols[name] {
                guard existing.kind == .package else {
                    throw CompileError("\"\(name)\" is already defined (as \(existing.kind.withArticle)) in file \"\(existing.file)\"", at: location)
                }
            } else {
                symbols[name] = Symbol(kind: .package, file: file, location: location, swiftFullName: "")
            }
        }
    }

    mutating func add(_ fullName: String, kind: Kind, file: String, location: SourceLocation, swiftFullName: String, scopeForMessage: String? = nil) throws(CompileError) {
        if let existing = symbols[fullName] {
            var message = "\"\(fullName)\" is already defined in file \"\(existing.file)\""
            if kind == .enumValue, let scope = scopeForMessage {
                let shortName = fullName.split(separator: ".").last.map(String.init) ?? fullName
                message += "; enum values use C++ scoping rules (they are siblings of their enum), so \"\(shortName)\" must be unique within \"\(scope.isEmpty ? "the package" : scope)\""
            }
            throw CompileError(message, at: location)
        }
        symbols[fullName] = Symbol(kind: kind, file: file, location: location, swiftFullName: swiftFullName)
    }

    /// Registers a file's declarations; `swiftPrefix` replaces the package prefix of type names.
    mutating func register(_ file: ProtoFileAST, swiftPrefix: String) throws(CompileError) {
        let scope = file.package
        if !scope.isEmpty {
            try addPackage(scope, file: file.path, location: SourceLocation(file: file.path, line: 1, column: 1))
        }
        for message in file.messages {
            try register(message, scope: scope, swiftParent: nil, swiftPrefix: swiftPrefix, file: file.path)
        }
        for enumeration in file.enums {
            try register(enumeration, scope: scope, swiftParent: nil, swiftPrefix: swiftPrefix, file: file.path)
        }
        for service in file.services {
            let serviceName = Self.join(scope, service.name)
            try add(serviceName, kind: .service, file: file.path, location: service.location, swiftFullName: SwiftNaming.topLevelName(swiftPrefix, service.name))
            for method in service.methods where symbols[Self.join(serviceName, method.name)] == nil {
                try add(Self.join(serviceName, method.name), kind: .method, file: file.path, location: method.location, swiftFullName: "")
            }
        }
    }

    private mutating func register(_ message: MessageAST, scope: String, swiftParent: String?, swiftPrefix: String, file: String) throws(CompileError) {
        let fullName = Self.join(scope, message.name)
        let swiftName = swiftParent.map { $0 + "." + SwiftNaming.typeName(message.name) } ?? SwiftNaming.topLevelName(swiftPrefix, message.name)
        try add(fullName, kind: .message, file: file, location: message.location, swiftFullName: swiftName)
        for nested in message.messages {
            try register(nested, scope: fullName, swiftParent: swiftName, swiftPrefix: swiftPrefix, file: file)
        }
        for enumeration in message.enums {
            try register(enumeration, scope: fullName, swiftParent: swiftName, swiftPrefix: swiftPrefix, file: file)
        }
    }

    private mutating func register(_ enumeration: EnumAST, scope: String, swiftParent: String?, swiftPrefix: String, file: String) throws(CompileError) {
        let fullName = Self.join(scope, enumeration.name)
        let swiftName = swiftParent.map { $0 + "." + SwiftNaming.typeName(enumeration.name) } ?? SwiftNaming.topLevelName(swiftPrefix, enumeration.name)
        try add(fullName, kind: .enumeration, file: file, location: enumeration.location, swiftFullName: swiftName)
        for value in enumeration.values {
            try add(Self.join(scope, value.name), kind: .enumValue, file: file, location: value.location, swiftFullName: "", scopeForMessage: scope)
        }
    }

    static func join(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : scope + "." + name
    }

    /// Resolves a type name written in `scope` as protoc does: a leading dot means fully
    /// qualified; otherwise the first component is looked up from the innermost scope
    /// outwards and the rest is resolved inside what it names.
    ///
    /// With `typesOnly` (field types), a single-part name that finds something other than a
    /// type keeps searching outward; without it (method types, as protoc), the first match wins.
    func resolve(_ written: String, scope: String, typesOnly: Bool, at location: SourceLocation) throws(CompileError) -> (String, Symbol) {
        if written.hasPrefix(".") {
            let fullName = String(written.dropFirst())
            guard let symbol = symbols[fullName] else { throw CompileError("\"\(written)\" is not defined", at: location) }
            return (fullName, symbol)
        }
        let firstComponent = written.split(separator: ".", maxSplits: 1).first.map(String.init) ?? written
        var searchScope = scope
        while true {
            let candidate = Self.join(searchScope, firstComponent)
            if let found = symbols[candidate] {
                if firstComponent == written {
                    if !typesOnly || found.kind.isType { return (candidate, found) }
                } else if found.kind.isAggregate {
                    let fullName = Self.join(searchScope, written)
                    guard let symbol = symbols[fullName] else {
                        throw CompileError("\"\(written)\" is resolved to \"\(fullName)\", which is not defined; the innermost scope is searched first in name resolution, so use a leading \".\" (\".\(written)\") to start from the outermost scope", at: location)
                    }
                    return (fullName, symbol)
                }
            }
            if searchScope.isEmpty { break }
            if let dot = searchScope.lastIndex(of: ".") {
                searchScope = String(searchScope[..<dot])
            } else {
                searchScope = ""
            }
        }
        throw CompileError("\"\(written)\" is not defined", at: location)
    }
}
