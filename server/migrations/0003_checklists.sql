-- Checklist templates (versioned; a published version never changes), records, answers, the
-- change ids already applied (so a retried change is applied once) and evidence files.

CREATE TABLE checklist_templates (
    id TEXT PRIMARY KEY,
    family TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    published BIGINT NOT NULL DEFAULT 0,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    published_at TEXT,
    UNIQUE (family, version)
);

CREATE TABLE checklist_records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    template_id TEXT NOT NULL REFERENCES checklist_templates (id),
    org_id TEXT NOT NULL REFERENCES orgs (id),
    target_id TEXT REFERENCES targets (id),
    status TEXT NOT NULL,
    return_reason TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One inspection record per target (self-checks have no target).
CREATE UNIQUE INDEX checklist_records_target ON checklist_records (target_id);
CREATE INDEX checklist_records_org ON checklist_records (org_id);

CREATE TABLE checklist_answers (
    record_id TEXT NOT NULL REFERENCES checklist_records (id),
    item_id TEXT NOT NULL,
    value TEXT,
    note TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (record_id, item_id)
);

CREATE TABLE applied_changes (
    change_id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES checklist_records (id),
    applied_at TEXT NOT NULL
);

-- Evidence is kept as base64 text: portable across both databases through sqlx::any. The id
-- is the device's change id, so a re-sent photo is stored once.
CREATE TABLE evidence (
    id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL REFERENCES checklist_records (id),
    item_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX evidence_record ON evidence (record_id, item_id);
