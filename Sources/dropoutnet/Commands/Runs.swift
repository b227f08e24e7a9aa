import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet runs list | show RUN | compare RUN RUN…`: the run store, readable without SQL.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show and compare recorded runs.",
        discussion: "Runs are recorded in RUNS/runs.sqlite (default ./runs); a RUN is its id, a unique prefix of it, or 'last'.",
        subcommands: [RunsList.self, RunsShow.self, RunsCompare.self],
        defaultSubcommand: RunsList.self)
}

struct RunsOptions: ParsableArguments {
    @Option(name: .customLong("runs"), help: "The runs directory (holds runs.sqlite).")
    var runs: String = RunStore.defaultDirectory

    @Flag(help: "Print one JSON object on stdout.")
    var json = false

    func open() throws -> RunStore {
        do { return try RunStore(directory: URL(fileURLWithPath: runs), create: false) } catch let e as RunStoreError {
            throw UsageError(e.description)
        }
    }
}

struct RunsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "One line per run, oldest first, with its best metrics.")
    @OptionGroup var options: RunsOptions

    func run() throws {
        let store: RunStore
        do { store = try options.open() } catch is UsageError where !FileManager.default.fileExists(atPath: options.runs) {
            // No runs directory yet is an empty list, not an error.
            if options.json { print(try JSONOutput.text(RunsReport.List(runs: []), pretty: true)) } else { print("no runs in \(options.runs) (no \(RunStore.fileName) yet)") }
            return
        }
        let runs = try store.listRuns()
        let best = try runs.map { try store.bestEvaluation($0.id) }
        let inForce = try zip(runs, best).map { try store.settingsInForce($0, best: $1) }
        if options.json {
            let summaries = runs.indices.map { RunsReport.Summary(runs[$0], best: best[$0], changedLive: inForce[$0].changedLive) }
            print(try JSONOutput.text(RunsReport.List(runs: summaries), pretty: true))
            return
        }
        if runs.isEmpty { print("no runs in \(options.runs)"); return }
        var table = TextTable(["RUN", "CREATED", "STATUS", "MODEL", "DATASET", "STEPS", "LOSS",
                               "WARM R@20", "COLD-USER R@20", "COLD-ITEM R@20", "CHANGED LIVE"], rightAligned: [5, 6, 7, 8, 9])
        for (i, (r, b)) in zip(runs, best).enumerated() {
            table.add([r.id.rawValue, RunsFormat.time(r.created), r.status.rawValue, r.model, r.dataset.name,
                       r.lastStep.map(String.init) ?? "-", RunsFormat.number(r.lastLoss),
                       RunsFormat.recallAt20(b, split: "warm"), RunsFormat.recallAt20(b, split: "cold_user"),
                       RunsFormat.recallAt20(b, split: "cold_item"),
                       inForce[i].changedLive.isEmpty ? "-" : inForce[i].changedLiveText])
        }
        print(table.render(), terminator: "")
        if best.contains(where: { b in ["warm", "cold_user", "cold_item"].contains { b?.testOrValidation(split: $0, key: "recall@20")?.isValidation == true } }) {
            print("v: validation recall@20 at the best step (the run has no test evaluation: stopped, failed or still running)")
        }
        if inForce.contains(where: { !$0.changedLive.isEmpty }) {
            print("CHANGED LIVE: settings moved during the run, up to its best step; `runs show RUN` lists the changes")
        }
    }
}

struct RunsShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Everything recorded about one run.")
    @Argument(help: ArgumentHelp("Run id, unique prefix, or 'last'.", valueName: "run")) var runID: String
    @OptionGroup var options: RunsOptions

    func run() throws {
        let store = try options.open()
        let r = try RunsFormat.resolve(store, runID)
        let losses = try store.lossSeries(r.id)
        let evals = try store.evalSeries(r.id)
        let changes = try store.settingChanges(r.id)
        let checkpoints = try store.checkpoints(r.id)
        let baselines = try store.baselines(r.id)
        let best = try store.bestEvaluation(r.id)
        if options.json {
            let report = RunsReport.Detail(r, best: best, changes: changes, losses: losses, evals: evals,
                                           checkpoints: checkpoints, baselines: baselines)
            print(try JSONOutput.text(report, pretty: true))
            return
        }
        var out = ""
        out += "run       \(r.id)  (\(r.status.rawValue))\n"
        out += "created   \(RunsFormat.time(r.created))" + (r.finished.map { "   finished \(RunsFormat.time($0))" } ?? "") + "\n"
        out += "model     \(r.model)   code version \(r.codeVersion)\n"
        out += "dataset   \(r.dataset.name) (\(r.dataset.path)): \(r.dataset.users) users, \(r.dataset.items) items, \(r.dataset.interactions) interactions, \(r.dataset.positives) positives [\(r.dataset.fingerprint)]\n"
        out += "split     \(r.split.origin) [\(r.split.hash)]\n"
        if let note = try store.notes()[r.id] { out += "note      \(note)\n" }
        if let first = losses.first, let last = losses.last {
            let finite = losses.filter { $0.loss.isFinite }
            out += "loss      \(losses.count) points, step \(first.step)…\(last.step): first \(RunsFormat.number(first.loss)), last \(RunsFormat.number(last.loss)), min \(RunsFormat.number(finite.map(\.loss).min()))\n"
        }
        let texts = r.settingTexts
        let inForce = SettingsInForce(start: texts, changes: changes, atStep: best?.step)
        if inForce.changedLive.isEmpty {
            out += "\nsettings\n"
            var settingsTable = TextTable(["KEY", "VALUE"])
            for key in Settings.keys where texts[key] != nil { settingsTable.add([key, texts[key]!]) }
            out += settingsTable.render(indent: "  ")
        } else {
            let at = best.map { "AT BEST STEP \($0.step)" } ?? "AT THE END"
            out += "\nsettings (changed live: \(inForce.changedLiveText))\n"
            var settingsTable = TextTable(["KEY", "AT START", at])
            for key in Settings.keys where texts[key] != nil {
                settingsTable.add([key, texts[key]!, inForce.changedLive.contains(key) ? inForce.texts[key] ?? "-" : ""])
            }
            out += settingsTable.render(indent: "  ")
        }
        if !changes.isEmpty {
            out += "\nlive setting changes\n"
            var t = TextTable(["STEP", "KEY", "OLD", "NEW"], rightAligned: [0])
            for c in changes { t.add([String(c.step), c.key, c.old, c.new]) }
            out += t.render(indent: "  ")
        }
        if let best {
            out += "\nmetrics at step \(best.step) (\(best.rule))\n"
            out += RunsFormat.metricTable(best.points).render(indent: "  ")
        }
        if !baselines.isEmpty {
            out += "\nbaselines\n"
            var t = TextTable(["BASELINE", "SPLIT", "METRIC", "VALUE"], rightAligned: [3])
            for b in baselines { t.add([b.name, b.split, b.key, RunsFormat.number(b.value)]) }
            out += t.render(indent: "  ")
        }
        if !checkpoints.isEmpty {
            out += "\ncheckpoints\n"
            var t = TextTable(["STEP", "BEST", "PATH"], rightAligned: [0])
            for c in checkpoints { t.add([String(c.step), c.isBest ? "*" : "", c.path]) }
            out += t.render(indent: "  ")
        }
        print(out, terminator: "")
    }
}

struct RunsCompare: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Settings that differ and best metrics, side by side.")
    @Argument(help: "Two or more run ids (or unique prefixes, or 'last').") var runs: [String]
    @OptionGroup var options: RunsOptions

    func validate() throws {
        if runs.count < 2 { throw ValidationError("compare needs at least two runs") }
    }

    func run() throws {
        let store = try options.open()
        let records = try runs.map { try RunsFormat.resolve(store, $0) }
        let best = try records.map { try store.bestEvaluation($0.id) }
        // Runs are compared by the settings in force at their best step, live changes included.
        let inForce = try zip(records, best).map { try store.settingsInForce($0, best: $1) }
        let texts = inForce.map(\.texts)
        let differing = Settings.keys.filter { key in Set(texts.map { $0[key] ?? "" }).count > 1 }
        var metricKeys: [(String, String)] = []
        for b in best.compactMap({ $0 }) {
            for p in b.points where !metricKeys.contains(where: { $0 == (p.split, p.key) }) { metricKeys.append((p.split, p.key)) }
        }
        metricKeys.sort { a, b in
            a.0 != b.0 ? RunsFormat.splitOrder(a.0) < RunsFormat.splitOrder(b.0) : RunsFormat.metricOrder(a.1) < RunsFormat.metricOrder(b.1)
        }
        if options.json {
            var settings: [String: [String?]] = [:]
            for key in differing { settings[key] = texts.map { $0[key] } }
            var metrics: [String: [Double?]] = [:]
            for (split, key) in metricKeys { metrics["\(split)/\(key)"] = best.map { $0?.value(split: split, key: key) } }
            let report = RunsReport.Comparison(runs: records.indices.map { RunsReport.Summary(records[$0], best: best[$0], changedLive: inForce[$0].changedLive) },
                                               differingSettings: settings, bestMetrics: metrics)
            print(try JSONOutput.text(report, pretty: true))
            return
        }
        var t = TextTable([""] + records.map(\.id.rawValue), rightAligned: Array(1...records.count))
        t.add(["status"] + records.map(\.status.rawValue))
        t.add(["dataset"] + records.map(\.dataset.name))
        if Set(records.map(\.dataset.fingerprint)).count > 1 { t.add(["dataset fingerprint"] + records.map(\.dataset.fingerprint)) }
        if Set(records.map(\.split.hash)).count > 1 { t.add(["split"] + records.map(\.split.hash)) }
        t.add(["steps"] + records.map { $0.lastStep.map(String.init) ?? "-" })
        t.add(["final loss"] + records.map { RunsFormat.number($0.lastLoss) })
        t.separator()
        t.add(["settings at"] + best.map { $0.map { "best step \($0.step)" } ?? "the end" })
        if differing.isEmpty { t.add(["(all settings equal)"] + records.map { _ in "" }) }
        for key in differing {
            t.add([key] + inForce.map { ($0.texts[key] ?? "-") + ($0.changedLive.contains(key) ? " (live)" : "") })
        }
        let live = inForce.filter { !$0.changedLive.isEmpty }
        if !live.isEmpty {
            t.add(["changed live"] + inForce.map { $0.changedLive.isEmpty ? "-" : $0.changedLiveText })
        }
        t.separator()
        t.add(["best step"] + best.map { $0.map { String($0.step) } ?? "-" })
        for (split, key) in metricKeys {
            let values = best.map { $0?.value(split: split, key: key) }
            let top = values.compactMap { $0 }.max()
            t.add(["\(split) \(key)"] + values.map { v in
                RunsFormat.number(v) + (v != nil && v == top && records.count > 1 ? " *" : "  ")
            })
        }
        print(t.render(), terminator: "")
        if let rule = best.compactMap({ $0?.rule }).first {
            print("best step: \(rule) (per run); * marks the highest value")
        }
        print("settings as in force at each run's best step; (live) = changed during the run (`runs show RUN` lists the changes)")
    }
}

// MARK: - Formatting shared by the runs commands

enum RunsFormat {
    static func resolve(_ store: RunStore, _ text: String) throws -> RunRecord {
        do { return try store.resolveRun(text) } catch let e as RunStoreError {
            throw UsageError(e.description)
        }
    }

    static func time(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: date) + "Z"
    }

    /// A test split's recall@20 at the best step; for a run without a test evaluation the
    /// validation split's, marked `v` (what the Runs screen shows), so a stopped run is not dashes.
    static func recallAt20(_ best: BestEvaluation?, split: String) -> String {
        guard let found = best?.testOrValidation(split: split, key: "recall@20") else { return "- " }
        return number(found.value) + (found.isValidation ? "v" : " ")
    }

    static func number(_ v: Double?) -> String {
        guard let v else { return "-" }
        if v.isNaN { return "nan" }
        return String(format: "%.4f", v)
    }

    /// Warm, cold-user, cold-item, the validation splits, then any other split by name.
    static func splitOrder(_ split: String) -> String {
        let i = ["warm", "cold_user", "cold_item", "validation", "validation_warm", "validation_cold_user",
                 "validation_cold_item"].firstIndex(of: split) ?? 9
        return "\(i)-\(split)"
    }

    static func metricOrder(_ key: String) -> String {
        let (metric, k) = EvalPoint.parse(key: key)
        let rank = ["recall": 0, "ndcg": 1, "precision": 2, "hit_rate": 3][metric] ?? 9
        return "\(rank)-\(String(format: "%06d", k))-\(metric)"
    }

    /// Splits as rows, metric@K as columns.
    static func metricTable(_ points: [EvalPoint]) -> TextTable {
        let splits = Array(Set(points.map(\.split))).sorted { splitOrder($0) < splitOrder($1) }
        let keys = Array(Set(points.map(\.key))).sorted { metricOrder($0) < metricOrder($1) }
        var t = TextTable(["SPLIT"] + keys, rightAligned: Array(1...max(1, keys.count)))
        for s in splits {
            t.add([s] + keys.map { k in number(points.first { $0.split == s && $0.key == k }?.value) })
        }
        return t
    }
}

/// A plain aligned text table (two spaces between columns).
struct TextTable {
    private var rows: [[String]?] = []
    private let rightAligned: Set<Int>

    init(_ header: [String], rightAligned: [Int] = []) {
        rows = [header]
        self.rightAligned = Set(rightAligned)
    }

    mutating func add(_ row: [String]) { rows.append(row) }
    mutating func separator() { rows.append(nil) }

    func render(indent: String = "") -> String {
        let columns = rows.compactMap { $0?.count }.max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows.compactMap({ $0 }) { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            guard let row else { out += indent + widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"; continue }
            let cells = row.enumerated().map { i, cell -> String in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }
            var line = indent + cells.joined(separator: "  ")
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
