import Foundation

extension EasyRecExport {
    /// One column of the CSV, in `data_config.input_fields` order, and the feature it feeds.
    struct Field {
        enum Source { case label, userID, itemID, weight, user([String]), item([String]) }
        var name: String
        var inputType: String
        var source: Source
        var feature: Feature?
    }

    /// An EasyRec `feature_configs` entry and the feature group it belongs to.
    struct Feature {
        var name: String
        var group: String
        var inputType: String
        var featureType: String
        var embeddingDim: Int?
        var hashBucketSize: Int?
        var categories: EasyRecCategories?
        var separator: String?
        /// Between a value and its weight (a weighted TagFeature).
        var kvSeparator: String?
        var rawInputDim: Int?
        var combiner: String?
        var comment: String?
    }

    /// The label, both ids, the sample weight (when weighted), then each side's content and
    /// preference features: the config's `input_fields` and the CSV's columns, in one order.
    func inputFields() -> [Field] {
        var fields = [Field(name: "label", inputType: "INT32", source: .label),
                      Field(name: "user_id", inputType: "STRING", source: .userID),
                      Field(name: "item_id", inputType: "STRING", source: .itemID)]
        if schema.sampleWeights == true { fields.append(Field(name: EasyRecExport.weightField, inputType: "FLOAT", source: .weight)) }
        var used: Set<String> = Set(fields.map(\.name))
        func unique(_ base: String) -> String {
            var name = base, i = 2
            while used.contains(name) { name = "\(base)_\(i)"; i += 1 }
            used.insert(name)
            return name
        }
        for side in ["user", "item"] {
            let isUser = side == "user"
            let columns = isUser ? schema.userColumns : schema.itemColumns
            let contentValues = isUser ? values?.userContent : values?.itemContent
            for c in columns where c.kind != .display {
                let v = contentValues?.first { $0.source == c.name }
                var f = contentFeature(side: side, column: c, values: v)
                f.name = unique(c.name.hasPrefix(side + "_") ? c.name : "\(side)_\(c.name)")
                fields.append(Field(name: f.name, inputType: f.inputType, source: isUser ? .user(v?.values ?? []) : .item(v?.values ?? []), feature: f))
            }
            let prefValues = isUser ? values?.userPreference : values?.itemPreference
            for (k, var f) in preferenceFeatures(side: side).enumerated() {
                f.name = unique(f.name)
                let v = prefValues.map { $0[k] }
                if let v, v.categories != nil { f.categories = v.categories }
                fields.append(Field(name: f.name, inputType: f.inputType, source: isUser ? .user(v?.values ?? []) : .item(v?.values ?? []), feature: f))
            }
        }
        return fields
    }

    private func contentFeature(side: String, column c: EasyRecSchema.Column, values v: EasyRecValues.Column?) -> Feature {
        let group = "\(side)_content"
        let distinct = v?.categories?.valueCount ?? c.distinct
        let seen = distinct.map { "\($0) distinct values \(v == nil ? "seen" : "the workbench encodes")" } ?? "vocabulary size unknown"
        let checked = v == nil ? "" : "; values the workbench does not know (unseen in training) are written empty, a zero vector in both"
        switch c.kind {
        case .categorical:
            return Feature(name: c.name, group: group, inputType: "STRING", featureType: "IdFeature",
                           embeddingDim: EasyRecExport.embeddingDim(distinct), hashBucketSize: EasyRecExport.buckets(distinct),
                           categories: v?.categories,
                           comment: "\(side) column '\(c.name)' (categorical, \(seen)): the workbench's one-hot first layer is an embedding lookup" + (v == nil ? " (give the export the data, --out DIR, for a vocab_list without collisions)" : checked))
        case .multi where v?.weighted == true, .text where v?.weighted == true:
            let what = c.kind == .text ? "text, a bag of words tokenised as the workbench does" : "multi-valued, '|'-separated"
            return Feature(name: c.name, group: group, inputType: "STRING", featureType: "TagFeature",
                           embeddingDim: EasyRecExport.embeddingDim(distinct), hashBucketSize: EasyRecExport.buckets(distinct),
                           categories: v?.categories, separator: c.kind == .text ? " " : "|", kvSeparator: EasyRecValues.kvSeparator, combiner: "sum",
                           comment: "\(side) column '\(c.name)' (\(what), \(seen)): each value written value:weight with the workbench's tf-idf weight and summed, like its tf-idf first layer" + checked)
        case .multi:
            return Feature(name: c.name, group: group, inputType: "STRING", featureType: "TagFeature",
                           embeddingDim: EasyRecExport.embeddingDim(distinct), hashBucketSize: EasyRecExport.buckets(distinct),
                           categories: v?.categories, separator: "|", combiner: "sum",
                           comment: "\(side) column '\(c.name)' (multi-valued, '|'-separated, \(seen)): summed, like the workbench's multi-hot first layer" + checked)
        case .text:
            return Feature(name: c.name, group: group, inputType: "STRING", featureType: "TagFeature",
                           embeddingDim: EasyRecExport.embeddingDim(distinct), hashBucketSize: EasyRecExport.buckets(distinct),
                           categories: v?.categories, separator: " ", combiner: "mean",
                           comment: "\(side) column '\(c.name)' (text, \(seen)): a bag of words, each once, tokenised as the workbench does; EasyRec averages word embeddings" + (v == nil ? " where the workbench weights words by tf-idf (export with --out DIR for the weights)" : ""))
        case .numeric:
            return Feature(name: c.name, group: group, inputType: "DOUBLE", featureType: "RawFeature",
                           comment: "\(side) column '\(c.name)' (numeric): " + (v == nil ? "EasyRec feeds the raw value; standardise it when writing the CSV, as the workbench's encoder does" : "written z-scored with the workbench encoder's mean and deviation (missing: 0)"))
        case .vector:
            return Feature(name: c.name, group: group, inputType: "STRING", featureType: "RawFeature", separator: " ",
                           rawInputDim: c.dimension ?? 1,
                           comment: "\(side) column '\(c.name)' (vector of \(c.dimension.map(String.init) ?? "unknown") space-separated floats)")
        case .display:
            fatalError("display columns are never features")
        }
    }

    private func preferenceFeatures(side: String) -> [Feature] {
        let s = settings
        let group = "\(side)_preference"
        switch side == "user" ? s.userPreference : s.itemPreference {
        case .id:
            let entities = side == "user" ? schema.users : schema.items
            return [Feature(name: "\(side)_pref_id", group: group, inputType: "STRING", featureType: "IdFeature", embeddingDim: s.preferenceDim,
                            hashBucketSize: EasyRecExport.buckets(entities),
                            comment: "\(side) preference = a learned id embedding (preference_dim \(s.preferenceDim)): the \(side) id when it has training interactions, empty (a zero vector) otherwise")]
        case .stats:
            return PreferenceInputs.statsNames.enumerated().map { i, stat in
                Feature(name: "\(side)_\(stat)", group: group, inputType: "DOUBLE", featureType: "RawFeature",
                        comment: i == 0 ? "\(side) preference = behaviour statistics from the training interactions only, standardised over known \(side)s and clipped to ±5; all 0 for a cold \(side) (\(PreferenceInputs.statsNames.joined(separator: ", ")))" : nil)
            }
        case .wmf:
            return [Feature(name: "\(side)_wmf", group: group, inputType: "STRING", featureType: "RawFeature", separator: " ", rawInputDim: s.wmfRank,
                            comment: "\(side) preference = the WMF vector (rank \(s.wmfRank), `dropoutnet pretrain wmf`), standardised and clipped to ±5; zeros for a cold \(side)")]
        }
    }
}
