-- Petitions (信访举报), the stationing notice that invites them, and what keeps the public
-- form honest: used form tokens and submission counts.

CREATE TABLE stationing_notices (
    target_id TEXT PRIMARY KEY REFERENCES targets (id),
    phone TEXT NOT NULL,
    box_location TEXT NOT NULL DEFAULT '',
    scope TEXT NOT NULL DEFAULT '',
    grace_days BIGINT NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TEXT NOT NULL
);

CREATE TABLE petitions (
    id TEXT PRIMARY KEY,
    target_id TEXT NOT NULL REFERENCES targets (id),
    channel TEXT NOT NULL,
    received_on TEXT NOT NULL,
    content TEXT NOT NULL,
    concerns TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    -- SHA-256 of the tracking code a public petitioner keeps; NULL for the other channels.
    tracking_hash TEXT UNIQUE,
    status TEXT NOT NULL,
    outcome TEXT,
    finding_id TEXT REFERENCES findings (id),
    clue_id TEXT REFERENCES clues (id),
    transfer_to TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    public_answer TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    -- NULL when it came through the public page.
    created_by TEXT REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    triaged_by TEXT REFERENCES users (id),
    triaged_at TEXT
);
CREATE INDEX petitions_target ON petitions (target_id, received_on);

-- created_by is 'public' for photos sent with the public form: no account, no foreign key.
CREATE TABLE petition_files (
    id TEXT PRIMARY KEY,
    petition_id TEXT NOT NULL REFERENCES petitions (id),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX petition_files_petition ON petition_files (petition_id);

-- A public form's token works once.
CREATE TABLE used_form_tokens (
    nonce TEXT PRIMARY KEY,
    used_at TEXT NOT NULL
);

-- Submissions per key (a keyed hash of the address, or a village) in the current window.
CREATE TABLE public_rate (
    key TEXT PRIMARY KEY,
    window_start TEXT NOT NULL,
    count BIGINT NOT NULL
);
