/// Every key of the workbench, for the help overlay (DESIGN §6), then what each knob does (its
/// settings row's help, the same text `help settings` prints).
enum WorkbenchKeys {
    static let all: [KeyBinding] = keys + Knob.all.map { KeyBinding("\($0.label) (\($0.key))", $0.entry.help, section: "Knobs") }

    static let keys: [KeyBinding] = [
        KeyBinding("?", "show / hide this help (PgUp PgDn ↑ ↓ or the wheel turn its pages)", section: "General"),
        KeyBinding("q", "quit; while the run is not saved it asks: q or y quits, s saves a checkpoint and quits", section: "General"),
        KeyBinding("Ctrl-C", "quit at once (exit status 130; SIGTERM: 143)", section: "General"),
        KeyBinding("Tab / Shift-Tab", "next / previous screen", section: "General"),
        KeyBinding("1 2 3 4", "Train, Explore, Runs, Sweep screen", section: "General"),
        KeyBinding("t", "next theme (remembered for the next session in $XDG_CONFIG_HOME/dropoutnet/config.toml)", section: "General"),
        KeyBinding("y", "the settings in force as a `dropoutnet train --set …` line: shown, and written to the run's directory (train-command.txt)", section: "General"),
        KeyBinding("mouse", "click a slider or option to set it, a row or tab to select it; the wheel scrolls lists", section: "General"),
        KeyBinding("Space", "pause / resume training (on Runs: select)", section: "Training"),
        KeyBinding("r", "start a new run with the current settings (a finished run is kept as it is)", section: "Training"),
        KeyBinding("e", "evaluate now", section: "Training"),
        KeyBinding("s", "save a checkpoint", section: "Training"),
        KeyBinding("↑ ↓ / k j", "move between knobs", section: "Train screen"),
        KeyBinding("← → / h l", "adjust the focused knob", section: "Train screen"),
        KeyBinding("[ ]", "adjust in coarse steps", section: "Train screen"),
        KeyBinding("Enter / Esc", "apply / drop the knob's new value (a slider applies itself once you stop; a picker only on Enter)", section: "Train screen"),
        KeyBinding("L", "loss chart: log / linear scale", section: "Train screen"),
        KeyBinding("P", "loss chart: each loss part (unweighted, smoothed) beside the total, or the total alone", section: "Train screen"),
        KeyBinding("m / K", "evaluation chart: recall / NDCG; cut-off K (10, 20, 50, 100 as evaluated)", section: "Train screen"),
        KeyBinding("c", "chart cursor: ← → move it point by point, [ ] evaluation by evaluation, the titles read out step and values; c or Esc gives the keys back to the knobs", section: "Train screen"),
        KeyBinding("u / i", "explore users / items", section: "Explore screen"),
        KeyBinding("↑ ↓ / k j", "move in the list (PgUp PgDn, Home End or g G jump)", section: "Explore screen"),
        KeyBinding("/", "search by id, or item title (Enter keeps, Esc clears)", section: "Explore screen"),
        KeyBinding("Enter", "give the keys to the top-K ranking (↑ ↓ move); Enter on a row opens that item (from a user) or user (from an item), Esc returns to the list", section: "Explore screen"),
        KeyBinding("f", "filter users: cold / warm / few-shot (1–\(Explorer.fewShotLimit) train) / all; items: cold / warm / all", section: "Explore screen"),
        KeyBinding("↑ ↓ / k j", "move in the run list", section: "Runs screen"),
        KeyBinding("Space / Enter", "overlay the run's curves on the Train charts, or remove them", section: "Runs screen"),
        KeyBinding("x", "remove every overlay", section: "Runs screen"),
        KeyBinding("o / O", "sort by the next column / reverse the order (▼ ▲ in the header)", section: "Runs screen"),
        KeyBinding("n", "write the run's note (Enter saves, Esc drops; an empty note removes it)", section: "Runs screen"),
        KeyBinding("d", "delete the run and its checkpoints (y confirms; not this session's run)", section: "Runs screen"),
        KeyBinding("↑ ↓ / k j", "move in the leaderboard (the scatter marks the trial ◆)", section: "Sweep screen"),
        KeyBinding("Space", "pause the sweep (running trials wait after their current step, none starts; its time budget waits too) or resume it", section: "Sweep screen"),
        KeyBinding("s", "stop the sweep: no new trials, the running ones train to their end (a population-based sweep's members stop after their current step)", section: "Sweep screen"),
        KeyBinding("v", "warm/cold scatter ↔ parallel coordinates: each trial a line across the swept settings to its objective", section: "Sweep screen"),
        KeyBinding("p", "promote the highlighted trial: its settings start a new run on the Train screen (once the sweep is stopped or finished)", section: "Sweep screen"),
    ]
}
