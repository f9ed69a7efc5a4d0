-- The files an office sends with what it reports about a village (情况通报, 审计报告), kept
-- with the item of the information list; ids come from the inspector's device.
CREATE TABLE prep_files (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES prep_items (id),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX prep_files_item ON prep_files (item_id);
