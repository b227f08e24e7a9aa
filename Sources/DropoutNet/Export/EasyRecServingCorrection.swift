import Foundation

extension EasyRecExport {
    /// The file of log q(item) beside the exported data, for ranking EasyRec's embeddings as
    /// the workbench ranks its own.
    public static let itemLogQFile = "item_log_q.csv"

    /// Whether EasyRec's model needs the logQ correction at serving: the workbench trains its
    /// in-batch softmax with logits γ·cos − log q(item) (`negatives.logq`), EasyRec 0.7/0.8 with
    /// γ·cos alone. Uncorrected, the sampled softmax's optimum is γ·cos ≈ log p(item | user) −
    /// log q(item) + c(user): in-batch negatives are drawn by popularity, so the towers learn to
    /// bury popular items. Adding log q back at ranking time gives the corrected model's
    /// log p(item | user). On sample-data (EasyRec 0.7.1, 2000 steps) it took EasyRec's warm
    /// recall@20 from 0.064 to 0.168 and cold-user from 0.050 to 0.132 (the workbench: 0.167,
    /// 0.137); weights 0.5 and 1.5 on log q instead of 1 gave warm 0.158 and 0.164.
    public static func needsServingLogQ(_ s: Settings) -> Bool {
        s.negativesLogQ && EasyRecLosses.usesSoftmaxBlock(s)
    }

    /// `id,log q` per item of the dataset, q being the workbench's own sampling prior
    /// (`ItemSamplingPrior(batchRowsOf:)`: the share of training rows, hard negatives included,
    /// that hold the item — the rows train.csv holds and EasyRec draws its negatives from). An
    /// item without training rows (a cold item) counts once, as in the workbench.
    /// `scripts/easyrec_embeddings.py` folds it into the vectors: user [u, 1], item [v, log q / γ],
    /// so their dot product ranks as γ·cos + log q.
    public static func itemLogQ(_ data: TrainingData) -> String {
        let prior = ItemSamplingPrior(batchRowsOf: data)
        var out = ""
        for (i, id) in data.dataset.itemIDs.enumerated() {
            out += id
            out += ","
            out += "\(prior.logProbability[i])"
            out += "\n"
        }
        return out
    }
}
