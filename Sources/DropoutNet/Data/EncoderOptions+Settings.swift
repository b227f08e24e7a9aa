extension Settings {
    /// The content encoding a run with these settings trains on: the current scheme with the
    /// `content.*` keys applied. (A checkpoint's own options come from the checkpoint instead,
    /// `ModelCheckpoint.encoderOptions(of:)`, so it keeps the encoding it was trained with.)
    public var encoderOptions: EncoderOptions {
        var options = EncoderOptions()
        options.svd = contentSVD
        return options
    }
}
