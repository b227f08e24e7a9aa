import Foundation

/// MovieLens (DESIGN §3.2): ml-100k (`u.data`, `u.user`, `u.item`), ml-1m (`ratings.dat`,
/// `users.dat`, `movies.dat`, `::`-separated) and ml-latest / ml-latest-small (`ratings.csv`,
/// `movies.csv`, `tags.csv`). A rating ≥ 4 is a positive; a lower rating is "shown, not liked".
/// Users get age bucket, gender and occupation where the files have them; movies get genres,
/// release-decade, title words and (ml-latest) tags as text. The older files are Latin-1.
extension DatasetLoader {
    static func loadMovieLens(directory: String) throws -> Dataset {
        let fm = FileManager.default
        func path(_ f: String) -> String { (directory as NSString).appendingPathComponent(f) }
        func has(_ f: String) -> Bool { fm.fileExists(atPath: path(f)) }
        let name = (directory as NSString).lastPathComponent
        if has("u.data") { return try loadML100K(directory: directory, name: name, path: path) }
        if has("ratings.dat") { return try loadML1M(directory: directory, name: name, path: path) }
        if has("ratings.csv") && has("movies.csv") { return try loadMLLatest(directory: directory, name: name, path: path, has: has) }
        throw DataError(file: directory, "expected MovieLens files: u.data (ml-100k), ratings.dat (ml-1m) or ratings.csv + movies.csv (ml-latest)")
    }

    // MARK: ratings

    /// `user SEP item SEP rating SEP timestamp` lines; `header` skips a first line.
    static func readRatings(path: String, file: String, separator: String, header: Bool, into columns: inout InteractionColumns) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        columns.reserve(size / 20 + 16)
        var fields = FieldRanges()
        var splitter = FieldSplitter(separator: separator, quotes: false)
        let single = separator.utf8.count == 1 ? separator.utf8.first! : nil
        var sawData = false
        try ByteLines.forEach(path: path, displayName: file) { line, number in
            if line.isEmpty || (header && number == 1) { return }
            var u: UnsafeBufferPointer<UInt8>, i: UnsafeBufferPointer<UInt8>, r: UnsafeBufferPointer<UInt8>, t: UnsafeBufferPointer<UInt8>?
            var owned: [String] = []
            if let single {
                fields.split(line, separator: single)
                guard fields.count >= 3 else {
                    throw DataError(file: file, line: number, column: fields.count + 1, "expected 4 fields (user, movie, rating, timestamp), got \(fields.count)")
                }
                u = fields.field(0, in: line); i = fields.field(1, in: line); r = fields.field(2, in: line)
                t = fields.count > 3 ? fields.field(3, in: line) : nil
            } else {
                owned = try splitter.split(line, file: file, line: number)
                guard owned.count >= 3 else {
                    throw DataError(file: file, line: number, column: owned.count + 1, "expected 4 fields (user, movie, rating, timestamp), got \(owned.count)")
                }
                u = UnsafeBufferPointer(start: nil, count: 0); i = u; r = u; t = nil
            }
            if !owned.isEmpty {
                // `::` files: decode through Strings (ml-1m is small).
                var us = owned[0], its = owned[1]
                guard let rating = Double(owned[2]) else {
                    throw DataError(file: file, line: number, column: 3, "expected a rating number, got '\(owned[2])'")
                }
                try us.withUTF8 { ub in try its.withUTF8 { ib in
                    try addRating(&columns, ub, ib, rating, owned.count > 3 ? Int64(owned[3]) : nil, file, number)
                } }
            } else {
                guard let rating = NumberParsing.double(r) else {
                    throw DataError(file: file, line: number, column: 3, "expected a rating number, got '\(DataError.show(r))'")
                }
                var ts: Int64?
                if let t, !t.isEmpty {
                    guard let v = NumberParsing.int64(t) else {
                        throw DataError(file: file, line: number, column: 4, "expected an integer timestamp, got '\(DataError.show(t))'")
                    }
                    ts = v
                }
                try addRating(&columns, u, i, rating, ts, file, number)
            }
            sawData = true
        }
        guard sawData else { throw DataError(file: file, "expected at least one rating, the file is empty") }
        columns.finishOptionalColumns()
    }

    private static func addRating(_ c: inout InteractionColumns, _ u: UnsafeBufferPointer<UInt8>, _ i: UnsafeBufferPointer<UInt8>,
                                  _ rating: Double, _ ts: Int64?, _ file: String, _ line: Int) throws {
        guard !u.isEmpty else { throw DataError(file: file, line: line, column: 1, "expected a user id, got an empty field") }
        guard !i.isEmpty else { throw DataError(file: file, line: line, column: 2, "expected a movie id, got an empty field") }
        guard rating >= 0 && rating <= 10 else { throw DataError(file: file, line: line, column: 3, "expected a rating between 0 and 10, got \(rating)") }
        try c.add(user: u, item: i, label: rating >= 4 ? 1 : 0, file: file, line: line)
        if let ts { c.setTimestamp(ts) }
    }

    // MARK: content helpers

    /// Every non-empty line of a small file split into fields, with its line number.
    static func records(_ path: String, file: String, separator: String, quotes: Bool, latin1: Bool,
                        _ body: ([String], Int) throws -> Void) throws {
        var splitter = FieldSplitter(separator: separator, quotes: quotes)
        try ByteLines.forEach(path: path, displayName: file) { line, number in
            if line.isEmpty { return }
            try body(try splitter.split(line, file: file, line: number, latin1Fallback: latin1), number)
        }
    }

    /// Content columns filled by id as files are read; ids new to the table are cold entities.
    struct ContentBuilder {
        var names: [String]
        var kinds: [SideContent.ColumnKind]
        var rows: [Int32: [String]] = [:]
        var firstLine: [Int32: Int] = [:]
        let file: String

        mutating func set(_ id: Int32, _ values: [String], line: Int) throws {
            if let previous = firstLine[id] {
                throw DataError(file: file, line: line, column: 1, "duplicate id (first on line \(previous))")
            }
            firstLine[id] = line
            rows[id] = values
        }

        func content(count: Int) -> SideContent {
            var columns = zip(names, kinds).map { SideContent.Column(name: $0, kind: $1, values: Array(repeating: "", count: count)) }
            for (id, values) in rows { for c in columns.indices { columns[c].values[Int(id)] = values[c] } }
            return SideContent(columns: columns, count: count)
        }
    }

    static let movieColumns = (names: ["title", "genres", "decade", "title_words"],
                               kinds: [SideContent.ColumnKind.display, .multi, .categorical, .text])

    /// (title, decade, title words) from a MovieLens title such as "Heat (1995)".
    static func movieFields(title raw: String, genres: String) -> [String] {
        let title = raw.trimmingCharacters(in: .whitespaces)
        var decade = "", words = title
        if title.hasSuffix(")"), let open = title.lastIndex(of: "(") {
            let inside = title[title.index(after: open)..<title.index(before: title.endIndex)]
            if inside.count == 4, let year = Int(inside) {
                decade = "\(year / 10 * 10)s"
                words = String(title[..<open]).trimmingCharacters(in: .whitespaces)
            }
        }
        let g = genres == "(no genres listed)" ? "" : genres
        return [title, g, decade, words]
    }

    static let ageBuckets: [Int: String] = [1: "<18", 18: "18-24", 25: "25-34", 35: "35-44", 45: "45-49", 50: "50-55", 56: "56+"]
    static func ageBucket(_ age: Int) -> String {
        switch age {
        case ..<18: return "<18"
        case 18..<25: return "18-24"
        case 25..<35: return "25-34"
        case 35..<45: return "35-44"
        case 45..<50: return "45-49"
        case 50..<56: return "50-55"
        default: return "56+"
        }
    }

    static let ml1mOccupations = ["other", "academic/educator", "artist", "clerical/admin", "college/grad student",
                                  "customer service", "doctor/health care", "executive/managerial", "farmer", "homemaker",
                                  "K-12 student", "lawyer", "programmer", "retired", "sales/marketing", "scientist",
                                  "self-employed", "technician/engineer", "tradesman/craftsman", "unemployed", "writer"]

    static func finish(_ name: String, _ c: InteractionColumns, users: ContentBuilder?, items: ContentBuilder?) -> Dataset {
        let userIDs = c.userTable.strings(), itemIDs = c.itemTable.strings()
        return Dataset(name: name, userIDs: userIDs, itemIDs: itemIDs, users: c.users, items: c.items, labels: c.labels,
                       weights: c.hasWeights ? c.weights : nil, timestamps: c.hasTimestamps ? c.timestamps : nil,
                       userContent: users?.content(count: userIDs.count), itemContent: items?.content(count: itemIDs.count))
    }

    // MARK: layouts

    static func loadML100K(directory: String, name: String, path: (String) -> String) throws -> Dataset {
        // Catalogue files first so internal ids follow them (see `loadNative`).
        var c = InteractionColumns()
        var users: ContentBuilder?
        if FileManager.default.fileExists(atPath: path("u.user")) {
            var b = ContentBuilder(names: ["age", "gender", "occupation"], kinds: [.categorical, .categorical, .categorical], file: "u.user")
            try records(path("u.user"), file: "u.user", separator: "|", quotes: false, latin1: true) { f, line in
                guard f.count >= 4 else { throw DataError(file: "u.user", line: line, column: f.count + 1, "expected 5 fields (id|age|gender|occupation|zip), got \(f.count)") }
                guard let age = Int(f[1]) else { throw DataError(file: "u.user", line: line, column: 2, "expected an age, got '\(f[1])'") }
                try b.set(c.userTable.intern(f[0]), [ageBucket(age), f[2], f[3]], line: line)
            }
            users = b
        }
        var items: ContentBuilder?
        if FileManager.default.fileExists(atPath: path("u.item")) {
            var genreNames = ["unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
                              "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"]
            if FileManager.default.fileExists(atPath: path("u.genre")) {
                var g: [String] = []
                try records(path("u.genre"), file: "u.genre", separator: "|", quotes: false, latin1: true) { f, _ in g.append(f[0]) }
                if !g.isEmpty { genreNames = g }
            }
            var b = ContentBuilder(names: movieColumns.names, kinds: movieColumns.kinds, file: "u.item")
            try records(path("u.item"), file: "u.item", separator: "|", quotes: false, latin1: true) { f, line in
                guard f.count >= 5 + genreNames.count else {
                    throw DataError(file: "u.item", line: line, column: f.count + 1, "expected \(5 + genreNames.count) fields (id|title|release|video|url|genre flags), got \(f.count)")
                }
                var genres: [String] = []
                for (k, g) in genreNames.enumerated() {
                    let flag = f[5 + k]
                    guard flag == "0" || flag == "1" else { throw DataError(file: "u.item", line: line, column: 6 + k, "expected a genre flag 0 or 1, got '\(flag)'") }
                    if flag == "1" && g != "unknown" { genres.append(g) }
                }
                try b.set(c.itemTable.intern(f[0]), movieFields(title: f[1], genres: genres.joined(separator: "|")), line: line)
            }
            items = b
        }
        try readRatings(path: path("u.data"), file: "u.data", separator: "\t", header: false, into: &c)
        return finish(name, c, users: users, items: items)
    }

    static func loadML1M(directory: String, name: String, path: (String) -> String) throws -> Dataset {
        var c = InteractionColumns()
        var users: ContentBuilder?
        if FileManager.default.fileExists(atPath: path("users.dat")) {
            var b = ContentBuilder(names: ["gender", "age", "occupation"], kinds: [.categorical, .categorical, .categorical], file: "users.dat")
            try records(path("users.dat"), file: "users.dat", separator: "::", quotes: false, latin1: true) { f, line in
                guard f.count >= 4 else { throw DataError(file: "users.dat", line: line, column: f.count + 1, "expected 5 fields (UserID::Gender::Age::Occupation::Zip), got \(f.count)") }
                guard let age = Int(f[2]) else { throw DataError(file: "users.dat", line: line, column: 3, "expected an age code, got '\(f[2])'") }
                let occupation = Int(f[3]).flatMap { $0 >= 0 && $0 < ml1mOccupations.count ? ml1mOccupations[$0] : nil } ?? f[3]
                try b.set(c.userTable.intern(f[0]), [f[1], ageBuckets[age] ?? ageBucket(age), occupation], line: line)
            }
            users = b
        }
        var items: ContentBuilder?
        if FileManager.default.fileExists(atPath: path("movies.dat")) {
            var b = ContentBuilder(names: movieColumns.names, kinds: movieColumns.kinds, file: "movies.dat")
            try records(path("movies.dat"), file: "movies.dat", separator: "::", quotes: false, latin1: true) { f, line in
                guard f.count >= 3 else { throw DataError(file: "movies.dat", line: line, column: f.count + 1, "expected 3 fields (MovieID::Title::Genres), got \(f.count)") }
                try b.set(c.itemTable.intern(f[0]), movieFields(title: f[1], genres: f[2]), line: line)
            }
            items = b
        }
        try readRatings(path: path("ratings.dat"), file: "ratings.dat", separator: "::", header: false, into: &c)
        return finish(name, c, users: users, items: items)
    }

    static func loadMLLatest(directory: String, name: String, path: (String) -> String, has: (String) -> Bool) throws -> Dataset {
        var c = InteractionColumns()
        var b = ContentBuilder(names: movieColumns.names + ["tags"], kinds: movieColumns.kinds + [.text], file: "movies.csv")
        var movieLines: [(Int32, [String], Int)] = []
        try records(path("movies.csv"), file: "movies.csv", separator: ",", quotes: true, latin1: false) { f, line in
            if line == 1 { return }
            guard f.count == 3 else { throw DataError(file: "movies.csv", line: line, column: min(f.count, 3) + 1, "expected 3 fields (movieId,title,genres), got \(f.count)") }
            guard !f[0].isEmpty else { throw DataError(file: "movies.csv", line: line, column: 1, "expected a movie id, got an empty field") }
            movieLines.append((c.itemTable.intern(f[0]), movieFields(title: f[1], genres: f[2]), line))
        }
        try readRatings(path: path("ratings.csv"), file: "ratings.csv", separator: ",", header: true, into: &c)
        var tags: [Int32: [String]] = [:]
        if has("tags.csv") {
            try records(path("tags.csv"), file: "tags.csv", separator: ",", quotes: true, latin1: false) { f, line in
                if line == 1 { return }
                guard f.count >= 3 else { throw DataError(file: "tags.csv", line: line, column: f.count + 1, "expected 4 fields (userId,movieId,tag,timestamp), got \(f.count)") }
                // Tags on movies missing from movies.csv are ignored rather than inventing movies.
                if let i = c.itemTable.find(f[1]) { tags[i, default: []].append(f[2]) }
            }
        }
        for (id, fields, line) in movieLines {
            try b.set(id, fields + [(tags[id] ?? []).joined(separator: " ")], line: line)
        }
        return finish(name, c, users: nil, items: b)
    }
}
