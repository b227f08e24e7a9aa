import ArgumentParser
import DropoutNet
import Foundation

/// `dropoutnet data export-split --out DIR`: the split, the encoded content features and the
/// evaluation protocol as plain files, so an outside model (e.g. LightFM in
/// `scripts/compare_lightfm.py`) trains on exactly our training interactions and features and is
/// scored on exactly our candidates and held-out items. With `--checkpoint` the split is the
/// checkpoint's and the model's user and item embeddings are written too, so the outside
/// evaluation can be checked against `dropoutnet eval` on the same numbers.
///
/// Files (entities are the dataset's dense indices, 0-based):
/// - `meta.json` — counts, feature widths, embedding width, file list;
/// - `train.csv` — `user,item,label,weight` of every training interaction;
/// - `heldout_<split>.csv` — `user,item` held-out positives of `warm`, `cold_user`, `cold_item`
///   (and `validation_*`);
/// - `candidates_<split>.txt` — one candidate item per line (warm: mask each user's training
///   positives as well);
/// - `user_features.csv`, `item_features.csv` — `row,col,value` non-zeros of the encoded content
///   (dense columns first, then sparse), the content towers' input;
/// - `user_ids.txt`, `item_ids.txt` — line k is the dataset's id of entity k, so a script can join
///   the export with the raw files (e.g. a user's age bucket in `scripts/proxy_stats.py`);
/// - `user_embeddings.f32`, `item_embeddings.f32` — with `--checkpoint`: row-major little-endian
///   float32, `users × embedding_dim` and `items × embedding_dim`, the embeddings rankings use:
///   the last columns are the cold-start priors' (meta.json): `cold_user_prior_columns` of the
///   cold-user prior's when `cold_user_prior` is set (users: its weight times the user's content row if
///   cold, else 0; items: the content-popularity map's coefficients, or log popularity for
///   checkpoints written before the map), then `cold_item_prior_columns` of the cold-item
///   prior's when `cold_item_prior` is (users: their profile over item content; items: its weight times the item's content row
///   if cold, else 0), then `warm_prior_columns` of the warm prior's when `warm_prior` is
///   (users: its weight times their WMF factors if warm; items: their WMF factors if warm), then
///   `warm_content_prior_columns` of the warm content prior's when `warm_content_prior` is
///   (`warm_content_source` `ridge_map` — users: their profile over item content if warm; items:
///   its weight times the item's content row if warm — or `towers`, the same with the towers'
///   outputs without preference), so a plain dot product reproduces `dropoutnet eval`.
struct DataExportSplit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-split",
        abstract: "Write the split, encoded content features and evaluation candidates as CSV (and a checkpoint's embeddings).")

    @Option(help: "Output directory (created if needed).") var out: String
    @Option(help: "Use this checkpoint's dataset and split, and also write its user and item embeddings.")
    var checkpoint: String?
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var contentSettings: ContentSettingsOptions
    @Flag(help: "Print the meta.json object on stdout.") var json = false

    func validate() throws {
        if checkpoint != nil && !contentSettings.assignments.isEmpty {
            throw ValidationError("--set content.… does not apply with --checkpoint: its content is encoded as the checkpoint was trained")
        }
    }

    func run() throws {
        let data: TrainingData
        var embeddings: (users: [Float], items: [Float], dim: Int)?
        var priors: ScoringPriors?
        if let checkpoint {
            let (c, d) = try CheckpointInputs.load(checkpoint: checkpoint, dataOptions: dataOptions, quiet: json)
            let trainer = try ModelCheckpoint.trainer(from: c, data: d, file: checkpoint)
            data = d
            let (u, i) = trainer.rankingEmbeddings()
            priors = trainer.priors
            embeddings = (u.toArray(), i.toArray(), u.cols)
        } else {
            data = try dataOptions.prepare(encoderOptions: try contentSettings.encoderOptions(), quiet: json)
        }
        let dir = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func write(_ name: String, _ bytes: Data) throws {
            try AtomicWriter.write(bytes, to: dir.appendingPathComponent(name))
        }
        func text(_ lines: (inout String) -> Void) -> Data {
            var s = ""
            lines(&s)
            return Data(s.utf8)
        }
        var files: [String] = []

        let d = data.dataset
        try write("train.csv", text { s in
            s += "user,item,label,weight\n"
            for k in 0..<data.trainUsers.count {
                s += "\(data.trainUsers[k]),\(data.trainItems[k]),\(data.trainLabels[k]),\(data.trainWeights[k])\n"
            }
        })
        files.append("train.csv")
        for split in EvaluationSplit.allCases {
            let lists = data.heldOut[split]!
            try write("heldout_\(split.rawValue).csv", text { s in
                s += "user,item\n"
                for u in lists.nonEmptyRows { for i in lists[Int(u)] { s += "\(u),\(i)\n" } }
            })
            try write("candidates_\(split.rawValue).txt", text { s in
                for i in data.candidates[split]! { s += "\(i)\n" }
            })
            files += ["heldout_\(split.rawValue).csv", "candidates_\(split.rawValue).txt"]
        }
        for (name, f) in [("user_features.csv", data.userFeatures), ("item_features.csv", data.itemFeatures)] {
            try write(name, text { s in
                s += "row,col,value\n"
                let dense = f.dense.cols
                for r in 0..<f.rows {
                    for c in 0..<dense where f.dense[r, c] != 0 { s += "\(r),\(c),\(f.dense[r, c])\n" }
                    for p in f.sparse.rowPointers[r]..<f.sparse.rowPointers[r + 1] {
                        s += "\(r),\(dense + Int(f.sparse.columnIndices[p])),\(f.sparse.values[p])\n"
                    }
                }
            })
            files.append(name)
        }
        for (name, ids) in [("user_ids.txt", d.userIDs), ("item_ids.txt", d.itemIDs)] {
            try write(name, text { s in for id in ids { s += id; s += "\n" } })
            files.append(name)
        }
        if let e = embeddings {
            try write("user_embeddings.f32", Self.float32(e.users))
            try write("item_embeddings.f32", Self.float32(e.items))
            files += ["user_embeddings.f32", "item_embeddings.f32"]
        }
        let meta = SplitExportMeta(data: data, files: files, embeddingDim: embeddings?.dim, priors: priors,
                                   checkpoint: embeddings == nil ? nil : checkpoint ?? "")
        let text = try JSONOutput.text(meta)
        try write("meta.json", Data((text + "\n").utf8))
        if json {
            print(text)
        } else {
            print("wrote \(out): \(files.count + 1) files (\(data.trainUsers.count) training interactions, "
                  + "\(d.userCount) users, \(d.itemCount) items)")
        }
    }

    /// Little-endian float32 bytes of row-major values.
    static func float32(_ values: [Float]) -> Data {
        var out = Data(capacity: values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }
}
