/// The loss mix as EasyRec `losses {}` entries, read from each kind's `LossDefinition.easyRec`:
/// the softmax kinds share EasyRec's single `softmax_loss` block, the others map to their own
/// entry or are noted as having no equivalent.
enum EasyRecLosses {
    struct Loss { var type: String; var weight: Double; var comment: String? }

    static let softmaxType = "SOFTMAX_CROSS_ENTROPY_WITH_NEGATIVE_MINING"

    /// The entries and the notes (setting `loss`) on what does not carry over exactly.
    /// - Throws: `ExportError` when no loss carries over, or a softmax block would have no negatives.
    static func map(_ s: Settings) throws -> (losses: [Loss], notes: [String]) {
        var out: [Loss] = [], notes: [String] = []
        var softmaxIndex: Int?
        for (kind, weight) in zip(s.loss, s.lossWeights) {
            switch kind.definition.easyRec {
            case let .softmax(_, comment):
                if let i = softmaxIndex {
                    out[i].weight += weight
                    notes.append("\(softmaxKinds.map(\.rawValue).joined(separator: " and ")) share EasyRec's single softmax_loss block; exported once with weight \(ProtoTextWriter.number(out[i].weight)) and the SV-softmax parameters")
                } else {
                    softmaxIndex = out.count
                    out.append(Loss(type: softmaxType, weight: weight, comment: comment))
                }
                if s.negativesM < 1 {
                    throw ExportError("EasyRec's softmax_loss needs num_negative_samples ≥ 1; negatives.m is \(s.negativesM)")
                }
            case let .loss(type, comment, note):
                if let message = note?(s) { notes.append(message) }
                out.append(Loss(type: type, weight: weight, comment: comment))
            case let .none(what):
                notes.append("\(kind.rawValue) (\(what)) has no EasyRec equivalent; not exported (weight \(ProtoTextWriter.number(weight)))")
            }
        }
        if out.isEmpty {
            throw ExportError("none of the losses \(s.value(of: "loss")) has an EasyRec equivalent (EasyRec's DropoutNet trains with \(exportable))")
        }
        return (out, notes)
    }

    /// Whether the export writes a `softmax_loss` block (so the in-batch negative settings matter).
    static func usesSoftmaxBlock(_ s: Settings) -> Bool {
        s.loss.contains { if case .softmax = $0.definition.easyRec { return true } else { return false } }
    }

    /// Whether the block's margin and t are the settings' (an SV-softmax is in the mix) rather
    /// than plain softmax's 0 and 1.
    static func supportVector(_ s: Settings) -> Bool {
        s.loss.contains { if case .softmax(true, _) = $0.definition.easyRec { return true } else { return false } }
    }

    private static var softmaxKinds: [LossKind] {
        LossKind.allCases.filter { if case .softmax = $0.definition.easyRec { return true } else { return false } }
    }

    /// "svsoftmax/softmax, pairwise or sigmoid": the kinds that carry over.
    private static var exportable: String {
        var names = [softmaxKinds.map(\.rawValue).joined(separator: "/")]
        names += LossKind.allCases.filter { if case .loss = $0.definition.easyRec { return true } else { return false } }.map(\.rawValue)
        return names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}
