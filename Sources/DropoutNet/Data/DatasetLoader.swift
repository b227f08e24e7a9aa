import Foundation

/// Which loader reads a data directory (`--format`).
public enum DataFormat: String, Sendable, CaseIterable, Codable {
    case auto, native, movielens, citeulike
}

/// Entry point of the data layer: reads a directory in any supported format into a `Dataset`,
/// through the binary cache when it is fresh.
public enum DatasetLoader {
    /// Loads `directory`. `.auto` picks the format from the files present (see `detect`).
    /// `useCache: false` always parses and writes no cache (`--no-cache`; the benchmark measures
    /// both paths); `cache` is where the parsed data is cached (the user's cache directory).
    public static func load(directory: String, format: DataFormat = .auto, useCache: Bool = true,
                            cache: CacheDirectory? = CacheDirectory.user()) throws -> Dataset {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw DataError(file: directory, "expected a data directory, found none")
        }
        let resolved = format == .auto ? try detect(directory: directory) : format
        let sources = try sourceFiles(directory: directory, format: resolved)
        let cache = useCache ? cache : nil
        if let cached = DatasetCache.load(directory: directory, format: resolved, sources: sources, cache: cache) {
            return cached
        }
        let dataset: Dataset
        switch resolved {
        case .native, .auto: dataset = try loadNative(directory: directory)
        case .movielens: dataset = try loadMovieLens(directory: directory)
        case .citeulike: dataset = try loadCiteULike(directory: directory)
        }
        DatasetCache.store(dataset, directory: directory, format: resolved, sources: sources, cache: cache)
        return dataset
    }

    /// The format of a directory from its files: `dataset.toml`/`interactions.csv` → native,
    /// `u.data`, `ratings.dat` or `ratings.csv` → MovieLens, `users.dat` with `mult.dat` or
    /// `item-tag.dat` → CiteULike.
    public static func detect(directory: String) throws -> DataFormat {
        let fm = FileManager.default
        func has(_ f: String) -> Bool { fm.fileExists(atPath: (directory as NSString).appendingPathComponent(f)) }
        if has("dataset.toml") || has("interactions.csv") { return .native }
        if has("u.data") || has("ratings.dat") || (has("ratings.csv") && has("movies.csv")) { return .movielens }
        if has("users.dat") && (has("mult.dat") || has("item-tag.dat")) { return .citeulike }
        throw DataError(file: directory, "cannot tell the data format: expected dataset.toml or interactions.csv (native), "
                        + "u.data / ratings.dat / ratings.csv+movies.csv (MovieLens), or users.dat with mult.dat or item-tag.dat (CiteULike)")
    }

    /// The files a format reads (those present), which key the cache's freshness check.
    static func sourceFiles(directory: String, format: DataFormat) throws -> [String] {
        let candidates: [String]
        switch format {
        case .native, .auto: candidates = ["dataset.toml", "interactions.csv", "users.csv", "items.csv"]
        case .movielens: candidates = ["u.data", "u.user", "u.item", "u.genre", "ratings.dat", "users.dat", "movies.dat",
                                       "ratings.csv", "movies.csv", "tags.csv"]
        case .citeulike: candidates = ["users.dat", "mult.dat", "item-tag.dat", "vocabulary.dat", "tags.dat", "raw-data.csv"]
        }
        let fm = FileManager.default
        return candidates.filter { fm.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) }
    }
}
