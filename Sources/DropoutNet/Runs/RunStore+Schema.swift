import GRDB

extension RunStore {
    /// The store's tables (schema version 1). Kept as SQL text so the README can quote it and
    /// anyone can query it directly.
    public static let schema = """
        CREATE TABLE runs (
          id                   TEXT PRIMARY KEY,      -- 20261129-041500-ab12 (UTC time + 4 hex digits)
          created              TEXT NOT NULL,         -- ISO-8601 UTC
          finished             TEXT,                  -- set when the run ends
          status               TEXT NOT NULL CHECK (status IN ('running','finished','stopped','failed')),
          model                TEXT NOT NULL,         -- easyrec | classic
          dataset_name         TEXT NOT NULL,
          dataset_path         TEXT NOT NULL,
          dataset_users        INTEGER NOT NULL,
          dataset_items        INTEGER NOT NULL,
          dataset_interactions INTEGER NOT NULL,
          dataset_positives    INTEGER NOT NULL,
          dataset_fingerprint  TEXT NOT NULL,         -- hash of interactions, ids and content columns
          split_origin         TEXT NOT NULL,         -- "random seed=… fractions…" or "files DIR"
          split_hash           TEXT NOT NULL,         -- hash of the split's index lists
          code_version         TEXT NOT NULL,         -- DropoutNetVersion.string
          settings             TEXT NOT NULL          -- JSON object keyed by the --set keys
        );
        CREATE TABLE setting_changes (                -- live changes while training (TUI knobs)
          run   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          step  INTEGER NOT NULL,                     -- takes effect at this step
          key   TEXT NOT NULL,
          old   TEXT NOT NULL,
          new   TEXT NOT NULL,
          time  TEXT NOT NULL
        );
        CREATE INDEX setting_changes_run ON setting_changes(run, step);
        CREATE TABLE losses (
          run   TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          step  INTEGER NOT NULL,
          loss  REAL,                                 -- total training loss of the step (NULL = NaN: diverged)
          parts TEXT,                                 -- JSON {"svsoftmax": x, "pairwise": y, …} or NULL (null = NaN)
          time  REAL NOT NULL,                        -- Unix seconds
          PRIMARY KEY (run, step)
        ) WITHOUT ROWID;
        CREATE TABLE evals (
          run    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          step   INTEGER NOT NULL,
          split  TEXT NOT NULL,                       -- warm | cold_user | cold_item | validation_warm | …
          metric TEXT NOT NULL,                       -- recall | ndcg | precision | hit_rate | …
          k      INTEGER NOT NULL,                    -- the K of metric@K (0 for metrics without K)
          value  REAL,                                -- NULL = NaN
          PRIMARY KEY (run, step, split, metric, k)
        ) WITHOUT ROWID;
        CREATE TABLE checkpoints (
          id       INTEGER PRIMARY KEY AUTOINCREMENT,
          run      TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          step     INTEGER NOT NULL,
          path     TEXT NOT NULL,                     -- as written (relative to the working directory, or absolute)
          created  TEXT NOT NULL,
          is_best  INTEGER NOT NULL DEFAULT 0,        -- 1 for the run's best checkpoint (at most one)
          metrics  TEXT                               -- JSON {"validation/recall@20": x, …}
        );
        CREATE INDEX checkpoints_run ON checkpoints(run, step);
        CREATE TABLE baselines (                      -- popularity, WMF-only, content-only on the run's split
          run    TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
          name   TEXT NOT NULL,
          split  TEXT NOT NULL,
          metric TEXT NOT NULL,
          k      INTEGER NOT NULL,
          value  REAL NOT NULL,
          PRIMARY KEY (run, name, split, metric, k)
        ) WITHOUT ROWID;
        """

    /// Additions of schema version 2 (older stores are migrated in place when opened).
    public static let schemaV2 = """
        ALTER TABLE runs ADD COLUMN writer_pid  INTEGER;   -- process that records the run
        ALTER TABLE runs ADD COLUMN writer_host TEXT;      -- its host name (a pid means nothing elsewhere)
        """

    /// Additions of schema version 3: each run's training throughput, written when it ends
    /// (NULL for runs that ended before v3, or were killed).
    public static let schemaV3 = """
        ALTER TABLE runs ADD COLUMN train_steps   INTEGER;  -- training steps done
        ALTER TABLE runs ADD COLUMN train_seconds REAL;     -- seconds inside training steps (evaluations excluded)
        ALTER TABLE runs ADD COLUMN samples_per_s REAL;     -- train_steps × batch size / train_seconds
        ALTER TABLE runs ADD COLUMN wall_seconds  REAL;     -- first step's start to last step's end, evaluations included
        """

    /// Additions of schema version 4: sweeps (`RunStore+Sweeps`). A trial is a run tagged with
    /// its sweep; runs of older stores have no tag (NULL) and read as before.
    public static let schemaV4 = """
        CREATE TABLE sweeps (
          id          TEXT PRIMARY KEY,               -- sweep-<12 hex digits>: hash of the definition, data and split
          created     TEXT NOT NULL,
          definition  TEXT NOT NULL                   -- the sweep's TOML as it was run
        );
        ALTER TABLE runs ADD COLUMN sweep        TEXT;     -- sweeps.id of the sweep the run is a trial of
        ALTER TABLE runs ADD COLUMN sweep_trial  INTEGER;  -- 1, 2, … within the sweep
        ALTER TABLE runs ADD COLUMN sweep_status TEXT;     -- running | pruned | finished | failed | superseded (re-run after an interruption)
        ALTER TABLE runs ADD COLUMN sweep_values TEXT;     -- JSON {"lr": "0.001", …}: the swept keys' text values
        ALTER TABLE runs ADD COLUMN sweep_result TEXT;     -- JSON: objective, validation recall per split, rung values, seconds
        CREATE INDEX runs_sweep ON runs(sweep, sweep_trial);
        """

    /// Additions of schema version 5 (`RunStore+SweepTime`): the time a sweep has run, summed
    /// over its processes (its `minutes` budget counts across resumes), and the trials whose
    /// settings were refused (they have no run; a resumed sweep does not propose them again).
    public static let schemaV5 = """
        ALTER TABLE sweeps ADD COLUMN elapsed REAL NOT NULL DEFAULT 0;  -- seconds run so far, pauses excluded
        CREATE TABLE sweep_refused (
          sweep   TEXT NOT NULL REFERENCES sweeps(id) ON DELETE CASCADE,
          trial   INTEGER NOT NULL,                   -- 1, 2, … within the sweep
          sweep_values TEXT NOT NULL,                 -- JSON {"lr": "0.001", …}: the values proposed
          reason  TEXT NOT NULL,                      -- why the settings were refused
          PRIMARY KEY (sweep, trial)
        ) WITHOUT ROWID;
        """

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in try db.execute(sql: RunStore.schema) }
        // v2: who writes a run, so a `running` run whose process died reads as `interrupted`.
        m.registerMigration("v2-writer") { db in try db.execute(sql: RunStore.schemaV2) }
        // v3: throughput, so headless and workbench runs of the same settings can be compared.
        m.registerMigration("v3-throughput") { db in try db.execute(sql: RunStore.schemaV3) }
        // notes: a note per run, in a table of its own (RunStore+Notes.swift).
        m.registerMigration("notes") { db in try db.execute(sql: RunStore.schemaNotes) }
        // v4: sweeps, so a sweep's trials are runs like any other and a killed sweep resumes.
        m.registerMigration("v4-sweeps") { db in try db.execute(sql: RunStore.schemaV4) }
        // v5: a sweep's time across resumes and its refused trials.
        m.registerMigration("v5-sweep-time") { db in try db.execute(sql: RunStore.schemaV5) }
        return m
    }
}
