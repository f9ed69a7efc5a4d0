-- Terms, rounds, teams and targets: what the full-coverage ledger counts.
-- Dates are ISO 8601 text (YYYY-MM-DD), which sorts as dates.

CREATE TABLE terms (
    id TEXT PRIMARY KEY,
    committee_org_id TEXT NOT NULL REFERENCES orgs (id),
    name TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX terms_committee ON terms (committee_org_id);

CREATE TABLE rounds (
    id TEXT PRIMARY KEY,
    term_id TEXT NOT NULL REFERENCES terms (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    theme TEXT NOT NULL DEFAULT '',
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    phase TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX rounds_term ON rounds (term_id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    name TEXT NOT NULL,
    contact TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (round_id, name)
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    leader BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE targets (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES rounds (id),
    org_id TEXT NOT NULL REFERENCES orgs (id),
    team_id TEXT NOT NULL REFERENCES teams (id),
    station_start TEXT,
    station_end TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (round_id, org_id)
);
CREATE INDEX targets_org ON targets (org_id);
CREATE INDEX targets_team ON targets (team_id);
