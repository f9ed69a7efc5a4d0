-- A team's stationing at a target: its three preparation lists and its visits, under ids the
-- inspector's device chooses. A list item's content is list-specific (see
-- xuncha_api::stationing::PrepContent) and kept as JSON; what queries select on is a column.

CREATE TABLE policy_defaults (
    id TEXT PRIMARY KEY,
    area TEXT NOT NULL,
    title TEXT NOT NULL,
    evidence TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE prep_items (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES targets (id),
    list TEXT NOT NULL,
    content TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    default_id TEXT REFERENCES policy_defaults (id),
    outcome TEXT,
    finding_id TEXT REFERENCES findings (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX prep_items_target ON prep_items (target_id, list);
-- A default policy is copied into a target once, however often the copy is asked for.
CREATE UNIQUE INDEX prep_items_default ON prep_items (target_id, default_id);

CREATE TABLE visits (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES targets (id),
    person_name TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT '',
    household BIGINT NOT NULL DEFAULT 0,
    address TEXT NOT NULL DEFAULT '',
    visited_on TEXT,
    visitors TEXT NOT NULL DEFAULT '[]',
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX visits_target ON visits (target_id);
