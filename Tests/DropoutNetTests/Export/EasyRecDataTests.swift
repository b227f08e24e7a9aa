import XCTest
import Numerics
@testable import DropoutNet

/// `export easyrec --out DIR`: the CSV rows EasyRec trains on, in `input_fields` order, with
/// every categorical value resolvable to exactly one embedding row.
final class EasyRecDataTests: XCTestCase {
    /// 60 users and 40 items with one column of each kind; every 7th item's blurb has a word no
    /// other item has, and the genre "rare" appears only on a cold item (never in training).
    static let data: TrainingData = {
        var rng = SplitMix64(seed: 5)
        let users = 60, items = 40
        var us: [Int32] = [], its: [Int32] = [], labels: [UInt8] = []
        for u in 0..<users {
            for i in 0..<items where rng.nextFloat() < 0.35 {
                us.append(Int32(u)); its.append(Int32(i)); labels.append(rng.nextFloat() < 0.6 ? 1 : 0)
            }
        }
        let regions = ["north", "south", "east", "west", "centre"]
        let tags = ["space", "future", "nature", "crime", "love", "war", "sea"]
        let words = ["galaxy", "orbit", "robot", "river", "storm", "city", "garden", "ghost"]
        let userContent = SideContent(columns: [
            .init(name: "region", kind: .categorical, values: (0..<users).map { regions[$0 % regions.count] }),
            .init(name: "interests", kind: .multi, values: (0..<users).map { "\(tags[$0 % 7])|\(tags[($0 * 3) % 7])" }),
            .init(name: "age", kind: .numeric, values: (0..<users).map { $0 % 9 == 0 ? "" : String(18 + $0) }),
            .init(name: "name", kind: .display, values: (0..<users).map { "User \($0)" }),
        ], count: users)
        let itemContent = SideContent(columns: [
            .init(name: "genre", kind: .categorical, values: (0..<items).map { "g\($0 % 4)" }),
            .init(name: "blurb", kind: .text, values: (0..<items).map { i in
                "The " + words[i % 8] + ", " + words[(i * 5) % 8] + " and " + words[(i + 3) % 8] + (i % 7 == 0 ? " unique\(i)" : "") }),
        ], count: items)
        var d = Dataset(name: "tiny", userIDs: (0..<users).map { "u\($0)" }, itemIDs: (0..<items).map { "i\($0)" },
                        users: us, items: its, labels: labels, userContent: userContent, itemContent: itemContent)
        let split = try! Splitter.make(d, SplitOptions(coldItems: 0.1, coldUsers: 0.1, warmTest: 0.2, validation: 0.1))
        // A genre only a cold item has: never seen in training.
        d.itemContent.columns[0].values[Int(split.coldItems[0])] = "rare"
        return try! TrainingData.prepare(dataset: d, split: split)
    }()

    static func export(_ s: Settings, wmf: (users: Matrix, items: Matrix)? = nil) throws -> (EasyRecExport, EasyRecExport.Files) {
        var e = EasyRecExport(settings: s, schema: EasyRecSchema(dataset: data.dataset, trainInteractions: data.split.train.count))
        e.values = try EasyRecValues(data: data, settings: s, wmf: wmf)
        return (e, try e.renderWithData(data))
    }

    static func statsSettings() -> Settings {
        var s = Settings()
        s.userPreference = .stats
        s.itemPreference = .stats
        return s
    }

    func lines(_ csv: String) -> [[String]] {
        csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func testRowsFollowInputFieldsAndHoldEveryTrainingInteraction() throws {
        let (e, files) = try Self.export(Self.statsSettings())
        let tree = try ProtoTextTree.parse(files.config.text)
        let names = tree.values("data_config.input_fields.input_name")
        XCTAssertEqual(names, e.inputFields().map(\.name))
        XCTAssertEqual(Array(names.prefix(3)), ["label", "user_id", "item_id"])
        XCTAssertEqual(names.filter { $0.hasPrefix("user_") && $0 != "user_id" }.first, "user_region", "user content in dataset column order")
        let d = Self.data.dataset
        let train = lines(files.train)
        XCTAssertEqual(train.count, Self.data.split.train.count)
        for row in train { XCTAssertEqual(row.count, names.count, "one value per input field: \(row)") }
        // The same (user, item, label) multiset as the training interactions: hard negatives kept.
        let written = train.map { "\($0[1]) \($0[2]) \($0[0])" }.sorted()
        let expected = Self.data.split.train.map { k in "\(d.userIDs[Int(d.users[Int(k)])]) \(d.itemIDs[Int(d.items[Int(k)])]) \(d.labels[Int(k)])" }.sorted()
        XCTAssertEqual(written, expected)
        XCTAssertTrue(train.contains { $0[0] == "0" }, "shown-not-clicked rows are written")
        XCTAssertEqual(lines(files.eval).count, Self.data.split.validation.count)
        // Stats preference columns are the workbench's standardised statistics.
        let col = names.firstIndex(of: "user_log_interactions")!
        let row = train[0], u = d.userIDs.firstIndex(of: row[1])!
        XCTAssertEqual(Float(row[col])!, Self.data.userStats[u, 0])
        // Numeric content is z-scored as the workbench encodes it (missing: 0).
        let age = names.firstIndex(of: "user_age")!
        XCTAssertEqual(Float(row[age])!, Self.data.userFeatures.dense[u, 0], accuracy: 1e-6)
        XCTAssertEqual(tree.value("train_input_path"), e.trainInputPath)
    }

    /// Every categorical value written decodes, the way EasyRec resolves it (vocab_list index,
    /// hash bucket), back to exactly the value the workbench's encoder sees; unknown values
    /// are written empty.
    func testEveryWrittenCategoricalValueDecodesBack() throws {
        let (e, files) = try Self.export(Self.statsSettings())
        let fields = e.inputFields()
        let d = Self.data.dataset
        var checked = 0
        for row in lines(files.train) + lines(files.eval) {
            for (k, f) in fields.enumerated() {
                guard let feature = f.feature, let categories = feature.categories else { continue }
                let separator = feature.separator.map { Character($0) }
                var parts = separator.map { row[k].split(separator: $0).map(String.init) } ?? (row[k].isEmpty ? [] : [row[k]])
                // A weighted column's values carry the workbench's tf-idf weight: `term:weight`.
                var weights: [String: Float] = [:]
                if let kv = feature.kvSeparator {
                    parts = parts.map { p in
                        let pair = p.split(separator: Character(kv)).map(String.init)
                        XCTAssertEqual(pair.count, 2, "\(f.name): '\(p)' is term:weight")
                        weights[pair[0]] = Float(pair[1])
                        return pair[0]
                    }
                }
                for written in parts {
                    XCTAssertEqual(categories.decode(written), written, "\(f.name): '\(written)' resolves to itself alone")
                    checked += 1
                }
                // What the workbench encodes for this entity is exactly what was written.
                let isUser = f.name.hasPrefix("user_")
                let entity = isUser ? d.userIDs.firstIndex(of: row[1])! : d.itemIDs.firstIndex(of: row[2])!
                let encoder = isUser ? Self.data.userEncoder : Self.data.itemEncoder
                let features = isUser ? Self.data.userFeatures : Self.data.itemFeatures
                let prefix = (isUser ? "user_" : "item_")
                let column = String(f.name.dropFirst(prefix.count))
                var encoded: [String: Float] = [:]
                for p in features.sparse.rowPointers[entity]..<features.sparse.rowPointers[entity + 1] {
                    let name = encoder.sparseNames[Int(features.sparse.columnIndices[p])]
                    for sep in ["=", ":"] where name.hasPrefix(column + sep) { encoded[String(name.dropFirst(column.count + 1))] = features.sparse.values[p] }
                }
                XCTAssertEqual(Set(parts), Set(encoded.keys), "\(f.name) of entity \(entity)")
                if feature.kvSeparator != nil {
                    XCTAssertEqual(weights, encoded, "\(f.name) of entity \(entity): the workbench's tf-idf weights, to the last bit")
                }
            }
        }
        XCTAssertGreaterThan(checked, 1000)
        // The cold item's unseen genre is written empty: a zero vector, like the workbench's one-hot.
        let genre = fields.firstIndex { $0.name == "item_genre" }!
        let rare = "i\(Self.data.split.coldItems[0])"
        XCTAssertTrue(lines(files.items).filter { $0[2] == rare }.allSatisfy { $0[genre].isEmpty })
        XCTAssertFalse(lines(files.items).contains { $0[genre] == "rare" })
        let tree = try ProtoTextTree.parse(files.config.text)
        let genreConfig = tree.children("feature_configs").first { $0.value("input_names") == "item_genre" }!
        XCTAssertEqual(genreConfig.values("vocab_list"), ["__oov__", "g0", "g1", "g2", "g3"], "an out-of-vocabulary placeholder first")
        let blurb = tree.children("feature_configs").first { $0.value("input_names") == "item_blurb" }!
        XCTAssertEqual(blurb.value("feature_type"), "TagFeature")
        XCTAssertNotNil(blurb.value("hash_bucket_size"))
        XCTAssertTrue(blurb.values("vocab_list").isEmpty, "0.7.1 cannot take a TagFeature vocab_list")
        // Words weighted by tf-idf and summed, as the workbench's first layer reads them.
        XCTAssertEqual(blurb.value("kv_separator"), ":")
        XCTAssertEqual(blurb.value("combiner"), "sum")
        let blurbColumn = fields.firstIndex { $0.name == "item_blurb" }!
        XCTAssertTrue(lines(files.items).contains { $0[blurbColumn].contains(":") })
    }

    func testShufflingIsFixedByTheSeed() throws {
        var s = Self.statsSettings()
        let first = try Self.export(s).1.train
        XCTAssertEqual(try Self.export(s).1.train, first, "the same seed writes the same order")
        s.seed = 99
        let other = try Self.export(s).1.train
        XCTAssertNotEqual(other, first)
        XCTAssertEqual(other.split(separator: "\n").sorted(), first.split(separator: "\n").sorted(), "the same rows")
        // Not grouped by user: the dataset's order (user by user) is broken up.
        let users = lines(first).map { $0[1] }
        let changes = zip(users, users.dropFirst()).filter { $0 != $1 }.count
        XCTAssertGreaterThan(changes, users.count * 9 / 10)
        let indices = Array(Int32(0)..<1000)
        XCTAssertEqual(EasyRecExport.shuffled(indices, seed: 1, stream: 1).sorted(), indices)
        XCTAssertNotEqual(EasyRecExport.shuffled(indices, seed: 1, stream: 1), indices)
    }

    /// The WMF preference columns are the standardised vectors the model is built with, to the
    /// last bit; cold entities' are zeros; an id preference is empty for them.
    func testPreferenceVectorsAreTheOnesTheWorkbenchFeeds() throws {
        var s = Settings()
        s.wmfRank = 3
        let users = Matrix(rows: Self.data.userCount, cols: 3), items = Matrix(rows: Self.data.itemCount, cols: 3)
        var rng = SplitMix64(seed: 3)
        for r in 0..<users.rows where Self.data.isKnownUser[r] { for c in 0..<3 { users[r, c] = rng.nextFloat() * 4 - 2 } }
        for r in 0..<items.rows where Self.data.isKnownItem[r] { for c in 0..<3 { items[r, c] = rng.nextFloat() / 3 } }
        let (e, files) = try Self.export(s, wmf: (users, items))
        let names = e.inputFields().map(\.name)
        let col = names.firstIndex(of: "item_wmf")!
        let d = Self.data.dataset
        for row in lines(files.train) + lines(files.eval) {
            let i = d.itemIDs.firstIndex(of: row[2])!
            XCTAssertEqual(row[col].split(separator: " ").map { Float($0)! }, (0..<3).map { items[i, $0] })
        }
        s.userPreference = .id
        let (idExport, idFiles) = try Self.export(s, wmf: (users, items))
        let idCol = idExport.inputFields().firstIndex { $0.name == "user_pref_id" }!
        for row in lines(idFiles.eval) {
            let u = d.userIDs.firstIndex(of: row[1])!
            XCTAssertEqual(row[idCol], Self.data.isKnownUser[u] ? row[1] : "")
        }
    }
}

/// EasyRec's hash (TensorFlow's string_to_hash_bucket_fast) and the collision-free choices.
final class EasyRecCategoriesTests: XCTestCase {
    /// Buckets TensorFlow 2.12 computed (`scripts/check_easyrec_hash.py --vectors`): strings of
    /// every length class farmhash treats apart (0–16, 17–32, 33–64, longer), non-ASCII included.
    func testFingerprintMatchesTensorFlow() {
        let cases: [(String, Int, Int, Int)] = [
            ("Hello", 0, 151, 6181326957702750344),
            ("TensorFlow", 2, 254, 4265654129848386254),
            ("2.x", 2, 357, 943390013796179357),
            ("galaxy", 2, 28, 5520304711068637028),
            ("Sci-Fi", 0, 472, 5847008728858475472),
            ("école", 2, 829, 494102107410948022),
            ("", 2, 263, 1936946117179621456),
            ("b", 1, 822, 2572224033622389015),
            ("cj", 2, 52, 2061148166519885245),
            ("dkr", 1, 107, 8616829697634552300),
            ("elsz", 2, 586, 5229200165339728586),
            ("hovcjqx", 1, 854, 2326968938742419854),
            ("ipwdkryf", 1, 265, 7720167183436786458),
            ("mtahovcjqxel", 1, 624, 6108724187164142817),
            ("qxelszgnubipwdkr", 2, 201, 3820547438670371201),
            ("ryfmtahovcjqxelsz", 0, 951, 7101473748566771144),
            ("yfmtahovcjqxelszgnubipwd", 1, 672, 6720426203210180865),
            ("gnubipwdkryfmtahovcjqxelszgnubip", 2, 56, 127699506250089056),
            ("hovcjqxelszgnubipwdkryfmtahovcjqx", 1, 898, 4191899277645623091),
            ("wdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgn", 1, 944, 8194523017879154944),
            ("mtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxel", 1, 161, 2544848233693181161),
            ("nubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmt", 2, 337, 8179483852271218337),
            ("wdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgn", 2, 530, 510024279321814723),
            ("yfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwd", 2, 295, 7808010523399645295),
            ("zgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxel", 2, 66, 2174161576895394259),
            ("ovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnubipwdkryfmtahovcjqxelszgnub", 0, 108, 4651336990211610108),
        ]
        for (s, mod3, mod1000, modBig) in cases {
            XCTAssertEqual(FarmHash.bucket(s, buckets: 3), mod3, s)
            XCTAssertEqual(FarmHash.bucket(s, buckets: 1000), mod1000, s)
            XCTAssertEqual(FarmHash.bucket(s, buckets: Int.max), modBig, s)
        }
    }

    func testSmallestCollisionFreeBucketCount() {
        let values = Set((0..<40).map { "tag\($0)" })
        guard case let .hashed(buckets, sorted) = EasyRecCategories.hashed(of: values) else { return XCTFail("expected a hash") }
        XCTAssertEqual(Set(sorted.map { FarmHash.bucket($0, buckets: buckets) }).count, 40, "no collision")
        for b in 40..<buckets {
            XCTAssertLessThan(Set(sorted.map { FarmHash.bucket($0, buckets: b) }).count, 40, "\(b) buckets would collide")
        }
        for v in values { XCTAssertEqual(EasyRecCategories.hashed(of: values).decode(v), v) }
    }

    func testVocabularyPlaceholderIsNoRealValue() {
        XCTAssertEqual(EasyRecCategories.vocabulary(of: ["b", "a"]), .vocabulary(["__oov__", "a", "b"]))
        guard case .vocabulary(let list) = EasyRecCategories.vocabulary(of: ["__oov__", "x"]) else { return XCTFail() }
        XCTAssertEqual(list.count, 3)
        XCTAssertFalse(["__oov__", "x"].contains(list[0]))
        XCTAssertNil(EasyRecCategories.vocabulary(of: ["a"]).decode(list[0]), "index 0 is no value")
    }

    func testTooManyValuesForACheapHashFallBackToIndices() {
        let values = Set((0..<5000).map { "w\($0)" })
        let c = EasyRecCategories.hashed(of: values)
        if case .identity = c {} else if case let .hashed(b, _) = c { XCTAssertLessThanOrEqual(b, EasyRecCategories.maxBuckets(5000)) }
        for v in ["w0", "w4999", "w123"] { XCTAssertEqual(c.encode(v).flatMap(c.decode), v) }
    }
}
