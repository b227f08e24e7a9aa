import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet bench load`: parse speed of a large generated interactions file, cached reload
/// time and peak memory (targets: ≥ 2 M lines/s, ≤ 2 s cached, peak < 3× the data in memory),
/// then the content encoders: fitting on every entity with interactions and encoding all of
/// them (time, the encoded features' bytes, the peak RSS after), with `--svd` the projection.
struct BenchLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Measure parsing (lines/s), cached reload time and peak memory on a generated dataset.")

    @Option(help: "Interactions in the generated file.") var interactions = 25_000_000
    @Option(help: "Users of the generated world.") var users = 160_000
    @Option(help: "Items of the generated world.") var items = 60_000
    @Option(help: "Directory for the generated data (reused when it already holds this size).")
    var dir: String?
    @Option(help: "content.svd of the encoder phase (0: sparse content).") var svd = 0
    @Flag(help: "Print one JSON object on stdout.") var json = false

    func run() throws {
        let directory = try BenchLoad.world(users: users, items: items, interactions: interactions, dir: dir)
        // Parse (no cache) and write the cache; the parsed copy is released before the reload
        // so the peak measures one dataset, not two.
        let sources = ["dataset.toml", "interactions.csv", "users.csv", "items.csv"]
        guard let cache = CacheDirectory.user() else {
            throw UsageError("bench load measures the cache: set XDG_CACHE_HOME or HOME")
        }
        var lines = 0, inMemory = 0
        let parseStart = Date()
        var parseSeconds = 0.0
        do {
            let parsed = try DatasetLoader.load(directory: directory, format: .native, useCache: false)
            parseSeconds = Date().timeIntervalSince(parseStart)
            lines = parsed.interactionCount
            inMemory = parsed.approximateByteSize
            DatasetCache.store(parsed, directory: directory, format: .native, sources: sources, cache: cache)
        }
        let cacheStart = Date()
        guard let cached = DatasetCache.load(directory: directory, format: .native, sources: sources, cache: cache) else {
            throw UsageError("the cache could not be written or read back in \(cache.path)")
        }
        let cachedSeconds = Date().timeIntervalSince(cacheStart)
        precondition(cached.interactionCount == lines)
        let peak = BenchLoad.peakResidentBytes()
        let rate = Double(lines) / parseSeconds
        let encoding = BenchLoad.encode(cached, svd: svd)
        if json {
            print(try JSONOutput.text(BenchReport.Load(lines: lines, parseLinesPerSecond: rate, cachedLoadSeconds: cachedSeconds, peakRSSBytes: peak,
                                                       encodeSeconds: encoding.seconds, encodeCPUSeconds: encoding.cpuSeconds, encodedBytes: encoding.bytes,
                                                       encodePeakRSSBytes: encoding.peak, svd: svd)))
        } else {
            print("parsed \(lines) interactions (+ users.csv, items.csv) in \(String(format: "%.2f", parseSeconds)) s: \(String(format: "%.2f", rate / 1e6)) M lines/s")
            print("cached reload: \(String(format: "%.3f", cachedSeconds)) s")
            print("peak RSS: \(peak / 1_048_576) MB; dataset in memory ≈ \(inMemory / 1_048_576) MB (ratio \(String(format: "%.2f", Double(peak) / Double(max(inMemory, 1)))))")
            print("content encoders\(svd > 0 ? " (svd \(svd))" : ""): \(String(format: "%.2f s (CPU %.2f s)", encoding.seconds, encoding.cpuSeconds)), "
                  + "features \(encoding.bytes / 1_048_576) MB, peak RSS after \(encoding.peak / 1_048_576) MB")
        }
    }

    /// A generated world of this size in `dir` (default: one per size in the temp directory),
    /// generated unless a complete one is already there. Returns its directory.
    static func world(users: Int, items: Int, interactions: Int, dir: String?) throws -> String {
        let directory = dir ?? (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("dropoutnet-bench-load-\(users)x\(items)x\(interactions)")
        let marker = (directory as NSString).appendingPathComponent("bench-complete")
        if !FileManager.default.fileExists(atPath: marker) {
            Console.note("generating \(interactions) interactions in \(directory) …")
            var o = SyntheticWorld.Options()
            o.users = users; o.items = items; o.interactions = interactions; o.oracleTopK = 0
            let start = Date()
            try SyntheticWorld(options: o).write(to: directory)
            try Data().write(to: URL(fileURLWithPath: marker))
            Console.note(String(format: "generated in %.1f s", Date().timeIntervalSince(start)))
        }
        return directory
    }

    /// Fits both sides' encoders on the entities with interactions and encodes every entity.
    /// Wall and CPU (all threads, user + system) seconds: on a shared machine the wall time
    /// mostly measures the other jobs.
    static func encode(_ d: Dataset, svd: Int) -> (seconds: Double, cpuSeconds: Double, bytes: Int, peak: Int) {
        var knownUsers = [Bool](repeating: false, count: d.userCount), knownItems = [Bool](repeating: false, count: d.itemCount)
        for u in d.users { knownUsers[Int(u)] = true }
        for i in d.items { knownItems[Int(i)] = true }
        var options = EncoderOptions()
        options.svd = svd
        let start = Date(), cpuStart = ProcessClock.cpuSeconds()
        var bytes = 0
        for (content, known) in [(d.userContent, knownUsers), (d.itemContent, knownItems)] {
            bytes += FeatureEncoder(fitting: content, fitRows: known, options: options).encode(content).byteSize
        }
        return (Date().timeIntervalSince(start), ProcessClock.cpuSeconds() - cpuStart, bytes, peakResidentBytes())
    }

    /// Peak resident set size of this process in bytes.
    static func peakResidentBytes() -> Int {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #endif
    }
}
