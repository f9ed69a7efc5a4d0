-- Talk records (个别谈话记录) of a target's team, and the index of restricted reads.

CREATE TABLE talks (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES targets (id),
    kind TEXT NOT NULL,
    person_name TEXT NOT NULL,
    person_post TEXT NOT NULL DEFAULT '',
    person_org TEXT NOT NULL DEFAULT '',
    held_on TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    private BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX talks_target ON talks (target_id, held_on);

CREATE TABLE talk_inspectors (
    talk_id TEXT NOT NULL REFERENCES talks (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (talk_id, user_id)
);

CREATE TABLE talk_files (
    id TEXT PRIMARY KEY,
    talk_id TEXT NOT NULL REFERENCES talks (id),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX talk_files_talk ON talk_files (talk_id);

-- Which restricted records each read entry of the audit log showed (a list is one entry
-- naming every id): "who read this, when" without scanning the log's text. The entry itself,
-- in the chain, is the record; this is its index.
CREATE TABLE restricted_reads (
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    PRIMARY KEY (object_type, object_id, entry_id)
);
