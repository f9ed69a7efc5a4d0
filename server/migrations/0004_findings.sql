-- Findings (问题): what a team found at a target, from a checklist answer or by hand.
CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES targets (id),
    org_id TEXT NOT NULL REFERENCES orgs (id),
    focus TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    severity TEXT NOT NULL,
    source TEXT NOT NULL,
    record_id TEXT REFERENCES checklist_records (id),
    item_id TEXT,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX findings_target ON findings (target_id);
CREATE INDEX findings_org ON findings (org_id);
