import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet data …`: make synthetic datasets and look at a dataset and its split.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate a synthetic dataset, inspect one, or export its split.",
        subcommands: [DataGenerate.self, DataInspect.self, DataExportSplit.self])
}

struct DataGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic cold-start world in the native format (with oracle rankings).",
        discussion: """
        Without --preset: a small toy world whose observable content carries --content-share of taste.

        A preset is a proxy with the statistics of a public data set, to tune on without touching the \
        real data.

        movielens: MovieLens-100K, 943 users, 1,682 films, ~100,000 ratings, ~55 % of them 4 or more \
        (label 1), the rest label 0 (shown, not liked); users' age bucket, gender, occupation and zip; \
        films' genres, decade and made-up title words. Demographics are weakly informative, as on \
        the real data: the popularity within a cold user's age bucket beats global popularity by \
        only ~0.01–0.02 recall@20.

        citeulike: CiteULike-a, 5,551 users, 16,980 articles, ~205,000 saves (every row label 1), \
        Zipfian and one-off tags that say who saves an article, no user content.

        --users, --items and --interactions rescale a preset (ML-1M: 6040, 3706, 1000209). \
        scripts/proxy_stats.py compares a preset with the real data set's statistics.
        """)

    @Option(help: "Output directory (created if needed).") var out: String
    @Option(help: "A world with the statistics of a public data set instead of the default toy world.")
    var preset: SyntheticPreset?
    @Option(help: "Number of users (default \(SyntheticWorld.Options().users), or the preset's).") var users: Int?
    @Option(help: "Number of items (default \(SyntheticWorld.Options().items), or the preset's).") var items: Int?
    @Option(help: "Approximate number of interactions (default \(SyntheticWorld.Options().interactions), or the preset's).")
    var interactions: Int?
    @Option(help: "Random seed.") var seed = SyntheticWorld.Options().seed
    @Option(name: .customLong("content-share"), help: "Share of taste carried by observable content (0…1; not with --preset).")
    var contentShare: Float?
    @Option(name: .customLong("oracle-top"), help: "Oracle list length per user (0 = no oracle.csv).")
    var oracleTop = SyntheticWorld.Options().oracleTopK
    @Flag(help: "Print a JSON summary on stdout.") var json = false

    func validate() throws {
        for (name, value) in [("--users", users), ("--items", items), ("--interactions", interactions)] {
            guard (value ?? 2) > 0 else { throw ValidationError("\(name) must be positive") }
        }
        guard (items ?? 2) > 1 else { throw ValidationError("--items must be at least 2") }
        if let contentShare {
            guard preset == nil else { throw ValidationError("--content-share applies to the default world, not to --preset") }
            guard contentShare >= 0 && contentShare <= 1 else { throw ValidationError("--content-share must be in 0…1") }
        }
        guard oracleTop >= 0 else { throw ValidationError("--oracle-top must be ≥ 0") }
    }

    func run() throws {
        let start = Date()
        let s: SyntheticWorld.Summary
        if let preset {
            let size = preset.size
            s = try preset.write(to: out, users: users ?? size.users, items: items ?? size.items,
                                 interactions: interactions ?? size.interactions, seed: seed, oracleTopK: oracleTop)
        } else {
            var o = SyntheticWorld.Options()
            o.users = users ?? o.users; o.items = items ?? o.items; o.interactions = interactions ?? o.interactions
            o.seed = seed; o.contentShare = contentShare ?? o.contentShare; o.oracleTopK = oracleTop
            s = try SyntheticWorld(options: o).write(to: out)
        }
        let seconds = Date().timeIntervalSince(start)
        if json {
            print(try JSONOutput.text(GeneratedDatasetReport(users: s.users, items: s.items, interactions: s.interactions,
                                                             positives: s.positives, seconds: seconds)))
        } else {
            print("wrote \(out): \(s.users) users, \(s.items) items, \(s.interactions) interactions (\(s.positives) positives) in \(String(format: "%.1f", seconds)) s")
        }
    }
}

extension SyntheticPreset: ExpressibleByArgument {}

struct DataInspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Counts of users, items, interactions and positives, features per side, and split sizes.")

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var contentSettings: ContentSettingsOptions
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        let data = try dataOptions.prepare(encoderOptions: try contentSettings.encoderOptions())
        let d = data.dataset, s = data.split
        if json {
            print(try JSONOutput.text(DatasetReport(data, directory: try dataOptions.directory()), pretty: true))
            return
        }
        print("\(d.name): \(d.userCount) users, \(d.itemCount) items, \(d.interactionCount) interactions, \(d.positiveCount) positives")
        for (label, content, f) in [("users", d.userContent, data.userFeatures), ("items", d.itemContent, data.itemFeatures)] {
            let cols = content.columns.map { "\($0.name):\($0.kind.rawValue)" }.joined(separator: " ")
            print("  \(label) features: \(f.dense.cols) dense + \(f.sparse.cols) sparse (\(f.sparse.nonZeroCount) non-zeros)  [\(cols.isEmpty ? "no content" : cols)]")
        }
        let encoded = data.userFeatures.byteSize + data.itemFeatures.byteSize
        print(String(format: "  content encoded in %.2f s (CPU %.2f s): %.1f MB of features (peak RSS %d MB)", data.contentEncodingSeconds,
                     data.contentEncodingCPUSeconds, Double(encoded) / 1_048_576, BenchLoad.peakResidentBytes() / 1_048_576))
        print("split (\(s.origin)):")
        print("  train \(s.train.count), validation \(s.validation.count), warm test \(s.warmTest.count), "
              + "cold-user test \(s.coldUserTest.count), cold-item test \(s.coldItemTest.count)")
        print("  cold users \(s.coldUsers.count), cold items \(s.coldItems.count), cold-item candidates \(s.coldItemCandidates.count), warm items \(data.warmItems.count)")
        print("  evaluated users: " + EvaluationSplit.allCases.map { "\($0.rawValue) \(data.evaluatedUserCount($0))" }.joined(separator: ", "))
    }
}
