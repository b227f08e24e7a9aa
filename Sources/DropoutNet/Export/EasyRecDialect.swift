/// Which EasyRec release an export targets. The releases differ in behaviour the config cannot
/// express, so the export writes each difference into the file's header comment and picks the
/// feature encodings the release handles.
public enum EasyRecDialect: String, Sendable, CaseIterable, Codable {
    /// 0.7.x, the release on PyPI (`pai-easy-rec` 0.7.1, TensorFlow ≤ 2.12).
    case v0_7 = "0.7"
    /// 0.8.x from source (≥ 0.8.5).
    case v0_8 = "0.8"

    /// The dialect `--easyrec-version` defaults to: the one `pip install pai-easy-rec` gets.
    public static let pypi: EasyRecDialect = .v0_7

    /// Whether preference dropout rescales the rows it keeps by 1 / (1 − rate) (inverted
    /// dropout, EasyRec ≥ 0.8.5) like the workbench; 0.7 zeroes dropped rows and leaves the
    /// kept ones as they are.
    public var rescalesPreferenceDropout: Bool { self == .v0_8 }

    /// Whether a `TagFeature` can take a `vocab_list`. In 0.7.1 it fails at graph build
    /// ("Column dtype and SparseTensors dtype must be compatible"), so tags and words get a
    /// hash bucket count checked to be collision-free instead. Not verified on 0.8 either, so
    /// both dialects hash tags.
    public var tagVocabularies: Bool { false }

    /// The behaviour differences between this release and the workbench (and between
    /// releases), one line each, for the config's header comment.
    public var differences: [String] {
        var lines: [String] = []
        switch self {
        case .v0_7:
            lines.append("EasyRec 0.7.x (pai-easy-rec 0.7.1 on PyPI): preference dropout zeroes a dropped row and does not rescale the kept rows (EasyRec ≥ 0.8.5 and the workbench scale them by 1/(1 − rate)); the towers see kept preference vectors 1/(1 − rate) smaller than the workbench's in training, the same at evaluation")
            lines.append("0.7.1 needs Python ≤ 3.9 (it uses collections.Iterator, removed in 3.10; 3.11 fails in its feature-column code), TensorFlow ≤ 2.12 (tensorflow-cpu 2.12.0), numpy < 1.24, protobuf 3.20.x and pyarrow < 15 (later pyarrow needs numpy ≥ 1.24)")
            lines.append("0.7.1 draws each row's dropout from tf.random.uniform with the batch size of item_content; a batch without an item_content group fails to build")
        case .v0_8:
            lines.append("EasyRec 0.8.x (≥ 0.8.5, from source): preference dropout is per-row inverted dropout, kept rows scaled by 1/(1 − rate), as in the workbench")
            lines.append("0.8.x is not on PyPI; build it from the repository with a TensorFlow it supports (it uses tf.distributions.Bernoulli, which fails on TensorFlow 2.18)")
        }
        lines.append("TagFeature with vocab_list fails in 0.7.1, so multi-valued and text columns use hash_bucket_size, chosen as the smallest count where EasyRec's hash (FarmHash Fingerprint64 mod buckets) puts no two written values in one bucket; IdFeature columns use vocab_list with an out-of-vocabulary placeholder first (EasyRec maps unknown values to index 0)")
        return lines
    }
}
