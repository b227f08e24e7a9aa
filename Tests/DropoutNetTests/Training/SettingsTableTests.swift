import Foundation
import XCTest
@testable import DropoutNet

/// `Settings.table` is the one declaration of every setting: each row's text and JSON forms
/// read back what they write, the JSON is typed, the views derived from the table (keys, live
/// keys, `--set`, the JSON object, live changes, the export's mapping) agree with it, and runs
/// stored by older versions still load.
final class SettingsTableTests: XCTestCase {
    /// Settings away from the defaults in every kind of value (lists, flags, choices, a seed
    /// beyond 2^53, a number written with ".0").
    static func variants() throws -> [Settings] {
        var odd = Settings()
        for a in ["loss=svsoftmax,pairwise,sigmoid", "loss_weights=1,0.25,2.5", "negatives.shifts=random", "negatives.mask_false=on",
                  "dropout_scaling=false", "optimizer=sgd", "lr=1", "lr_decay=0.5", "lr_decay_every=300", "grad_clip=2.5",
                  "content_dnn=[]", "preference=id,stats", "k=5,50", "seed=9007199254740993", "margin=-0.25", "wmf.reg=1e20",
                  "activation=tanh", "classic.transform=yes"] {
            try odd.apply(assignment: a)
        }
        return [Settings(), Settings.classicDefaults, odd]
    }

    func testKeysAreUniqueAndTheKeyViewsComeFromTheTable() {
        XCTAssertEqual(Set(Settings.keys).count, Settings.table.count, "duplicate key")
        XCTAssertEqual(Settings.keys, Settings.table.map(\.key))
        XCTAssertEqual(Settings.liveKeys, Set(Settings.table.filter(\.isLive).map(\.key)))
        for e in Settings.table {
            XCTAssertFalse(e.help.isEmpty, "\(e.key) has no help")
            XCTAssertFalse(e.expected.isEmpty, "\(e.key) does not say what it expects")
            if e.knob != nil { XCTAssertTrue(e.isLive, "\(e.key) has a knob but cannot change while training") }
        }
    }

    func testEveryKeyRoundTripsTextToValueToText() throws {
        for s in try Self.variants() {
            for e in Settings.table {
                let text = e.text(of: s)
                var back = Settings()
                try e.set(text, in: &back)
                XCTAssertEqual(e.text(of: back), text, "\(e.key): '\(text)' read back as '\(e.text(of: back))'")
                XCTAssertEqual(back.value(of: e.key), text)
            }
            var all = Settings()
            for (key, text) in Settings.applicationOrder(s.keyValues) { try all.set(key, text) }
            XCTAssertEqual(all, s, "setting every key's text rebuilds the settings")
        }
    }

    func testEveryKeyRoundTripsJSONToValueToJSONAndTheJSONIsTyped() throws {
        for s in try Self.variants() {
            for e in Settings.table where e.isStored {
                let json = e.json(of: s)
                var back = Settings()
                try e.set(json: json, in: &back)
                XCTAssertEqual(e.json(of: back), json, "\(e.key)")
                XCTAssertEqual(e.text(of: back), e.text(of: s), "\(e.key)")
                switch json {
                case .number: XCTAssertNotNil(e.number(of: s), "\(e.key) is written as a number but is not numeric")
                case .bool: XCTAssertTrue(["true", "false"].contains(e.text(of: s)), "\(e.key)")
                case .array: XCTAssertTrue(e.text(of: s).hasPrefix("["), "\(e.key)")
                case .string(let text):
                    XCTAssertEqual(text, e.text(of: s), "\(e.key)")
                    if e.number(of: s) != nil { XCTAssertGreaterThanOrEqual(abs(e.number(of: s)!), 0x1p53, "\(e.key): a number written as text") }
                default: XCTFail("\(e.key): \(json)")
                }
            }
            XCTAssertEqual(try Settings(json: s.json), s)
            XCTAssertEqual(try Settings(json: JSONValue.parse(s.json.jsonText)), s, "through the stored text")
        }
        guard case .object(let odd) = try Self.variants()[2].json else { return XCTFail("not an object") }
        XCTAssertEqual(odd["seed"], .string("9007199254740993"), "beyond 2^53 a JSON number would lose digits")
        XCTAssertEqual(odd["wmf.reg"], .number(1e20))
        XCTAssertEqual(odd["lr"], .number(1))
        XCTAssertEqual(odd["loss"], .array([.string("svsoftmax"), .string("pairwise"), .string("sigmoid")]))
        XCTAssertEqual(odd["loss_weights"], .array([.number(1), .number(0.25), .number(2.5)]))
        XCTAssertEqual(odd["content_dnn"], .array([]))
        XCTAssertEqual(odd["dropout_scaling"], .bool(false))
        XCTAssertEqual(odd["user_preference"], .string("id"))
        XCTAssertNil(odd["preference"], "shorthands are not stored")
    }

    /// The settings column of a run stored before the table: typed by guessing from the text
    /// forms, a big seed and a big number as text.
    func testSettingsStoredByAnOlderVersionStillLoad() throws {
        let stored = #"{"activation":"tanh","batch_norm":true,"batch_size":512,"classic.top_k":20,"classic.transform":false,"content_dnn":[],"dropout_scaling":false,"embedding_dim":128,"epochs":10,"eval_every":200,"gamma":10,"grad_clip":2.5,"item_dropout":0.5,"item_preference":"stats","item_tower":[256,128],"k":[5,50],"l2":0,"loss":["svsoftmax","pairwise"],"loss_weights":[1,0.25],"lr":1,"lr_decay":0.5,"lr_decay_every":300,"margin":-0.25,"model":"easyrec","momentum":0.9,"negatives.logq":true,"negatives.m":16,"negatives.mask_false":true,"negatives.n":1,"negatives.shifts":"random","optimizer":"sgd","preference_dim":64,"preference_dnn":[128],"seed":"9007199254740993","t":1.2,"user_dropout":0.3,"user_preference":"id","user_tower":[256,128],"wmf.alpha":10,"wmf.iterations":10,"wmf.rank":64,"wmf.reg":"1e+20"}"#
        let s = try Settings(json: JSONValue.parse(stored))
        XCTAssertEqual(s.seed, 9_007_199_254_740_993)
        XCTAssertEqual(s.wmfReg, 1e20)
        XCTAssertEqual(s.loss, [.svsoftmax, .pairwise])
        XCTAssertEqual(s.lossWeights, [1, 0.25])
        XCTAssertEqual(s.lr, 1)
        XCTAssertEqual(s.userPreference, .id)
        XCTAssertEqual(s.contentDNN, [])
        XCTAssertEqual(s.weightAverage, 0, "stored before the weight average existed: its run evaluated the raw weights")
        XCTAssertEqual(try Settings(json: Settings().json).weightAverage, 0.99)
        // Older stores may also hold text where a typed value is expected now.
        let texts = try Settings(json: JSONValue.parse(#"{"gamma":"3","batch_norm":"false","k":"5,10","loss":"pairwise","negatives.m":8.0}"#))
        XCTAssertEqual(texts.gamma, 3)
        XCTAssertFalse(texts.batchNorm)
        XCTAssertEqual(texts.k, [5, 10])
        XCTAssertEqual(texts.loss, [.pairwise])
        XCTAssertEqual(texts.negativesM, 8)
        XCTAssertThrowsError(try Settings(json: JSONValue.parse(#"{"negatives.m": 8.5}"#))) { e in
            XCTAssertEqual("\(e)", "setting 'negatives.m': expected an integer, got '8.5'")
        }
        XCTAssertThrowsError(try Settings(json: JSONValue.parse(#"{"k": [10, 0]}"#))) { e in
            XCTAssertEqual("\(e)", "setting 'k': expected positive integers, got '0'")
        }
    }

    func testBadTextNamesTheKeyAndWhatItExpects() {
        let cases: [(String, String, String)] = [
            ("user_dropout", "1.5", "expected a value in 0.0...1.0, got 1.5"),
            ("negatives.m", "x", "expected an integer, got 'x'"),
            ("batch_size", "1", "expected an integer in 2...1048576, got 1"),
            ("batch_norm", "maybe", "expected true or false, got 'maybe'"),
            ("optimizer", "Lion", "expected one of adam, adamw, sgd, got 'lion'"),
            ("loss", "[]", "expected at least one loss"),
            ("loss_weights", "1,-1", "expected non-negative numbers, got '-1'"),
            ("user_tower", "", "expected a list of positive integers"),
            ("preference", "wmf,id,stats", "expected KIND or USER_KIND,ITEM_KIND"),
            ("no_such_thing_at_all", "1", "unknown setting; known: " + Settings.keys.joined(separator: ", ")),
            ("item_droput", "1", "unknown setting; did you mean 'item_dropout'? (`dropoutnet settings` lists every key)"),
        ]
        for (key, raw, message) in cases {
            var s = Settings()
            XCTAssertThrowsError(try s.set(key, raw)) { e in XCTAssertEqual(e as? SettingsError, SettingsError(key: key, message: message)) }
        }
    }

    /// Typos name the key meant: a letter swapped or missing, a dotted key by its last part.
    func testUnknownKeysSuggestTheNearestKnownOnes() {
        XCTAssertEqual(Settings.suggestions(for: "item_droput"), ["item_dropout"])
        XCTAssertEqual(Settings.suggestions(for: "Item_Dropout"), ["item_dropout"])
        XCTAssertEqual(Settings.suggestions(for: "negative.m"), ["negatives.m"])
        XCTAssertEqual(Settings.suggestions(for: "epoch"), ["epochs"])
        XCTAssertEqual(Settings.suggestions(for: "zzzzzzzz"), [])
        XCTAssertEqual(Settings.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Settings.editDistance("", "abc"), 3)
        var s = Settings()
        XCTAssertThrowsError(try s.apply(assignment: "batchsize=64")) { e in
            XCTAssertTrue("\(e)".contains("did you mean"), "\(e)")
        }
    }

    func testKeysThatAdjustOthersAreAppliedFirstAndTheirChangesRecorded() throws {
        XCTAssertEqual(Settings.table.filter(\.adjustsOthers).map(\.key), ["loss"])
        let order = Settings.applicationOrder([("loss_weights", "1,0.5"), ("gamma", "3"), ("loss", "svsoftmax,pairwise")])
        XCTAssertEqual(order.map(\.0), ["loss", "loss_weights", "gamma"])
        let live = LiveSettings(Settings())
        try live.update(key: "loss", value: "svsoftmax,sigmoid")
        XCTAssertEqual(live.timeline.map(\.key), ["loss", "loss_weights"], "the reset weights are recorded after the loss")
        XCTAssertEqual(live.timeline.last?.new, "[1,1]")
    }

    func testLiveSettingsAcceptExactlyTheLiveKeys() throws {
        for s in try Self.variants() where s.model == .easyrec {
            for e in Settings.table {
                let live = LiveSettings(s)
                do {
                    _ = try live.update(key: e.key, value: e.text(of: s))
                    XCTAssertTrue(e.isLive, "\(e.key) changed while training")
                } catch let error as SettingsError {
                    XCTAssertFalse(e.isLive, "\(e.key): \(error)")
                    XCTAssertTrue(error.message.contains("restart"), error.message)
                }
            }
        }
    }

    /// Every row says where its value goes in EasyRec's config: fields that an export writes,
    /// a note that fires for some value, or why it is left out.
    func testEveryKeyHasAnEasyRecMappingThatTheExportHonours() throws {
        let schema = EasyRecSchema(datasetName: "t", userColumns: [.init(name: "age", kind: .categorical, distinct: 7)],
                                   itemColumns: [.init(name: "genres", kind: .multi, distinct: 18)], users: 100, items: 50,
                                   trainInteractions: 1000)
        var sgd = Settings()
        for a in ["optimizer=sgd", "lr_decay=0.5", "lr_decay_every=100", "grad_clip=1", "user_preference=id"] { try sgd.apply(assignment: a) }
        var classic = Settings.classicDefaults
        try classic.set("loss", "mse,pairwise")
        let trees = try [Settings(), sgd, classic].map { try ProtoTextTree.parse(EasyRecExport(settings: $0, schema: schema).render().text) }
        for e in Settings.table {
            let m = e.easyRec
            for field in m.fields {
                let parts = field.split(separator: ".").map(String.init)
                XCTAssertTrue(trees.contains { $0.has(parts) }, "\(e.key): no export writes \(field)")
            }
            if m.fields.isEmpty && m.omitted == nil {
                // Only a note: some value of the key, on top of the defaults, must produce it.
                let candidates = ["true", "false", "0", "1", "0.5", "64"] + e.expected.components(separatedBy: " | ")
                let fires = candidates.contains { text in
                    var s = Settings()
                    guard (try? e.set(text, in: &s)) != nil,
                          let out = try? EasyRecExport(settings: s, schema: schema).render() else { return false }
                    return out.notes.contains { $0.setting == e.key }
                }
                XCTAssertTrue(fires, "\(e.key) is neither exported, noted for some value, nor declared left out")
            }
        }
    }
}

extension ProtoTextTree {
    /// Whether the dotted path (a `*` segment matches any block) is a field or block here.
    func has(_ path: [String]) -> Bool {
        guard let head = path.first else { return true }
        if path.count == 1 && fields.contains(where: { $0.0 == head }) { return true }
        let below = Array(path.dropFirst())
        if head == "*" { return blocks.contains { $0.1.has(below) } }
        return children(head).contains { $0.has(below) }
    }
}
