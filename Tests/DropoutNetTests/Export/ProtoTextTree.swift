import Foundation

/// A minimal reader of protobuf text format for the export tests: blocks and scalar fields,
/// comments dropped, so tests can ask for `model_config.dropoutnet.softmax_loss.gamma`.
struct ProtoTextTree {
    var fields: [(String, String)] = []
    var blocks: [(String, ProtoTextTree)] = []

    struct ParseError: Error { let line: Int; let message: String }

    static func parse(_ text: String) throws -> ProtoTextTree {
        var stack = [ProtoTextTree()]
        var names: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(raw)
            if let hash = line.firstIndex(of: "#"), !line[..<hash].contains("\"") { line = String(line[..<hash]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasSuffix("{") {
                names.append(String(line.dropLast()).trimmingCharacters(in: .whitespaces))
                stack.append(ProtoTextTree())
            } else if line == "}" {
                guard stack.count > 1 else { throw ParseError(line: i + 1, message: "unbalanced }") }
                let done = stack.removeLast()
                stack[stack.count - 1].blocks.append((names.removeLast(), done))
            } else if let colon = line.firstIndex(of: ":") {
                var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if let hash = value.range(of: "  #") { value = String(value[..<hash.lowerBound]) }
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                stack[stack.count - 1].fields.append((String(line[..<colon]), value))
            } else {
                throw ParseError(line: i + 1, message: "cannot read '\(line)'")
            }
        }
        guard stack.count == 1 else { throw ParseError(line: 0, message: "unclosed block") }
        return stack[0]
    }

    /// All values of a dotted path ("model_config.dropoutnet.user_tower.hidden_units").
    func values(_ path: String) -> [String] {
        let parts = path.split(separator: ".").map(String.init)
        if parts.count == 1 { return fields.filter { $0.0 == parts[0] }.map(\.1) }
        return blocks.filter { $0.0 == parts[0] }.flatMap { $0.1.values(parts.dropFirst().joined(separator: ".")) }
    }

    func value(_ path: String) -> String? { values(path).first }

    func children(_ path: String) -> [ProtoTextTree] {
        let parts = path.split(separator: ".").map(String.init)
        let here = blocks.filter { $0.0 == parts[0] }.map(\.1)
        if parts.count == 1 { return here }
        return here.flatMap { $0.children(parts.dropFirst().joined(separator: ".")) }
    }
}
