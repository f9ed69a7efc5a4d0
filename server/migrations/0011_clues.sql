-- Problem clues (问题线索), their files and story, and referrals (移交) to discipline.

CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    referred_on TEXT NOT NULL,
    cover_letter TEXT NOT NULL,
    status TEXT NOT NULL,
    feedback_due TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    sent_at TEXT,
    sent_by TEXT REFERENCES users (id),
    accepted_at TEXT,
    accepted_by TEXT REFERENCES users (id)
);

CREATE TABLE clues (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES targets (id),
    person_name TEXT NOT NULL,
    person_post TEXT NOT NULL DEFAULT '',
    person_org TEXT NOT NULL DEFAULT '',
    matter TEXT NOT NULL,
    matter_when TEXT NOT NULL DEFAULT '',
    amount_yuan BIGINT,
    source TEXT NOT NULL,
    source_id TEXT,
    seriousness TEXT NOT NULL,
    status TEXT NOT NULL,
    disposal TEXT,
    result TEXT,
    feedback_on TEXT,
    referral_id TEXT REFERENCES referrals (id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX clues_target ON clues (target_id);
CREATE INDEX clues_status ON clues (status);
CREATE INDEX clues_referral ON clues (referral_id);

CREATE TABLE clue_events (
    id TEXT PRIMARY KEY,
    clue_id TEXT NOT NULL REFERENCES clues (id),
    at TEXT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES users (id),
    from_status TEXT,
    to_status TEXT NOT NULL,
    disposal TEXT,
    result TEXT,
    on_date TEXT,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX clue_events_clue ON clue_events (clue_id, at);

CREATE TABLE clue_files (
    id TEXT PRIMARY KEY,
    clue_id TEXT NOT NULL REFERENCES clues (id),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX clue_files_clue ON clue_files (clue_id);
