import ArgumentParser
import DropoutNet
import Foundation
import Numerics

/// `dropoutnet export easyrec`: settings → an EasyRec pipeline.config (DESIGN §9), and with
/// `--out DIR` the data EasyRec trains on.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export tuned settings to other systems.",
        subcommands: [ExportEasyRec.self])
}

struct ExportEasyRec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "easyrec",
        abstract: "Write an EasyRec pipeline.config for DropoutNet (and its train.csv / eval.csv) from a checkpoint or a settings file.",
        discussion: """
            Settings that EasyRec cannot reproduce are listed on stderr and as comments in the file. \
            Check the result with scripts/check_easyrec_config.py against EasyRec's .proto files.

            With --out DIR (any path not ending in .config) the directory gets pipeline.config and, from \
            the checkpoint's data and split (or --config with --data), train.csv (the training \
            interactions) and eval.csv (the validation interactions) in input_fields order, shuffled with \
            the run's seed, holding the preference vectors the model was fed; the config's paths point at \
            them. Train them with scripts/easyrec_train.sh DIR.
            """)

    @Option(help: "A checkpoint (.dnckpt): its settings and dataset identity.") var checkpoint: String?
    @Option(help: "A TOML file of settings (the --set keys).") var config: String?
    @Option(name: .customLong("set"), help: "Override one setting (KEY=VALUE); repeatable.") var assignments: [String] = []
    @Option(help: "A .config file, or a directory for pipeline.config, train.csv and eval.csv (default: the config on stdout).")
    var out: String?
    @Option(name: .customLong("easyrec-version"), help: "The EasyRec release to write for: 0.7 (pai-easy-rec 0.7.1 on PyPI) or 0.8.")
    var easyRecVersion: String = EasyRecDialect.pypi.rawValue
    @OptionGroup(title: "Data options (the dataset whose columns become feature_configs)") var dataOptions: DataOptions

    func validate() throws {
        if (checkpoint == nil) == (config == nil) {
            throw ValidationError("give exactly one of --checkpoint FILE or --config FILE")
        }
        if EasyRecDialect(rawValue: easyRecVersion) == nil {
            throw ValidationError("--easyrec-version: expected one of \(EasyRecDialect.allCases.map(\.rawValue).joined(separator: ", ")), got '\(easyRecVersion)'")
        }
        if writesDirectory && checkpoint == nil && dataOptions.data == nil {
            throw ValidationError("--out DIR writes the data too: give --checkpoint FILE, or --config FILE with --data DIR")
        }
        if writesDirectory && checkpoint != nil && !assignments.isEmpty {
            throw ValidationError("--set does not apply with --checkpoint and --out DIR: the data is written as the checkpoint's model was fed")
        }
    }

    /// Whether `--out` names a directory (an existing one, or any path not ending in `.config`).
    var writesDirectory: Bool {
        guard let out else { return false }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) { return isDirectory.boolValue }
        return !out.hasSuffix(".config")
    }

    var dialect: EasyRecDialect { EasyRecDialect(rawValue: easyRecVersion) ?? .pypi }

    func run() throws {
        if writesDirectory { return try writeDirectory(URL(fileURLWithPath: out!)) }
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
        var export = EasyRecExport(settings: settings, schema: schema)
        export.dialect = dialect
        let output = try export.render()
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

    /// pipeline.config, train.csv and eval.csv in `dir`, from the checkpoint's data, split and
    /// WMF vectors (or, with --config, the data's split and a WMF fit with the settings).
    func writeDirectory(_ dir: URL) throws {
        var settings: Settings
        let data: TrainingData
        var wmf: (users: Matrix, items: Matrix)?
        if let checkpoint {
            let (c, d) = try CheckpointInputs.load(checkpoint: checkpoint, dataOptions: dataOptions, quiet: false)
            let trainer = try ModelCheckpoint.trainer(from: c, data: d, file: checkpoint)
            settings = trainer.initialSettings
            data = d
            wmf = trainer.wmfFactors
        } else {
            settings = try SettingsFile.resolve(config: URL(fileURLWithPath: config!), assignments: assignments)
            for a in assignments { try settings.apply(assignment: a) }
            data = try dataOptions.prepare(encoderOptions: settings.encoderOptions)
        }
        try settings.validate()
        if wmf == nil && (settings.userPreference == .wmf || settings.itemPreference == .wmf) {
            Console.note("fitting WMF (rank \(settings.wmfRank)) for the preference vectors …")
            wmf = try Trainer.fitWMF(data: data, settings: settings)
        }
        var export = EasyRecExport(settings: settings, schema: EasyRecSchema(dataset: data.dataset, trainInteractions: data.split.train.count))
        export.dialect = dialect
        export.values = try EasyRecValues(data: data, settings: settings, wmf: wmf)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let absolute = dir.standardizedFileURL.path
        export.trainInputPath = absolute + "/train.csv"
        export.evalInputPath = absolute + "/eval.csv"
        export.modelDir = absolute + "/model"
        let files = try export.renderWithData(data)
        for n in files.config.notes { FileHandle.standardError.write(Data("note: \(n)\n".utf8)) }
        // The data first: the config appears only once the files it names are complete.
        try AtomicWriter.write(files.train, to: dir.appendingPathComponent("train.csv"))
        try AtomicWriter.write(files.eval, to: dir.appendingPathComponent("eval.csv"))
        try AtomicWriter.write(files.users, to: dir.appendingPathComponent("users.csv"))
        try AtomicWriter.write(files.items, to: dir.appendingPathComponent("items.csv"))
        // The embeddings script adds log q when this file is there: never leave an earlier export's.
        let logQ = dir.appendingPathComponent(EasyRecExport.itemLogQFile)
        if let text = files.itemLogQ {
            try AtomicWriter.write(text, to: logQ)
        } else if FileManager.default.fileExists(atPath: logQ.path) {
            try FileManager.default.removeItem(at: logQ)
        }
        try AtomicWriter.write(files.config.text, to: dir.appendingPathComponent("pipeline.config"))
        FileHandle.standardError.write(Data("wrote \(dir.path): pipeline.config (EasyRec \(export.dialect.rawValue)), train.csv (\(files.trainRows) rows), eval.csv (\(files.evalRows) rows), users.csv and items.csv (one row per entity, for the embeddings)\(files.itemLogQ == nil ? "" : ", \(EasyRecExport.itemLogQFile) (log q(item), added to EasyRec's scores)")\n".utf8))
    }
}

/// A checkpoint may carry the dataset's column schema under metadata "easyrec_schema" so that
/// `export easyrec --checkpoint` declares the real feature columns.
enum ExportSchemaJSON {
    static func decode(_ value: JSONValue) throws -> EasyRecSchema {
        try EasyRecSchema(json: value)
    }
}
