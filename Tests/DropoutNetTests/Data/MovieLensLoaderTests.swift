import XCTest
@testable import DropoutNet

final class MovieLensLoaderTests: XCTestCase {
    /// ml-latest-small's layout on a few hand-written rows (Tests/Fixtures/ml-latest-small; the
    /// real data set's published counts are checked by scripts/check_ml_latest_small.sh).
    func testMLLatestSmallLayout() throws {
        let dir = DataFixture.packageRoot.appendingPathComponent("Tests/Fixtures/ml-latest-small").path
        XCTAssertEqual(try DatasetLoader.detect(directory: dir), .movielens)
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.userIDs, ["1", "2", "3", "5"], "users come from ratings.csv only, not from tags.csv")
        XCTAssertEqual(d.itemIDs, ["1", "2", "11", "29", "50", "114335", "149334"],
                       "every movie of movies.csv, in its order, the unrated one included; none from a stray tag")
        XCTAssertEqual(d.interactionCount, 10)
        XCTAssertEqual(d.labels, [1, 1, 0, 0, 1, 0, 1, 0, 1, 1], "a rating of 4.0 or more is a positive, 3.5 is not")
        XCTAssertEqual(d.positiveCount, 6)
        XCTAssertEqual(d.timestamps.first, 964_982_703)
        XCTAssertEqual(d.timestamps.last, 847_435_292)

        func column(_ name: String) throws -> [String] {
            try XCTUnwrap(d.itemContent.columns.first { $0.name == name }, "no \(name) column").values
        }
        XCTAssertEqual(d.itemContent.title(0), "Toy Story (1995)")
        XCTAssertEqual(d.itemContent.title(2), "American President, The (1995)", "a quoted title keeps its comma")
        XCTAssertEqual(d.itemContent.title(3), "City of Lost Children, The (Cité des enfants perdus, La) (1995)")
        XCTAssertEqual(try column("genres"), ["Adventure|Animation|Children|Comedy|Fantasy", "Adventure|Children|Fantasy",
                                              "Comedy|Drama|Romance", "Adventure|Drama|Fantasy|Mystery|Sci-Fi",
                                              "Crime|Mystery|Thriller", "", "Drama|Thriller"],
                       "(no genres listed) is no genre")
        XCTAssertEqual(try column("decade"), ["1990s", "1990s", "1990s", "1990s", "1990s", "1950s", ""],
                       "a title without a year has no decade")
        XCTAssertEqual(try column("title_words")[3], "City of Lost Children, The (Cité des enfants perdus, La)")
        XCTAssertEqual(try column("title_words")[6], "Nocturnal Animals")
        XCTAssertEqual(try column("tags"), ["pixar fun toys, childhood", "", "", "surreal", "", "", ""],
                       "tags joined in file order; a tag on a movie missing from movies.csv is dropped")
    }

    func testML100KShapedFilesWithLatin1Titles() throws {
        let genres = "unknown|0\nAction|1\nComedy|2\n"
        let dir = try DataFixture.directory(bytes: [
            "u.data": Array("1\t10\t5\t881250949\n1\t20\t3\t881250950\n2\t10\t4\t881250951\n".utf8),
            "u.user": Array("1|24|M|technician|85711\n2|53|F|other|94043\n3|16|M|student|11111\n".utf8),
            "u.item": Array("10|Heat (1995)|01-Jan-1995||http://x|0|1|0\n20|Les Mis".utf8) + [0xE9] +
                Array("rables (1995)|01-Jan-1995||http://y|0|0|1\n".utf8),
            "u.genre": Array(genres.utf8),
        ])
        defer { DataFixture.remove(dir) }
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.userIDs, ["1", "2", "3"])
        XCTAssertEqual(d.itemIDs, ["10", "20"])
        XCTAssertEqual(d.labels, [1, 0, 1])
        XCTAssertEqual(d.timestamps, [881250949, 881250950, 881250951])
        XCTAssertEqual(d.itemContent.title(1), "Les Misérables (1995)")
        XCTAssertEqual(d.itemContent.columns.first { $0.name == "genres" }?.values, ["Action", "Comedy"])
        XCTAssertEqual(d.userContent.columns.map(\.name), ["age", "gender", "occupation"])
        XCTAssertEqual(d.userContent.columns[0].values, ["18-24", "50-55", "<18"])
        let data = try TrainingData.prepare(dataset: d, split: Splitter.make(d, SplitOptions(coldItems: 0, coldUsers: 0, warmTest: 0, validation: 0)))
        XCTAssertTrue(data.userFeatures.sparseNames.contains("occupation=technician"))
    }

    func testML1MShapedFiles() throws {
        let dir = try DataFixture.directory([
            "ratings.dat": "1::1193::5::978300760\n1::661::3::978302109\n2::1193::2::978298413\n",
            "users.dat": "1::F::1::10::48067\n2::M::56::16::70072\n",
            "movies.dat": "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n661::James and the Giant Peach (1996)::Animation|Children's|Musical\n",
        ])
        defer { DataFixture.remove(dir) }
        XCTAssertEqual(try DatasetLoader.detect(directory: dir), .movielens)
        let d = try DataFixture.load(dir)
        XCTAssertEqual(d.interactionCount, 3)
        XCTAssertEqual(d.labels, [1, 0, 0])
        XCTAssertEqual(d.userContent.columns.map(\.values), [["F", "M"], ["<18", "56+"], ["K-12 student", "self-employed"]])
        XCTAssertEqual(d.itemContent.columns.first { $0.name == "decade" }?.values, ["1970s", "1990s"])
        XCTAssertEqual(d.itemContent.columns.first { $0.name == "title_words" }?.values[0], "One Flew Over the Cuckoo's Nest")
    }

    func testMovieLensErrorsNameTheFile() {
        XCTAssertTrue(DataFixture.loadError(["u.data": "1\t10\tfive\t1\n"])?.description.hasPrefix("u.data:1:3: expected a rating number, got 'five'") ?? false)
        XCTAssertTrue(DataFixture.loadError(["ratings.csv": "userId,movieId,rating,timestamp\n1,2,4.0,x\n", "movies.csv": "movieId,title,genres\n"])?
            .description.hasPrefix("ratings.csv:2:4: expected an integer timestamp") ?? false)
        XCTAssertTrue(DataFixture.loadError(["ratings.csv": "userId,movieId,rating,timestamp\n1,2,4.0,1\n", "movies.csv": "movieId,title,genres\n2,\"A, B\"\n"])?
            .description.hasPrefix("movies.csv:2:3: expected 3 fields") ?? false)
        XCTAssertTrue(DataFixture.loadError(["ratings.dat": "1::2::4::1\n", "movies.dat": "2::A (1990)::Drama\n2::B (1991)::War\n"])?
            .description.hasPrefix("movies.dat:2:1: duplicate id") ?? false)
    }
}
