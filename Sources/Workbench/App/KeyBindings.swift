/// Every key of the workbench, for the help overlay (DESIGN §6).
enum WorkbenchKeys {
    static let all: [KeyBinding] = [
        KeyBinding("?", "show / hide this help", section: "General"),
        KeyBinding("q", "quit (press q or y again to confirm while training)", section: "General"),
        KeyBinding("Tab / 1 2 3", "next screen / Train, Explore, Runs", section: "General"),
        KeyBinding("t", "next theme", section: "General"),
        KeyBinding("Space", "pause / resume training", section: "Training"),
        KeyBinding("r", "restart with the current settings", section: "Training"),
        KeyBinding("e", "evaluate now", section: "Training"),
        KeyBinding("s", "save a checkpoint", section: "Training"),
        KeyBinding("↑ ↓ / k j", "move between knobs", section: "Train screen"),
        KeyBinding("← → / h l", "adjust the focused knob", section: "Train screen"),
        KeyBinding("[ ]", "adjust in coarse steps", section: "Train screen"),
        KeyBinding("↑ ↓ / k j", "move in the user list", section: "Explore screen"),
        KeyBinding("/", "search users by id (Enter keeps, Esc clears)", section: "Explore screen"),
        KeyBinding("f", "filter: cold / warm / all users", section: "Explore screen"),
    ]
}
