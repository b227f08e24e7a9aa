/// Every key of the workbench, for the help overlay (DESIGN §6).
enum WorkbenchKeys {
    static let all: [KeyBinding] = [
        KeyBinding("?", "show / hide this help", section: "General"),
        KeyBinding("q", "quit (press q or y again to confirm while training)", section: "General"),
        KeyBinding("Tab / 1 2 3", "next screen / Train, Explore, Runs", section: "General"),
        KeyBinding("t", "next theme", section: "General"),
        KeyBinding("Space", "pause / resume training (on Runs: select)", section: "Training"),
        KeyBinding("r", "restart with the current settings", section: "Training"),
        KeyBinding("e", "evaluate now", section: "Training"),
        KeyBinding("s", "save a checkpoint", section: "Training"),
        KeyBinding("↑ ↓ / k j", "move between knobs", section: "Train screen"),
        KeyBinding("← → / h l", "adjust the focused knob", section: "Train screen"),
        KeyBinding("[ ]", "adjust in coarse steps", section: "Train screen"),
        KeyBinding("u / i", "explore users / items", section: "Explore screen"),
        KeyBinding("↑ ↓ / k j", "move in the list (PgUp PgDn g G jump)", section: "Explore screen"),
        KeyBinding("/", "search by id, or item title (Enter keeps, Esc clears)", section: "Explore screen"),
        KeyBinding("f", "filter users: cold / warm / few-shot (1–\(Explorer.fewShotLimit) train) / all; items: cold / warm / all", section: "Explore screen"),
        KeyBinding("↑ ↓ / k j", "move in the run list", section: "Runs screen"),
        KeyBinding("Space / Enter", "overlay the run's curves on the Train charts, or remove them", section: "Runs screen"),
        KeyBinding("x", "remove every overlay", section: "Runs screen"),
    ]
}
