import Foundation

/// The themes available to the workbench and how to load one by name.
///
/// Search order (first match of a name wins): the user directory
/// (`$XDG_CONFIG_HOME/dropoutnet/themes`, else `~/.config/dropoutnet/themes`), `themes/` in the
/// current directory, then `themes/` in the package root found above the executable. The
/// built-in `default` and `mono` themes are always listed. Under `NO_COLOR` every theme loads
/// as monochrome.
public struct ThemeCatalog: Sendable {
    public let directories: [String]
    public let noColor: Bool

    public init(directories: [String], noColor: Bool = false) {
        self.directories = directories
        self.noColor = noColor
    }

    /// The catalog for this process: standard directories and the `NO_COLOR` convention
    /// (set and non-empty means no colour).
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = CommandLine.arguments.first
    ) -> ThemeCatalog {
        var dirs: [String] = []
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            dirs.append("\(xdg)/dropoutnet/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            dirs.append("\(home)/.config/dropoutnet/themes")
        }
        dirs.append((currentDirectory as NSString).appendingPathComponent("themes"))
        if let exe = executablePath, let root = packageRoot(above: exe) {
            dirs.append((root as NSString).appendingPathComponent("themes"))
        }
        var unique: [String] = []
        for d in dirs.map({ ($0 as NSString).standardizingPath }) where !unique.contains(d) { unique.append(d) }
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return ThemeCatalog(directories: unique, noColor: noColor)
    }

    /// Walks up from the executable's directory to the first directory holding both
    /// `Package.swift` and `themes/` (a `swift build` binary lives in `.build/<triple>/<config>`).
    static func packageRoot(above executable: String) -> String? {
        let fm = FileManager.default
        var dir = ((executable as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        for _ in 0..<6 {
            if fm.fileExists(atPath: dir + "/Package.swift"), fm.fileExists(atPath: dir + "/themes") { return dir }
            let parent = (dir as NSString).deletingLastPathComponent
            if parent == dir { break }
            dir = parent
        }
        return nil
    }

    /// Theme names, sorted, with the built-ins first.
    public var names: [String] {
        var found = Set<String>()
        for dir in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for f in files where f.hasSuffix(".toml") { found.insert(String(f.dropLast(5))) }
        }
        found.subtract(["default", "mono"])
        return ["default", "mono"] + found.sorted()
    }

    /// The file that defines `name`, if any.
    public func path(of name: String) -> String? {
        for dir in directories {
            let p = (dir as NSString).appendingPathComponent("\(name).toml")
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return nil
    }

    /// Loads `name`. On any problem the result holds the built-in default (or mono) and the
    /// error to show the user; the workbench never fails to start over a theme.
    public func load(_ name: String) -> (theme: Theme, error: ThemeError?) {
        var theme: Theme
        var failure: ThemeError?
        if let path = path(of: name) {
            do { theme = try ThemeFile.load(path: path) } catch let e as ThemeError {
                failure = e
                theme = .builtinDefault
            } catch {
                failure = ThemeError(file: path, message: "\(error)")
                theme = .builtinDefault
            }
        } else if name == "default" {
            theme = .builtinDefault
        } else if name == "mono" {
            theme = .builtinMono
        } else {
            failure = ThemeError(file: "\(name).toml", message: "no theme named '\(name)' in \(directories.joined(separator: ", "))")
            theme = .builtinDefault
        }
        return (noColor ? theme.monochrome : theme, failure)
    }

    /// The theme after `name` in `names` (wrapping), for the `t` key.
    public func next(after name: String) -> String {
        let all = names
        guard let i = all.firstIndex(of: name) else { return all[0] }
        return all[(i + 1) % all.count]
    }
}
