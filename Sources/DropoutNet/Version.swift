/// The version printed by `--version` and recorded with every run and checkpoint.
public enum DropoutNetVersion {
    public static let string = "0.1.0"
}
