import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet export easyrec`: settings → an EasyRec pipeline.config (DESIGN §9).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export tuned settings to other systems.",
        subcommands: [ExportEasyRec.self])
}

struct ExportEasyRec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "easyrec",
        abstract: "Write an EasyRec pipeline.config for DropoutNet from a checkpoint or a settings file.",
        discussion: """
            Settings that EasyRec cannot reproduce are listed on stderr and as comments in the file. \
            Check the result with scripts/check_easyrec_config.py against EasyRec's .proto files.
            """)

    @Option(help: "A checkpoint (.dnckpt): its settings and dataset identity.") var checkpoint: String?
    @Option(help: "A TOML file of settings (the --set keys).") var config: String?
    @Option(name: .customLong("set"), help: "Override one setting (KEY=VALUE); repeatable.") var assignments: [String] = []
    @Option(help: "Output file (default: stdout).") var out: String?
    @OptionGroup(title: "Data options (the dataset whose columns become feature_configs)") var dataOptions: DataOptions

    func validate() throws {
        if (checkpoint == nil) == (config == nil) {
            throw ValidationError("give exactly one of --checkpoint FILE or --config FILE")
        }
    }

    func run() throws {
        var settings: Settings
        var schema = EasyRecSchema()
        if let checkpoint {
            let c = try Checkpoint.read(from: URL(fileURLWithPath: checkpoint))
            do { settings = try c.header.settingsValue() } catch let e as SettingsError {
                throw UsageError("\(checkpoint): \(e)")
            }
            if let stored = c.header.metadata["easyrec_schema"], let decoded = try? ExportSchemaJSON.decode(stored) {
                schema = decoded
            } else {
                schema = EasyRecSchema(datasetName: c.header.dataset.name, users: c.header.dataset.users, items: c.header.dataset.items)
            }
        } else {
            // The model named in the file or a --set picks the defaults (the --sets below are idempotent).
            settings = try SettingsFile.resolve(config: URL(fileURLWithPath: config!), assignments: assignments)
        }
        if schema.userColumns.isEmpty && schema.itemColumns.isEmpty && (config != nil || dataOptions.data != nil) {
            let (dataset, split) = try dataOptions.load()
            schema = EasyRecSchema(dataset: dataset, trainInteractions: split.train.count)
        }
        for a in assignments { try settings.apply(assignment: a) }
        try settings.validate()
        if schema.userColumns.isEmpty && schema.itemColumns.isEmpty {
            FileHandle.standardError.write(Data("note: no dataset columns known; the export declares the ids and preference features only — add content feature_configs for your columns\n".utf8))
        }
        let output = try EasyRecExport(settings: settings, schema: schema).render()
        for n in output.notes {
            FileHandle.standardError.write(Data("note: \(n)\n".utf8))
        }
        if let out {
            try AtomicWriter.write(output.text, to: URL(fileURLWithPath: out))
            FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
        } else {
            print(output.text, terminator: "")
        }
    }
}

/// A checkpoint may carry the dataset's column schema under metadata "easyrec_schema" so that
/// `export easyrec --checkpoint` declares the real feature columns.
enum ExportSchemaJSON {
    static func decode(_ value: JSONValue) throws -> EasyRecSchema {
        try EasyRecSchema(json: value)
    }
}
