/// Builds protobuf text format (the `pipeline.config` syntax) with comments and indentation.
struct ProtoTextWriter {
    private(set) var text = ""
    private var depth = 0

    private var indent: String { String(repeating: "  ", count: depth) }

    mutating func comment(_ line: String) {
        for part in line.split(separator: "\n", omittingEmptySubsequences: false) {
            text += indent + "#" + (part.isEmpty ? "" : " " + part) + "\n"
        }
    }

    mutating func blank() { text += "\n" }

    mutating func field(_ name: String, _ value: String, comment: String? = nil) {
        text += indent + name + ": " + value + (comment.map { "  # " + $0 } ?? "") + "\n"
    }

    mutating func string(_ name: String, _ value: String, comment: String? = nil) {
        field(name, ProtoTextWriter.quote(value), comment: comment)
    }

    mutating func int(_ name: String, _ value: Int, comment: String? = nil) { field(name, String(value), comment: comment) }

    mutating func float(_ name: String, _ value: Double, comment: String? = nil) {
        field(name, ProtoTextWriter.number(value), comment: comment)
    }

    mutating func bool(_ name: String, _ value: Bool, comment: String? = nil) { field(name, value ? "true" : "false", comment: comment) }

    mutating func block(_ name: String, _ body: (inout ProtoTextWriter) -> Void) {
        text += indent + name + " {\n"
        depth += 1
        body(&self)
        depth -= 1
        text += indent + "}\n"
    }

    /// Floats as the shortest text that reads back to the same value ("0.001", "1e-06", "10.0").
    static func number(_ v: Double) -> String {
        let s = "\(v)"
        return s.contains(".") || s.contains("e") || s.contains("n") ? s : s + ".0"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
